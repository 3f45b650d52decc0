"""Tokens: stored hashed, rejected when missing, malformed, unknown, expired or revoked."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.tokens import create_token, revoke_token
from app.models import ApiToken
from app.models._types import utcnow
from tests.app.conftest import Tokens


def test_token_is_hashed_and_prefixed(small: Session) -> None:
    token, record = create_token(small, role="operator", name="x")
    assert token.startswith(f"cm_{record.prefix}_")
    stored = small.scalar(select(ApiToken).where(ApiToken.id == record.id))
    assert stored is not None and token not in (stored.token_hash, stored.prefix)


def test_rejections(client: TestClient, tokens: Tokens, small: Session) -> None:
    url = "/api/v1/enterprises"
    assert client.get(url).status_code == 401
    assert client.get(url, headers={"Authorization": "Bearer nonsense"}).status_code == 401
    forged = tokens.admin[:-4] + "AAAA"
    assert client.get(url, headers={"Authorization": f"Bearer {forged}"}).status_code == 401
    token, record = create_token(small, role="operator", name="short")
    record.expires_at = utcnow() - timedelta(seconds=1)
    small.commit()
    resp = client.get(url, headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 401 and "expired" in resp.text
    assert client.get(url, headers=tokens.header("sme")).status_code == 200
    revoke_token(small, prefix=tokens.sme.split("_")[1])
    small.commit()
    resp = client.get(url, headers=tokens.header("sme"))
    assert resp.status_code == 401 and "revoked" in resp.text


def test_leader_token_needs_an_org(small: Session) -> None:
    import pytest

    from app.core.errors import Invalid, NotFound

    with pytest.raises(Invalid):
        create_token(small, role="leader", name="x")
    with pytest.raises(NotFound):
        create_token(small, role="sme", name="x", org_code="000000")
    with pytest.raises(Invalid):
        create_token(small, role="king", name="x")
