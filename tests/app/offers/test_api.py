"""Offers (成果清单) over HTTP: publishing, search, ownership, bad input, and ranking offers for a need."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import AuditEntry, Offer
from app.offers import ranking
from tests.app.challenges.helpers import post_challenge
from tests.app.conftest import Tokens
from tests.app.offers.access import URL, offer_body


def _post(client: TestClient, tokens: Tokens, role: str = "sme", **overrides: object) -> dict:  # type: ignore[type-arg]
    resp = client.post(URL, json=offer_body(**overrides), headers=tokens.header(role))
    assert resp.status_code == 201, resp.text
    return resp.json()  # type: ignore[no-any-return]


def _counts(session: Session) -> tuple[int, int]:
    session.expire_all()
    return (session.scalar(select(func.count()).select_from(Offer)) or 0,
            session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def test_publish_search_and_read(light_client: TestClient, tokens: Tokens) -> None:
    made = _post(light_client, tokens)
    assert made["org"]["code"] == "100002" and made["status"] == "published" and made["nodes"] == ["碳酸锂"]
    _post(light_client, tokens, role="other_sme", kind="capability", title="隔膜涂覆加工能力", description="陶瓷涂覆",
          nodes=["隔膜"])
    h = tokens.header("integration")
    assert light_client.get(URL, headers=h).json()["total"] == 2
    found = light_client.get(URL, params={"q": "涂覆"}, headers=h).json()["items"]
    assert [o["title"] for o in found] == ["隔膜涂覆加工能力"]
    for params in ({"kind": "result"}, {"node": "碳酸锂"}):
        assert [o["id"] for o in light_client.get(URL, params=params, headers=h).json()["items"]] == [made["id"]]
    assert light_client.get(URL, params={"q": "100%_"}, headers=h).json()["total"] == 0
    page = light_client.get(URL, params={"limit": 1, "offset": 1}, headers=h).json()
    assert page["total"] == 2 and len(page["items"]) == 1
    bad: list[tuple[dict[str, Any], str]] = [
        ({"node": "不存在"}, "node"), ({"kind": "patent"}, "kind"), ({"limit": 0}, "limit")]
    for params, field in bad:
        resp = light_client.get(URL, params=params, headers=h)
        assert resp.status_code == 422 and field in resp.text, resp.text
    assert light_client.get(f"{URL}/{made['id']}", headers=h).json()["title"] == made["title"]
    assert light_client.get(f"{URL}/999999", headers=h).status_code == 404


def test_bad_input_and_wrong_callers_change_nothing(light_client: TestClient, tokens: Tokens, small: Session) -> None:
    before = _counts(small)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"nodes": ["无此节点"]}, "nodes"), ({"kind": "patent"}, "kind"), ({"title": ""}, "title"),
        ({"title": "长" * 201}, "title"), ({"owner": 1}, "owner")]
    for override, field in cases:
        resp = light_client.post(URL, json=offer_body(**override), headers=tokens.header("sme"))
        assert resp.status_code == 422, resp.text
        assert resp.json()["error"]["details"][0]["field"].endswith(field), resp.text
    for role in ("leader", "operator", "admin", "integration"):
        assert light_client.post(URL, json=offer_body(), headers=tokens.header(role)).status_code == 403
    assert _counts(small) == before


def test_only_the_owner_changes_or_deletes(light_client: TestClient, tokens: Tokens, small: Session) -> None:
    made = _post(light_client, tokens)
    one = f"{URL}/{made['id']}"
    for role in ("other_sme", "leader", "admin"):
        assert light_client.patch(one, json={"title": "改"}, headers=tokens.header(role)).status_code == 403
        assert light_client.delete(one, headers=tokens.header(role)).status_code == 403
    assert light_client.patch(one, json={"nodes": ["无"]}, headers=tokens.header("sme")).status_code == 422
    assert light_client.patch(one, json={"title": None}, headers=tokens.header("sme")).status_code == 422
    change = {"nodes": ["氢氧化锂", "碳酸锂"], "description": None}
    resp = light_client.patch(one, json=change, headers=tokens.header("sme"))
    assert resp.status_code == 200, resp.text
    assert resp.json()["nodes"] == ["氢氧化锂", "碳酸锂"] and resp.json()["description"] == ""
    entry = small.scalars(select(AuditEntry).where(AuditEntry.action == "offer.update")).one()
    assert entry.before == {"nodes": ["碳酸锂"], "description": "杂质低于10ppm"}
    assert light_client.delete(one, headers=tokens.header("sme")).status_code == 204
    assert light_client.get(one, headers=tokens.header("sme")).status_code == 404
    assert light_client.delete(one, headers=tokens.header("sme")).status_code == 404
    trail = small.scalars(select(AuditEntry).where(AuditEntry.entity == "offer").order_by(AuditEntry.id))
    assert [a.action for a in trail] == ["offer.create", "offer.update", "offer.delete"]


def test_offers_ranked_for_a_need_with_explanations(client: TestClient, tokens: Tokens, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    fits = []
    real_fit = ranking.MatchIndex.fit

    def counting_fit(self, graph, records):  # type: ignore[no-untyped-def]
        fits.append(len(list(records)) if not isinstance(records, list) else len(records))
        return real_fit(self, graph, records)

    monkeypatch.setattr(ranking.MatchIndex, "fit", counting_fit)
    need = post_challenge(client, tokens)  # 高纯碳酸锂提纯工艺攻关, node 碳酸锂
    url = f"{URL}/matches"
    empty = client.get(url, params={"need": need["id"]}, headers=tokens.header("leader")).json()
    assert empty["items"] == [] and empty["offers_indexed"] == 0
    _post(client, tokens, role="other_sme", kind="capability", title="隔膜涂覆加工能力", description="陶瓷涂覆",
          nodes=["隔膜"])
    good = _post(client, tokens)  # 电池级碳酸锂膜法提纯技术, node 碳酸锂
    _post(client, tokens, role="other_sme", kind="capability", title="负极材料石墨化代工", nodes=["人造石墨"])
    resp = client.get(url, params={"need": need["id"]}, headers=tokens.header("leader"))
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["items"][0]["offer"]["id"] == good["id"] and body["offers_indexed"] == 3
    assert body["items"][0]["explanation"] and body["items"][0]["score"] > 0
    assert all(0 <= i["match"] <= 100 for i in body["items"])
    scores = [i["score"] for i in body["items"]]
    assert scores == sorted(scores, reverse=True)
    again = client.get(url, params={"need": need["id"]}, headers=tokens.header("operator")).json()
    assert again["items"] == body["items"] and len(fits) == 1  # the fitted offer index is reused
    only_caps = client.get(url, params={"need": need["id"], "kind": "capability"}, headers=tokens.header("admin"))
    assert good["id"] not in [i["offer"]["id"] for i in only_caps.json()["items"]] and len(fits) == 1
    client.patch(f"{URL}/{good['id']}", json={"nodes": ["隔膜"], "title": "隔膜新工艺"}, headers=tokens.header("sme"))
    client.get(url, params={"need": need["id"]}, headers=tokens.header("leader"))
    assert len(fits) == 2  # an edit refits


def test_ranking_access_and_bad_need(light_client: TestClient, tokens: Tokens) -> None:
    draft = post_challenge(light_client, tokens)
    url = f"{URL}/matches"
    for role in ("sme", "integration"):
        assert light_client.get(url, params={"need": draft["id"]}, headers=tokens.header(role)).status_code == 403
    assert light_client.get(url, params={"need": 999999}, headers=tokens.header("leader")).status_code == 404
    for params in ({}, {"need": "x"}, {"need": 0}, {"need": draft["id"], "kind": "x"}):
        resp = light_client.get(url, params=params, headers=tokens.header("leader"))
        assert resp.status_code == 422, resp.text
