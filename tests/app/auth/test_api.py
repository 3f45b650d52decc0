"""Tokens over HTTP, integration scopes, operator limits, and the audit log."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.app.conftest import Tokens


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_issue_shows_token_once_and_revocation_is_immediate(client: TestClient, tokens: Tokens) -> None:
    made = client.post("/api/v1/tokens", json={"role": "leader", "org": "100006", "name": "采购部"},
                       headers=tokens.header("operator"))
    assert made.status_code == 201, made.text
    token, prefix = made.json()["token"], made.json()["prefix"]
    assert token.startswith(f"cm_{prefix}_")
    listed = client.get("/api/v1/tokens", headers=tokens.header("admin")).json()
    assert any(t["prefix"] == prefix for t in listed) and all("token" not in t for t in listed)
    assert client.get("/api/v1/me", headers=bearer(token)).json()["org"] == "100006"
    assert client.delete(f"/api/v1/tokens/{prefix}", headers=tokens.header("operator")).status_code == 200
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_only_admins_make_admins_and_operators(client: TestClient, tokens: Tokens) -> None:
    for role in ("admin", "operator"):
        resp = client.post("/api/v1/tokens", json={"role": role, "name": "x"}, headers=tokens.header("operator"))
        assert resp.status_code == 403
    admin_prefix = tokens.admin.split("_")[1]
    assert client.delete(f"/api/v1/tokens/{admin_prefix}", headers=tokens.header("operator")).status_code == 404
    assert all(t["role"] not in ("admin", "operator")
               for t in client.get("/api/v1/tokens", headers=tokens.header("operator")).json())


def test_bad_token_requests(client: TestClient, tokens: Tokens) -> None:
    h = tokens.header("admin")
    for body, field in [({"role": "king", "name": "x"}, "role"), ({"role": "sme", "name": "x"}, "org"),
                        ({"role": "integration", "name": "x", "scopes": ["everything"]}, "scopes"),
                        ({"role": "sme", "org": "100002", "name": "x", "regions": ["山东省"]}, "regions"),
                        ({"role": "operator", "name": "x", "chains": ["nochain"]}, "chains"),
                        ({"role": "sme", "org": "NOPE", "name": "x"}, "NOPE")]:
        resp = client.post("/api/v1/tokens", json=body, headers=h)
        assert resp.status_code in (404, 422), (body, resp.text)
        assert field in resp.text
    assert client.delete("/api/v1/tokens/nope", headers=h).status_code == 404


def test_integration_scopes(client: TestClient, tokens: Tokens) -> None:
    h = tokens.header("admin")
    reader = client.post("/api/v1/tokens", json={"role": "integration", "name": "r"}, headers=h).json()
    matcher = client.post("/api/v1/tokens", json={"role": "integration", "name": "m", "scopes": ["match"]},
                          headers=h).json()
    assert reader["scopes"] == ["read"]
    assert client.get("/api/v1/enterprises", headers=bearer(reader["token"])).status_code == 200
    assert client.post("/api/v1/match", json={"text": "碳酸锂"}, headers=bearer(reader["token"])).status_code == 403
    assert client.post("/api/v1/match", json={"text": "碳酸锂"}, headers=bearer(matcher["token"])).status_code == 200
    assert client.get("/api/v1/enterprises", headers=bearer(matcher["token"])).status_code == 403


def test_operator_limited_to_regions(client: TestClient, tokens: Tokens) -> None:
    op = client.post("/api/v1/tokens", json={"role": "operator", "name": "济南", "regions": ["山东省/济南市"]},
                     headers=tokens.header("admin")).json()["token"]
    assert client.get("/api/v1/me", headers=bearer(op)).json()["regions"] == ["山东省/济南市"]
    ok = client.patch("/api/v1/enterprises/100002", json={"description": "济南企业"}, headers=bearer(op))
    assert ok.status_code == 200
    assert client.patch("/api/v1/enterprises/100003", json={"description": "x"}, headers=bearer(op)).status_code == 403
    new = {"code": "QD1", "name": "青岛新企", "region": "山东省/青岛市"}
    assert client.post("/api/v1/enterprises", json=new, headers=bearer(op)).status_code == 403
    assert client.post("/api/v1/tokens", json={"role": "sme", "org": "100003", "name": "x"},
                       headers=bearer(op)).status_code == 403


def test_audit_log_records_before_and_after(client: TestClient, tokens: Tokens) -> None:
    client.patch("/api/v1/enterprises/100002", json={"description": "新描述", "tier": "little_giant"},
                 headers=tokens.header("operator"))
    entries = client.get("/api/v1/audit", params={"entity": "enterprise", "entity_id": "100002"},
                         headers=tokens.header("admin")).json()
    assert entries[0]["action"] == "enterprise.update"
    assert entries[0]["before"] == {"description": "", "tier": "provincial"}
    assert entries[0]["after"] == {"description": "新描述", "tier": "little_giant"}
    assert client.get("/api/v1/audit", headers=tokens.header("sme")).status_code == 403
