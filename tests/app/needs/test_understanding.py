"""The engine's reading of a need said back (on /match and on needs), corrected by the poster, and used."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.app.conftest import Tokens
from tests.app.needs.helpers import URL, post_need, published_need


def test_match_says_back_its_reading_and_scores_on_one_scale(client: TestClient, tokens: Tokens) -> None:
    text = "我司为整车企业，现需采购碳酸锂500吨，纯度99.5%，需ISO9001认证，交付至济南"
    resp = client.post("/api/v1/match", json={"text": text}, headers=tokens.header("leader"))
    assert resp.status_code == 200, resp.text
    body = resp.json()
    u = body["understanding"]
    assert [m["nodes"] for m in u["wanted"]] == [["碳酸锂"]]
    assert u["quantities"] == ["500吨"] and u["regions"] == ["济南"]
    assert u["certifications"] == ["iso9001认证"] and any("99.5%" in s for s in u["specs"])
    matches = [i["match"] for i in body["items"]]
    assert all(isinstance(m, int) and 0 <= m <= 100 for m in matches)
    assert body["items"][0]["enterprise"]["code"] in ("100002", "100003") and matches[0] >= 80
    # the two makers of 碳酸锂 (main business) first, the rest has weak evidence only
    assert min(matches[:2]) >= 80 and max(matches[2:], default=0) < 30
    assert client.post("/api/v1/match", json={"nodes": ["碳酸锂"]},
                       headers=tokens.header("leader")).json()["understanding"] is None


def test_a_poster_corrects_the_reading_and_the_ranking_follows(client: TestClient, tokens: Tokens) -> None:
    h = tokens.header("leader")
    need = post_need(client, tokens, title="采购碳酸锂", description="用于正极材料生产", nodes=[])
    assert [m["nodes"][0] for m in need["understanding"]["wanted"]] == ["碳酸锂"]
    assert need["understanding"]["attached"] == [] and need["removed_nodes"] == []
    before = client.get(f"{URL}/{need['id']}/matches", headers=h).json()["items"]
    assert {i["enterprise"]["code"] for i in before[:2]} == {"100002", "100003"}
    assert all(0 <= i["match"] <= 100 for i in before)

    resp = client.patch(f"{URL}/{need['id']}/understanding", json={"remove": ["碳酸锂"], "attach": ["氢氧化锂"]},
                        headers=h)
    assert resp.status_code == 200, resp.text
    fixed = resp.json()
    assert fixed["removed_nodes"] == ["碳酸锂"] and [n["name"] for n in fixed["nodes"]] == ["氢氧化锂"]
    assert fixed["understanding"]["wanted"] == [] and fixed["understanding"]["attached"] == ["氢氧化锂"]
    assert fixed["understanding"]["removed"][0]["words"] == "碳酸锂"
    # stored: the need keeps its corrected form
    again = client.get(f"{URL}/{need['id']}", headers=h).json()
    assert again["understanding"] == fixed["understanding"]
    after = client.get(f"{URL}/{need['id']}/matches", headers=h).json()["items"]
    assert after[0]["enterprise"]["code"] == "100003"  # the maker of 氢氧化锂
    assert "100002" not in [i["enterprise"]["code"] for i in after[:1]]
    # attaching it again takes it out of the removed list
    back = client.patch(f"{URL}/{need['id']}/understanding", json={"attach": ["碳酸锂"]}, headers=h).json()
    assert back["removed_nodes"] == [] and sorted(n["name"] for n in back["nodes"]) == ["氢氧化锂", "碳酸锂"]


def test_corrections_are_checked(client: TestClient, tokens: Tokens) -> None:
    h = tokens.header("leader")
    need = post_need(client, tokens)
    both = client.patch(f"{URL}/{need['id']}/understanding", json={"attach": ["碳酸锂"], "remove": ["碳酸锂"]},
                        headers=h)
    assert both.status_code == 422 and "碳酸锂" in both.text
    unknown = client.patch(f"{URL}/{need['id']}/understanding", json={"remove": ["没有这个"]}, headers=h)
    assert unknown.status_code == 422 and "没有这个" in unknown.text
    published = published_need(client, tokens, top_n=3)
    late = client.patch(f"{URL}/{published['id']}/understanding", json={"remove": ["碳酸锂"]}, headers=h)
    assert late.status_code == 409


def test_a_minimum_match_keeps_weak_matches_out_of_feeds(client: TestClient, tokens: Tokens) -> None:
    loose = published_need(client, tokens, top_n=50, min_match=0)
    strict = published_need(client, tokens, top_n=50, min_match=80)
    assert strict["min_match"] == 80
    assert 0 < strict["delivered"] < loose["delivered"]
    sme = tokens.header("sme")  # a member of 100002, which makes 碳酸锂 as its main business
    feed = client.get("/api/v1/me/opportunities", headers=sme).json()["items"]
    ours = [i for i in feed if i["need"]["id"] in (loose["id"], strict["id"])]
    assert len(ours) == 2 and all(i["match"] >= 80 for i in ours)
    none = client.get("/api/v1/me/opportunities", params={"min_match": 100}, headers=sme).json()["items"]
    assert all(i["match"] is None or i["match"] >= 100 for i in none)
    assert client.get("/api/v1/me/opportunities", params={"min_match": 101}, headers=sme).status_code == 422
    assert client.post(URL, json={"kind": "procurement", "title": "x", "min_match": 120},
                       headers=tokens.header("leader")).status_code == 422
