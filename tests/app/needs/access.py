"""Who may call the needs routes. Paths build a fresh need whenever a caller used up the last one."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Opportunity
from tests.app.access import ANY, Access, Ctx, only
from tests.app.needs.helpers import (
    URL,
    need_body,
    need_status,
    post_need,
    published_need,
    reusable,
)

STAFF = {"admin": 200, "operator": 200, "leader": 200}
# A draft is private: firms outside the posting one, and operators whose reach does not cover it, do not learn it
# exists (integrations may not write at all). Published, it is theirs to read, not to manage (403).
DRAFT_HIDDEN = {"sme": 404, "other_sme": 404, "op_region": 404, "op_chain": 404}


def _published(ctx: Ctx) -> str:
    if "needs.published" not in ctx.cache:
        ctx.cache["needs.published"] = published_need(ctx.client, ctx.tokens, anonymous=True)["id"]
    return f"{URL}/{ctx.cache['needs.published']}"


def _fresh_published(ctx: Ctx) -> str:
    nid = reusable(ctx, "needs.to_close",
                   lambda: published_need(ctx.client, ctx.tokens, top_n=3, anonymous=True)["id"],
                   lambda s, i: need_status(s, i) == "published")
    return f"{URL}/{nid}"


def _fresh_draft(ctx: Ctx) -> str:
    nid = reusable(ctx, "needs.draft", lambda: post_need(ctx.client, ctx.tokens, anonymous=True)["id"],
                   lambda s, i: need_status(s, i) == "draft")
    return f"{URL}/{nid}"


def _interested(ctx: Ctx) -> int:
    nid = published_need(ctx.client, ctx.tokens, top_n=3, anonymous=True)["id"]
    resp = ctx.client.post(f"/api/v1/me/opportunities/{nid}/interest", json={"message": "感兴趣"},
                           headers=ctx.as_("sme"))
    assert resp.status_code == 200, resp.text
    return int(nid)


def _with_interest(ctx: Ctx) -> str:
    nid = reusable(ctx, "needs.interested", lambda: _interested(ctx),
                   lambda s, i: not answered(s, i))
    return f"{URL}/{nid}/interests/100002/answer"


def answered(session: Session, need_id: int) -> bool:
    stmt = select(Opportunity.id).where(Opportunity.need_id == need_id, Opportunity.poster_status != "none")
    return session.scalar(stmt.limit(1)) is not None


ACCESS: dict[tuple[str, str], Access] = {
    ("POST", "/api/v1/needs"): Access(path=URL, body=lambda _ctx: need_body(), expected=only({"leader": 201})),
    ("GET", "/api/v1/needs"): Access(path=URL, expected=ANY, poster_private=True),
    ("GET", "/api/v1/needs/{need_id}"): Access(path=_published, expected=ANY, poster_private=True),
    ("PATCH", "/api/v1/needs/{need_id}"): Access(path=_published, body=lambda _ctx: {"quantity": "700吨"},
                                                 expected=only(STAFF)),
    ("PATCH", "/api/v1/needs/{need_id}/understanding"): Access(
        path=lambda ctx: f"{_fresh_draft(ctx)}/understanding", body=lambda _ctx: {"attach": ["锂电池"]},
        expected=only(STAFF | DRAFT_HIDDEN)),
    ("GET", "/api/v1/needs/{need_id}/versions"): Access(path=lambda ctx: f"{_published(ctx)}/versions", expected=ANY,
                                                        poster_private=True),
    ("POST", "/api/v1/needs/{need_id}/publish"): Access(path=lambda ctx: f"{_fresh_draft(ctx)}/publish",
                                                        expected=only(STAFF | DRAFT_HIDDEN)),
    ("POST", "/api/v1/needs/{need_id}/close"): Access(path=lambda ctx: f"{_fresh_published(ctx)}/close",
                                                      expected=only(STAFF)),
    ("GET", "/api/v1/needs/{need_id}/matches"): Access(path=lambda ctx: f"{_published(ctx)}/matches",
                                                       expected=only(STAFF)),
    ("PUT", "/api/v1/needs/{need_id}/candidates/{enterprise}"): Access(
        path=lambda ctx: f"{_published(ctx)}/candidates/100002", body=lambda _ctx: {"status": "shortlisted"},
        expected=only({"leader": 200})),
    ("GET", "/api/v1/needs/{need_id}/interests"): Access(path=lambda ctx: f"{_published(ctx)}/interests",
                                                         expected=only(STAFF)),
    ("POST", "/api/v1/needs/{need_id}/interests/{enterprise}/answer"): Access(
        path=_with_interest, body=lambda _ctx: {"accept": True}, expected=only({"leader": 200})),
}
