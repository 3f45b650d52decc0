"""Access entries for tokens, /me and the audit log."""

from __future__ import annotations

import itertools

from tests.app.access import ANY, Access, Ctx, only

_n = itertools.count()


def _fresh_sme_token(ctx: Ctx) -> str:
    made = ctx.client.post("/api/v1/tokens", json={"role": "sme", "org": "100003", "name": f"victim{next(_n)}"},
                           headers=ctx.as_("admin"))
    assert made.status_code == 201, made.text
    return f"/api/v1/tokens/{made.json()['prefix']}"


STAFF = {"admin": 200, "operator": 200, "op_region": 200, "op_chain": 200}

ACCESS = {
    # Integration tokens belong to no firm or region: limited operators do not issue them.
    ("POST", "/api/v1/tokens"): Access("/api/v1/tokens", only({"admin": 201, "operator": 201}),
                                       body=lambda ctx: {"role": "integration", "name": f"m{next(_n)}"}),
    # Limited operators list only tokens of firms they reach: none of the fixture's.
    ("GET", "/api/v1/tokens"): Access("/api/v1/tokens", only(STAFF), poster_private=True),
    ("DELETE", "/api/v1/tokens/{prefix}"): Access(_fresh_sme_token, only({"admin": 200, "operator": 200,
                                                                          "op_region": 404, "op_chain": 404})),
    ("GET", "/api/v1/me"): Access("/api/v1/me", ANY),
    ("GET", "/api/v1/audit"): Access("/api/v1/audit", only(STAFF)),
}
