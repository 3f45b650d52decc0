"""Who may call each analytics route (see tests/app/access.py): operators and admins only. The matrix's chain
"base" (root 锂电池) is one op_chain does not reach; op_region (广东省) reads only its own region, where no firm of
the fixture is, and may not file needs for the leader firm 100006, which lies outside it."""

from __future__ import annotations

import itertools

from tests.app.access import Access, Ctx, only

URL = "/api/v1/analytics"
READERS = {"admin": 200, "operator": 200, "op_region": 200}  # op_region: figures for 广东省, its one region
SHANDONG = {"admin": 200, "operator": 200}  # op_region may not read 山东省; op_chain not the chain

ACCESS = {
    ("GET", f"{URL}/chains"): Access(f"{URL}/chains", only({**READERS, "op_chain": 200})),
    ("GET", f"{URL}/chains/{{chain}}"): Access(f"{URL}/chains/base", only(READERS)),
    ("GET", f"{URL}/chains/{{chain}}/weak-links"): Access(f"{URL}/chains/base/weak-links?region=山东省",
                                                         only(SHANDONG)),
    ("GET", f"{URL}/chains/{{chain}}/report"): Access(f"{URL}/chains/base/report", only(READERS)),
    ("GET", f"{URL}/chains/{{chain}}/weak-links/{{node}}/outside-firms"): Access(
        f"{URL}/chains/base/weak-links/锂电池/outside-firms?region=山东省", only(SHANDONG)),
    ("POST", f"{URL}/chains/{{chain}}/weak-links/{{node}}/need"): Access(
        f"{URL}/chains/base/weak-links/锂电池/need", only({"admin": 201, "operator": 201}),
        body=lambda _ctx: {"poster": "100006", "region": "山东省"}),
    ("GET", f"{URL}/leaders/{{firm}}/supply-rate"): Access(f"{URL}/leaders/100006/supply-rate?chain=base",
                                                           only(SHANDONG)),
    ("GET", f"{URL}/quarters/{{period}}"): Access(f"{URL}/quarters/2026Q4?chain=base", only(READERS)),
}

_periods = itertools.count(1)


def _fresh_period(ctx: Ctx) -> str:
    # every call freezes a quarter of its own: a second freeze of one scope is a conflict (tested apart)
    return f"{URL}/quarters/{2000 + next(_periods)}Q2/freeze?chain=base"


def _frozen(ctx: Ctx) -> str:
    if "analytics.frozen" not in ctx.cache:
        resp = ctx.client.post(f"{URL}/quarters/2020Q1/freeze?chain=base", headers=ctx.as_("admin"))
        assert resp.status_code == 201, resp.text
        ctx.cache["analytics.frozen"] = True
    return f"{URL}/quarters/2020Q1/frozen?chain=base"


ACCESS |= {
    # op_region freezes the report of its own region
    ("POST", f"{URL}/quarters/{{period}}/freeze"): Access(_fresh_period, only({"admin": 201, "operator": 201,
                                                                               "op_region": 201})),
    # op_region's figures are for 广东省, and nobody froze that scope
    ("GET", f"{URL}/quarters/{{period}}/frozen"): Access(_frozen, only({"admin": 200, "operator": 200,
                                                                        "op_region": 404})),
}
