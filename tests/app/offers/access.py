"""Who may call each offer route (see tests/app/access.py)."""

from __future__ import annotations

from typing import Any

from tests.app.access import ANY, Access, Ctx, only
from tests.app.challenges.helpers import post_challenge

URL = "/api/v1/offers"


def offer_body(**overrides: Any) -> dict[str, Any]:
    return {"kind": "result", "title": "电池级碳酸锂膜法提纯技术", "description": "杂质低于10ppm",
            "nodes": ["碳酸锂"]} | overrides


def _fresh_offer(ctx: Ctx) -> int:
    resp = ctx.client.post(URL, json=offer_body(), headers=ctx.as_("sme"))
    assert resp.status_code == 201, resp.text
    return int(resp.json()["id"])


def _shared_offer(ctx: Ctx) -> int:
    if "offer" not in ctx.cache:
        ctx.cache["offer"] = _fresh_offer(ctx)
    return int(ctx.cache["offer"])


def _need(ctx: Ctx) -> int:
    if "offer_need" not in ctx.cache:
        ctx.cache["offer_need"] = post_challenge(ctx.client, ctx.tokens, anonymous=True)["id"]
    return int(ctx.cache["offer_need"])


ACCESS: dict[tuple[str, str], Access] = {
    ("POST", URL): Access(path=URL, body=lambda ctx: offer_body(), expected=only({"sme": 201, "other_sme": 201})),
    ("GET", URL): Access(path=URL, expected=ANY),
    ("GET", f"{URL}/matches"): Access(
        path=lambda ctx: f"{URL}/matches?need={_need(ctx)}",
        # the need is a draft: those who may not rank offers for it may not know it exists either
        expected=only({"leader": 200, "operator": 200, "admin": 200, "op_region": 404, "op_chain": 404}),
        poster_private=True),
    ("GET", f"{URL}/{{offer_id}}"): Access(path=lambda ctx: f"{URL}/{_shared_offer(ctx)}", expected=ANY),
    ("PATCH", f"{URL}/{{offer_id}}"): Access(path=lambda ctx: f"{URL}/{_shared_offer(ctx)}",
                                            body=lambda ctx: {"description": "更新"}, expected=only({"sme": 200})),
    ("DELETE", f"{URL}/{{offer_id}}"): Access(path=lambda ctx: f"{URL}/{_fresh_offer(ctx)}",
                                             expected=only({"sme": 204})),
}
