"""Integration scopes are declared by each route (and shown in the OpenAPI document), not derived from its URL."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.core.deps import SCOPE_EXTENSION
from tests.app.conftest import Tokens


def _declared(client: TestClient) -> dict[tuple[str, str], str | None]:
    paths = client.get("/openapi.json").json()["paths"]
    return {(method.upper(), path): op.get(SCOPE_EXTENSION) for path, ops in paths.items()
            for method, op in ops.items() if path.startswith("/api/")}


def test_every_api_read_declares_a_scope_and_writes_only_where_meant(client: TestClient) -> None:
    declared = _declared(client)
    assert declared[("GET", "/api/v1/needs")] == "read"
    assert declared[("POST", "/api/v1/match")] == "match"
    assert declared[("POST", "/api/v1/webhooks")] == "webhooks"
    assert declared[("POST", "/api/v1/me/notifications/read-all")] == "read"
    writes = {k: v for k, v in declared.items() if k[0] != "GET" and v is not None}
    assert {v for v in writes.values()} <= {"match", "webhooks", "read"}
    assert all(k[1].startswith(("/api/v1/webhooks", "/api/v1/me/notifications", "/api/v1/match"))
               for k in writes), writes
    assert all(v is not None for k, v in declared.items() if k[0] == "GET"), "a GET route forgot its scope"


def test_openapi_document_names_each_operations_scope(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert paths["/api/v1/match"]["post"][SCOPE_EXTENSION] == "match"
    assert SCOPE_EXTENSION not in paths["/api/v1/needs"]["post"]


def test_a_token_with_every_scope_still_cannot_call_an_undeclared_route(client: TestClient, tokens: Tokens) -> None:
    made = client.post("/api/v1/tokens", json={"role": "integration", "name": "all",
                                               "scopes": ["read", "match", "webhooks"]},
                       headers=tokens.header("admin")).json()
    h = {"Authorization": f"Bearer {made['token']}"}
    assert client.get("/api/v1/needs", headers=h).status_code == 200
    refused = client.post("/api/v1/needs", json={"kind": "procurement", "title": "x"}, headers=h)
    assert refused.status_code == 403 and "scopes" in refused.text
