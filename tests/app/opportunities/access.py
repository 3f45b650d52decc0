"""Who may call the SME feed routes: SME members only, each for its own firm."""

from __future__ import annotations

from tests.app.access import Access, Ctx, only
from tests.app.needs.helpers import published_need, reusable, untouched_by_firms

ME = "/api/v1/me/opportunities"
SMES = {"sme": 200, "other_sme": 200}


def _published(ctx: Ctx) -> str:
    if "opportunities.need" not in ctx.cache:
        ctx.cache["opportunities.need"] = published_need(ctx.client, ctx.tokens, anonymous=True)["id"]
    return f"{ME}/{ctx.cache['opportunities.need']}"


def _fresh(ctx: Ctx, key: str) -> str:
    # Interest and dismissal are one-off per firm: a need some firm answered is replaced by a new one.
    nid = reusable(ctx, key, lambda: published_need(ctx.client, ctx.tokens, top_n=3, anonymous=True)["id"],
                   untouched_by_firms)
    return f"{ME}/{nid}"


ACCESS: dict[tuple[str, str], Access] = {
    ("GET", "/api/v1/me/opportunities"): Access(path=ME, expected=only(SMES), poster_private=True),
    ("GET", "/api/v1/me/opportunities/{need_id}"): Access(path=_published, expected=only(SMES), poster_private=True),
    ("POST", "/api/v1/me/opportunities/{need_id}/interest"): Access(
        path=lambda ctx: f"{_fresh(ctx, 'opportunities.interest')}/interest", body=lambda _ctx: {"message": "感兴趣"},
        expected=only(SMES)),
    ("POST", "/api/v1/me/opportunities/{need_id}/dismiss"): Access(
        path=lambda ctx: f"{_fresh(ctx, 'opportunities.dismiss')}/dismiss", expected=only(SMES)),
}
