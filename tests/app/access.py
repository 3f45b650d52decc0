"""Shapes for the access matrix: each domain's tests/app/<domain>/access.py exports ACCESS entries.

An entry maps (METHOD, path template as in the OpenAPI schema) to an Access: how to build the concrete path
and body (fresh for each caller, so a call that consumes a resource gets its own), and the status each kind
of caller must get.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ApiToken, Enterprise
from tests.app.conftest import Tokens

CALLERS = ["admin", "operator", "leader", "sme", "other_sme", "integration", "op_region", "op_chain",
           "none", "expired", "revoked"]
ANY = {"admin": 200, "operator": 200, "leader": 200, "sme": 200, "other_sme": 200, "integration": 200,
       "op_region": 200, "op_chain": 200, "none": 401, "expired": 401, "revoked": 401}
# Every need and challenge the matrix makes is posted, anonymously, by the leader's firm 100006. Only the firm's own
# members and staff who reach it may learn that; op_region and op_chain reach none of the fixture's needs.
POSTER = "100006"
POSTER_SEES = ("admin", "operator", "leader")


@dataclass
class Ctx:
    client: TestClient
    tokens: Tokens
    session: Session
    cache: dict[str, Any] = field(default_factory=dict)

    def as_(self, role: str) -> dict[str, str]:
        return self.tokens.header(role)


@dataclass
class Access:
    path: str | Callable[[Ctx], str]
    expected: dict[str, int]
    body: Callable[[Ctx], Any] | None = None
    # The answer is about the poster's (anonymous) needs, challenges or tokens: a caller outside POSTER_SEES must
    # find no trace of the poster in a successful answer.
    poster_private: bool = False


def only(allowed: dict[str, int], others: int = 403) -> dict[str, int]:
    """Listed callers get their status; other token holders get ``others``; no or bad tokens get 401."""
    return {c: allowed.get(c, 401 if c in ("none", "expired", "revoked") else others) for c in CALLERS}


def _walk(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield k, v
            yield from _walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)


def poster_traces(ctx: Ctx, text: str) -> list[str]:
    """What in ``text`` (a response body) gives the poster away: its code, names, contact, its member's name, or its
    id or its member's id where an answer names who acted."""
    if "poster" not in ctx.cache:
        firm = ctx.session.scalar(select(Enterprise).where(Enterprise.code == POSTER))
        assert firm is not None
        member = ctx.session.scalar(select(ApiToken.principal_id).where(
            ApiToken.prefix == ctx.tokens.leader.split("_")[1]))
        words = [w for w in (firm.code, firm.name, firm.full_name, firm.contact_email, "t-leader") if w]
        ctx.cache["poster"] = (words, firm.id, member)
    words, firm_id, member_id = ctx.cache["poster"]
    found = [w for w in words if w in text]
    try:
        body = json.loads(text)
    except ValueError:
        return found
    acting = {"org_id": firm_id, "poster_org_id": firm_id, "by": member_id}
    found += [f"{k}={v}" for k, v in _walk(body) if k in acting and v == acting[k]]
    return found
