"""Health: public, reports database and index."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_health_reports_index(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["database"] is True
    assert body["index"]["ready"] is True and body["index"]["enterprises"] == 10
    assert isinstance(body["index"]["version"], int)
    # the prior re-ranker in use, and the figures it was kept on (matching/prior.py)
    prior = body["index"]["prior"]
    assert prior["depth"] == 50 and prior["features"] == 19
    assert prior["figures"]["blind_ndcg10_after"] > prior["figures"]["blind_ndcg10_before"]
    assert client.get("/docs").status_code == 200
    assert "/api/v1/match" in client.get("/openapi.json").json()["paths"]
    assert client.get("/nowhere").status_code == 404


def test_security_headers_and_body_limit(client: TestClient) -> None:
    resp = client.get("/health")
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in resp.headers["Content-Security-Policy"]
    big = client.post("/api/v1/match", content=b"{" + b" " * 2_100_000 + b"}",
                      headers={"Content-Type": "application/json"})
    assert big.status_code == 413 and big.json()["error"]["code"] == "payload_too_large"
