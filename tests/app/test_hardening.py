"""Rate limits (429 with Retry-After), CORS closed by default and opened by configuration."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from tests.app.conftest import Tokens, make_client


def test_rate_limit_per_token_and_ip(migrated_url: str, session_factory: sessionmaker[Session],
                                     tokens: Tokens) -> None:
    with make_client(migrated_url, session_factory, build_index=False, rate_limit_per_token=5,
                     rate_limit_per_ip=8) as client:
        codes = [client.get("/api/v1/me", headers=tokens.header("sme")).status_code for _ in range(6)]
        assert codes[:5] == [200] * 5 and codes[5] == 429
        limited = client.get("/api/v1/me", headers=tokens.header("sme"))
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
        assert limited.json()["error"]["code"] == "rate_limited"
        # Another token still has its own bucket, until the address runs out too.
        assert client.get("/api/v1/me", headers=tokens.header("leader")).status_code == 200
        assert client.get("/api/v1/me", headers=tokens.header("admin")).status_code == 429
        assert client.get("/health").status_code == 200


def test_cors_closed_by_default_and_configurable(migrated_url: str, session_factory: sessionmaker[Session],
                                                 tokens: Tokens) -> None:
    preflight = {"Origin": "https://portal.example.cn", "Access-Control-Request-Method": "GET"}
    with make_client(migrated_url, session_factory, build_index=False) as client:
        resp = client.options("/api/v1/enterprises", headers=preflight)
        assert "access-control-allow-origin" not in resp.headers
    with make_client(migrated_url, session_factory, build_index=False,
                     cors_origins=["https://portal.example.cn"]) as client:
        resp = client.options("/api/v1/enterprises", headers=preflight)
        assert resp.headers["access-control-allow-origin"] == "https://portal.example.cn"
        other = client.options("/api/v1/enterprises", headers={**preflight, "Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
