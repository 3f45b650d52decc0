"""Health: public, reports database and index."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_health_reports_index(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["database"] is True
    assert body["index"]["ready"] is True and body["index"]["enterprises"] == 10
    assert isinstance(body["index"]["version"], int)
    assert client.get("/docs").status_code == 200
    assert "/api/v1/match" in client.get("/openapi.json").json()["paths"]
    assert client.get("/nowhere").status_code == 404
