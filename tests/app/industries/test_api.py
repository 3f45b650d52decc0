"""Industry tree over HTTP."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.app.conftest import Tokens


def test_tree_and_detail(client: TestClient, tokens: Tokens) -> None:
    h = tokens.header("integration")
    tree = client.get("/api/v1/industries", headers=h).json()
    battery = next(t for t in tree if t["code"] == "630000")
    assert battery["children"][0]["children"][0]["name"] == "锂电池Ⅲ"
    body = client.get("/api/v1/industries/630701", headers=h).json()
    assert body["parent"]["code"] == "630700" and body["level"] == 3
    assert sorted(i["name"] for i in body["upstream"]) == ["电池化学品", "锂Ⅲ"]
    assert [i["name"] for i in body["downstream"]] == ["电动乘用车"]
    assert body["enterprises"] == 2
    assert client.get("/api/v1/industries/630000", headers=h).json()["enterprises"] == 6
    assert client.get("/api/v1/industries/123", headers=h).status_code == 404
