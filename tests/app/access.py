"""Shapes for the access matrix: each domain's tests/app/<domain>/access.py exports ACCESS entries.

An entry maps (METHOD, path template as in the OpenAPI schema) to an Access: how to build the concrete path
and body (fresh for each caller, so a call that consumes a resource gets its own), and the status each kind
of caller must get.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.app.conftest import Tokens

CALLERS = ["admin", "operator", "leader", "sme", "other_sme", "integration", "none", "expired", "revoked"]
ANY = {"admin": 200, "operator": 200, "leader": 200, "sme": 200, "other_sme": 200, "integration": 200,
       "none": 401, "expired": 401, "revoked": 401}


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


def only(allowed: dict[str, int], others: int = 403) -> dict[str, int]:
    """Listed callers get their status; other token holders get ``others``; no or bad tokens get 401."""
    return {c: allowed.get(c, 401 if c in ("none", "expired", "revoked") else others) for c in CALLERS}
