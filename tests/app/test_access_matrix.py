"""Every route of the OpenAPI schema, called by every kind of caller, answers as the matrix says.

A route without an entry here fails the test: whoever adds a route states who may call it. The callers include two
limited operators (op_region, op_chain) that reach none of the fixture's needs, and every need and challenge the
matrix makes is anonymous: routes marked poster_private must not give the poster away to whoever may not know it.
"""

from __future__ import annotations

import importlib
import itertools
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth.tokens import create_token, revoke_token
from app.models._types import utcnow
from tests.app.access import ANY, CALLERS, POSTER_SEES, Access, Ctx, only, poster_traces
from tests.app.conftest import Tokens

_counter = itertools.count()


def _new_enterprise() -> dict[str, Any]:
    n = next(_counter)
    return {"code": f"M{n}", "name": f"矩阵{n}"}


def _new_chain() -> dict[str, Any]:
    n = next(_counter)
    return {"code": f"m{n}", "name": f"矩阵链{n}", "root": "锂电池"}


# (method, path template) -> (path, body factory, expected status by caller)
BASE: dict[tuple[str, str], tuple[str, Any, dict[str, int]]] = {
    ("GET", "/health"): ("/health", None, dict.fromkeys(CALLERS, 200)),
    ("GET", "/api/v1/enterprises"): ("/api/v1/enterprises", None, ANY),
    # op_region may register firms only in its region (this one has none); enterprises are not bound by chains.
    ("POST", "/api/v1/enterprises"): ("/api/v1/enterprises", _new_enterprise,
                                      only({"admin": 201, "operator": 201, "op_chain": 201})),
    ("GET", "/api/v1/enterprises/{key}"): ("/api/v1/enterprises/100002", None, ANY),
    ("PATCH", "/api/v1/enterprises/{key}"): ("/api/v1/enterprises/100002", lambda: {"description": "更新"},
                                             only({"admin": 200, "operator": 200, "sme": 200, "op_chain": 200})),
    ("GET", "/api/v1/nodes"): ("/api/v1/nodes", None, ANY),
    ("GET", "/api/v1/nodes/{key}"): ("/api/v1/nodes/锂电池", None, ANY),
    ("GET", "/api/v1/chains"): ("/api/v1/chains", None, ANY),
    ("POST", "/api/v1/chains"): ("/api/v1/chains", _new_chain,
                                 only({"admin": 201, "operator": 201, "op_region": 201, "op_chain": 201})),
    ("GET", "/api/v1/chains/{key}"): ("/api/v1/chains/base", None, ANY),
    ("GET", "/api/v1/chains/{key}/graph"): ("/api/v1/chains/base/graph", None, ANY),
    ("GET", "/api/v1/industries"): ("/api/v1/industries", None, ANY),
    ("GET", "/api/v1/industries/{code}"): ("/api/v1/industries/630701", None, ANY),
    ("POST", "/api/v1/match"): ("/api/v1/match", lambda: {"text": "碳酸锂"},
                                only({"admin": 200, "operator": 200, "leader": 200, "op_region": 200,
                                      "op_chain": 200})),
}


def _collect() -> dict[tuple[str, str], Access]:
    matrix = {k: Access(path=p, body=(lambda _ctx, b=b: b()) if b else None, expected=e)
              for k, (p, b, e) in BASE.items()}
    here = Path(__file__).parent
    for module in sorted(here.glob("*/access.py")):
        found = importlib.import_module(f"tests.app.{module.parent.name}.access").ACCESS
        overlap = set(found) & set(matrix)
        assert not overlap, f"{module}: entries defined twice: {overlap}"
        matrix.update(found)
    return matrix


MATRIX = _collect()


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
    headers = {role: tokens.header(role) for role in ("admin", "operator", "leader", "sme", "other_sme", "integration",
                                                      "op_region", "op_chain")}
    headers |= {"none": {}, "expired": {"Authorization": f"Bearer {expired}"},
                "revoked": {"Authorization": f"Bearer {revoked}"}}
    ctx = Ctx(client=client, tokens=tokens, session=small)
    wrong = []
    for (method, _), entry in MATRIX.items():
        for caller in CALLERS:
            path = entry.path(ctx) if callable(entry.path) else entry.path
            body = entry.body(ctx) if entry.body else None
            resp = client.request(method, path, json=body, headers=headers[caller])
            if resp.status_code != entry.expected[caller]:
                wrong.append(f"{method} {path} as {caller}: {resp.status_code} (expected {entry.expected[caller]})"
                             f" {resp.text[:200]}")
            elif entry.poster_private and caller not in POSTER_SEES and resp.is_success:
                traces = poster_traces(ctx, resp.text)
                if traces:
                    wrong.append(f"{method} {path} as {caller}: gives the anonymous poster away: {traces}")
    assert not wrong, "\n".join(wrong)
