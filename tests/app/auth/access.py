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


ACCESS = {
    ("POST", "/api/v1/tokens"): Access("/api/v1/tokens", only({"admin": 201, "operator": 201}),
                                       body=lambda ctx: {"role": "integration", "name": f"m{next(_n)}"}),
    ("GET", "/api/v1/tokens"): Access("/api/v1/tokens", only({"admin": 200, "operator": 200})),
    ("DELETE", "/api/v1/tokens/{prefix}"): Access(_fresh_sme_token, only({"admin": 200, "operator": 200})),
    ("GET", "/api/v1/me"): Access("/api/v1/me", ANY),
    ("GET", "/api/v1/audit"): Access("/api/v1/audit", only({"admin": 200, "operator": 200})),
}
