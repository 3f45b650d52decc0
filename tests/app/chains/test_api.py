"""Chain nodes and chains over HTTP."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.app.conftest import Tokens


def names(items: list[dict]) -> list[str]:  # type: ignore[type-arg]
    return [i["name"] for i in items]


def test_node_search_puts_exact_first(client: TestClient, tokens: Tokens) -> None:
    body = client.get("/api/v1/nodes", params={"q": "锂电池"}, headers=tokens.header("sme")).json()
    assert names(body["items"])[0] == "锂电池"
    assert client.get("/api/v1/nodes", params={"limit": 500}, headers=tokens.header("sme")).status_code == 422


def test_node_detail_has_typed_neighbours(client: TestClient, tokens: Tokens) -> None:
    h = tokens.header("leader")
    body = client.get("/api/v1/nodes/正极材料", headers=h).json()
    assert sorted(names(body["inputs"])) == ["氢氧化锂", "碳酸锂"]
    assert names(body["outputs"]) == ["锂电池"]
    assert sorted(names(body["narrower"])) == ["三元材料", "磷酸铁锂"]
    assert body["broader"] == []
    by_id = client.get(f"/api/v1/nodes/{body['id']}", headers=h).json()
    assert by_id["name"] == "正极材料"
    assert client.get("/api/v1/nodes/动力电池", headers=h).json()["makers"] == 3
    assert client.get("/api/v1/nodes/没有这个", headers=h).status_code == 404


def test_chain_create_list_and_graph(client: TestClient, tokens: Tokens) -> None:
    spec = {"code": "libattery", "name": "锂电池", "root": "锂电池", "depth": 2}
    assert client.post("/api/v1/chains", json=spec, headers=tokens.header("leader")).status_code == 403
    made = client.post("/api/v1/chains", json=spec, headers=tokens.header("operator"))
    assert made.status_code == 201, made.text
    assert made.json()["root"]["name"] == "锂电池" and made.json()["node_count"] >= 8
    assert client.post("/api/v1/chains", json=spec, headers=tokens.header("admin")).status_code == 409
    bad = client.post("/api/v1/chains", json={**spec, "code": "x", "name": "y", "root": "无"},
                      headers=tokens.header("admin"))
    assert bad.status_code == 422 and "root" in bad.text
    h = tokens.header("sme")
    assert [c["code"] for c in client.get("/api/v1/chains", headers=h).json()] == ["libattery"]
    graph = client.get("/api/v1/chains/libattery/graph", headers=h).json()
    node_names = {n["id"]: n["name"] for n in graph["nodes"]}
    assert {"锂电池", "正极材料", "碳酸锂", "动力电池"} <= set(node_names.values())
    edges = {(node_names[e["source"]], node_names[e["target"]], e["type"]) for e in graph["edges"]}
    assert ("碳酸锂", "正极材料", "input") in edges and ("锂电池", "动力电池", "subkind") in edges
    assert client.get("/api/v1/nodes/碳酸锂", headers=h).json()["chains"] == ["锂电池"]
    assert client.get("/api/v1/chains/nope/graph", headers=h).status_code == 404
