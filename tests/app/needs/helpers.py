"""Building needs over HTTP for the needs and opportunities tests and the access matrix."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.models import Enterprise, Need, Opportunity
from tests.app.access import Ctx
from tests.app.conftest import Tokens

URL = "/api/v1/needs"


def need_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "procurement", "title": "采购电池级碳酸锂", "description": "年采购碳酸锂500吨，要求电池级",
        "nodes": ["碳酸锂"], "scope": "node", "quantity": "500吨", "budget_min": 1_000_000, "budget_max": 2_000_000,
        "deadline": (date.today() + timedelta(days=30)).isoformat(), "delivery_region": "山东省",
        "required_certifications": ["ISO9001"], "anonymous": False,
    }
    body.update(overrides)
    return body


def post_need(client: TestClient, tokens: Tokens, **overrides: Any) -> dict[str, Any]:
    resp = client.post(URL, json=need_body(**overrides), headers=tokens.header("leader"))
    assert resp.status_code == 201, resp.text
    return resp.json()  # type: ignore[no-any-return]


def published_need(client: TestClient, tokens: Tokens, top_n: int = 50, **overrides: Any) -> dict[str, Any]:
    need = post_need(client, tokens, **overrides)
    resp = client.post(f"{URL}/{need['id']}/publish", json={"top_n": top_n}, headers=tokens.header("leader"))
    assert resp.status_code == 200, resp.text
    return resp.json()  # type: ignore[no-any-return]


def org(session: Session, code: str) -> int:
    """An enterprise's id; ids differ between backends (PostgreSQL sequences are not rolled back)."""
    found = session.scalar(select(Enterprise.id).where(Enterprise.code == code))
    assert found is not None
    return found


def reusable(ctx: Ctx, key: str, make: Callable[[], int], fresh: Callable[[Session, int], bool]) -> int:
    """A resource id for the access matrix, made anew only once a caller has used the last one up.

    Most callers are refused and leave it untouched, so the matrix stays fast.
    """
    ctx.session.expire_all()
    found = ctx.cache.get(key)
    if found is None or not fresh(ctx.session, found):
        found = ctx.cache[key] = make()
    return int(found)


def need_status(session: Session, need_id: int) -> str | None:
    need = session.get(Need, need_id)
    return need.status if need is not None else None


def untouched_by_firms(session: Session, need_id: int) -> bool:
    """No firm answered the need yet and the poster decided on nobody."""
    stmt = select(Opportunity.id).where(Opportunity.need_id == need_id,
                                        or_(Opportunity.sme_status != "none", Opportunity.poster_status != "none"))
    return session.scalar(stmt.limit(1)) is None
