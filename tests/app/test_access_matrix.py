"""Every route of the OpenAPI schema, called by every kind of caller, answers as the matrix says.

A route without an entry here fails the test: whoever adds a route states who may call it.
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth.tokens import create_token, revoke_token
from app.models._types import utcnow
from tests.app.conftest import Tokens

CALLERS = ["admin", "operator", "leader", "sme", "other_sme", "integration", "none", "expired", "revoked"]
ANY = {"admin": 200, "operator": 200, "leader": 200, "sme": 200, "other_sme": 200, "integration": 200,
       "none": 401, "expired": 401, "revoked": 401}
_counter = itertools.count()


def only(allowed: dict[str, int]) -> dict[str, int]:
    return {c: allowed.get(c, 401 if c in ("none", "expired", "revoked") else 403) for c in CALLERS}


def _new_enterprise() -> dict[str, Any]:
    n = next(_counter)
    return {"code": f"M{n}", "name": f"矩阵{n}"}


def _new_chain() -> dict[str, Any]:
    n = next(_counter)
    return {"code": f"m{n}", "name": f"矩阵链{n}", "root": "锂电池"}


# (method, path template) -> (path, body factory, expected status by caller)
MATRIX: dict[tuple[str, str], tuple[str, Any, dict[str, int]]] = {
    ("GET", "/health"): ("/health", None, dict.fromkeys(CALLERS, 200)),
    ("GET", "/api/v1/enterprises"): ("/api/v1/enterprises", None, ANY),
    ("POST", "/api/v1/enterprises"): ("/api/v1/enterprises", _new_enterprise, only({"admin": 201, "operator": 201})),
    ("GET", "/api/v1/enterprises/{key}"): ("/api/v1/enterprises/100002", None, ANY),
    ("PATCH", "/api/v1/enterprises/{key}"): ("/api/v1/enterprises/100002", lambda: {"description": "更新"},
                                             only({"admin": 200, "operator": 200, "sme": 200})),
    ("GET", "/api/v1/nodes"): ("/api/v1/nodes", None, ANY),
    ("GET", "/api/v1/nodes/{key}"): ("/api/v1/nodes/锂电池", None, ANY),
    ("GET", "/api/v1/chains"): ("/api/v1/chains", None, ANY),
    ("POST", "/api/v1/chains"): ("/api/v1/chains", _new_chain, only({"admin": 201, "operator": 201})),
    ("GET", "/api/v1/chains/{key}"): ("/api/v1/chains/base", None, ANY),
    ("GET", "/api/v1/chains/{key}/graph"): ("/api/v1/chains/base/graph", None, ANY),
    ("GET", "/api/v1/industries"): ("/api/v1/industries", None, ANY),
    ("GET", "/api/v1/industries/{code}"): ("/api/v1/industries/630701", None, ANY),
    ("POST", "/api/v1/match"): ("/api/v1/match", lambda: {"text": "碳酸锂"},
                                only({"admin": 200, "operator": 200, "leader": 200})),
}


def test_every_route_has_an_entry(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    routes = {(m.upper(), p) for p, ops in schema["paths"].items() for m in ops}
    assert routes == set(MATRIX), f"routes without a matrix entry: {routes - set(MATRIX)}"


def test_matrix(client: TestClient, tokens: Tokens, small: Session) -> None:
    expired, rec = create_token(small, role="admin", name="old")
    rec.expires_at = utcnow() - timedelta(days=1)
    revoked, rec2 = create_token(small, role="admin", name="gone")
    revoke_token(small, prefix=rec2.prefix)
    small.commit()
    assert client.post("/api/v1/chains", json={"code": "base", "name": "基础链", "root": "锂电池"},
                       headers=tokens.header("admin")).status_code == 201
    headers = {role: tokens.header(role) for role in ("admin", "operator", "leader", "sme", "other_sme", "integration")}
    headers |= {"none": {}, "expired": {"Authorization": f"Bearer {expired}"},
                "revoked": {"Authorization": f"Bearer {revoked}"}}
    wrong = []
    for (method, _), (path, body, expected) in MATRIX.items():
        for caller in CALLERS:
            resp = client.request(method, path, json=body() if body else None, headers=headers[caller])
            if resp.status_code != expected[caller]:
                wrong.append(f"{method} {path} as {caller}: {resp.status_code} (expected {expected[caller]})")
    assert not wrong, "\n".join(wrong)
