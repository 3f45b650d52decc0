"""Aliases through the API: operators add and remove them, and the next match request already uses them."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.app.conftest import Tokens

URL = "/api/v1/nodes/碳酸锂/aliases"


def _top(client: TestClient, tokens: Tokens, text: str) -> tuple[list[str], dict]:  # type: ignore[type-arg]
    resp = client.post("/api/v1/match", json={"text": text}, headers=tokens.header("leader"))
    if resp.status_code == 422:
        return [], {}
    assert resp.status_code == 200, resp.text
    body = resp.json()
    return [i["enterprise"]["code"] for i in body["items"]], body["understanding"]


def test_an_alias_reaches_matching_at_once_and_leaves_it_again(client: TestClient, tokens: Tokens) -> None:
    admin = tokens.header("operator")
    codes, _ = _top(client, tokens, "采购锂辉石提炼盐")
    assert set(codes[:2]) != {"100002", "100003"}
    resp = client.post(URL, json={"alias": "锂辉石提炼盐", "source": "测试：行业俗称"}, headers=admin)
    assert resp.status_code == 201, resp.text
    alias = resp.json()
    assert alias["node_name"] == "碳酸锂" and alias["source"] == "测试：行业俗称"
    codes, reading = _top(client, tokens, "采购锂辉石提炼盐")
    assert set(codes[:2]) == {"100002", "100003"}
    assert reading["wanted"][0]["how"] == "alias" and reading["wanted"][0]["nodes"] == ["碳酸锂"]
    listed = client.get(URL, headers=tokens.header("sme")).json()
    assert "锂辉石提炼盐" in [a["alias"] for a in listed]
    assert client.delete(f"{URL}/{alias['id']}", headers=admin).status_code == 204
    codes, _ = _top(client, tokens, "采购锂辉石提炼盐")
    assert set(codes[:2]) != {"100002", "100003"}


def test_bad_aliases_are_refused_with_the_reason(client: TestClient, tokens: Tokens) -> None:
    h = tokens.header("admin")
    body = {"alias": "锂盐乙", "source": "测试"}
    assert client.post(URL, json=body, headers=h).status_code == 201
    again = client.post(URL, json=body, headers=h)
    assert again.status_code == 409 and "锂盐乙" in again.text
    own = client.post(URL, json={"alias": "碳酸锂", "source": "测试"}, headers=h)
    assert own.status_code == 422 and "alias" in own.text
    assert client.post(URL, json={"alias": "", "source": "测试"}, headers=h).status_code == 422
    assert client.post(URL, json={"alias": "x"}, headers=h).status_code == 422  # a source is required
    assert client.post("/api/v1/nodes/没有这个/aliases", json=body, headers=h).status_code == 404
    assert client.delete(f"{URL}/999999", headers=h).status_code == 404


def test_the_reviewed_list_is_seeded_by_the_migration(client: TestClient, tokens: Tokens) -> None:
    rows = client.get("/api/v1/nodes/碳酸锂/aliases", headers=tokens.header("sme")).json()
    assert all(r["source"] for r in rows)
    from matching.aliases import read_aliases
    assert {r["alias"] for r in rows} == {a.alias for a in read_aliases() if a.node == "碳酸锂"}
