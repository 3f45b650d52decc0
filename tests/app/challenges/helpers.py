"""Typed helpers that build challenges and applications over HTTP (no fixtures that commit)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Enterprise
from app.models._types import utcnow
from tests.app.conftest import Tokens

URL = "/api/v1/challenges"


def future(days: int = 30) -> str:
    return (utcnow().date() + timedelta(days=days)).isoformat()


def challenge_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"title": "高纯碳酸锂提纯工艺攻关", "description": "电池级碳酸锂杂质控制与提纯",
                            "nodes": ["碳酸锂"], "prize_amount": 2_000_000, "deadline": future(),
                            "mode": "competitive", "ip_terms": "成果归双方共有", "max_winners": 2}
    return body | overrides


def post_challenge(client: TestClient, tokens: Tokens, **overrides: Any) -> dict[str, Any]:
    resp = client.post(URL, json=challenge_body(**overrides), headers=tokens.header("leader"))
    assert resp.status_code == 201, resp.text
    return resp.json()  # type: ignore[no-any-return]


def published(client: TestClient, tokens: Tokens, **overrides: Any) -> dict[str, Any]:
    made = post_challenge(client, tokens, **overrides)
    resp = client.post(f"{URL}/{made['id']}/publish", headers=tokens.header("leader"))
    assert resp.status_code == 200, resp.text
    return resp.json()  # type: ignore[no-any-return]


def apply(client: TestClient, tokens: Tokens, challenge_id: int, role: str = "sme",
          **overrides: Any) -> dict[str, Any]:
    body = {"proposal": "我们有十年碳酸锂提纯经验，拟采用膜分离工艺。"} | overrides
    resp = client.post(f"{URL}/{challenge_id}/applications", json=body, headers=tokens.header(role))
    assert resp.status_code == 201, resp.text
    return resp.json()  # type: ignore[no-any-return]


def org_id(session: Session, code: str) -> int:
    found = session.scalar(select(Enterprise.id).where(Enterprise.code == code))
    assert found is not None
    return int(found)
