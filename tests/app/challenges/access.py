"""Who may call each challenge and application route (see tests/app/access.py)."""

from __future__ import annotations

from tests.app.access import ANY, Access, Ctx, only
from tests.app.challenges.helpers import URL, apply, post_challenge, published


def _shared_published(ctx: Ctx) -> int:
    if "challenge" not in ctx.cache:
        ctx.cache["challenge"] = published(ctx.client, ctx.tokens, anonymous=True)["id"]
    return int(ctx.cache["challenge"])


def _fresh_draft(ctx: Ctx) -> int:
    return int(post_challenge(ctx.client, ctx.tokens, anonymous=True)["id"])


def _fresh_published(ctx: Ctx) -> int:
    return int(published(ctx.client, ctx.tokens, anonymous=True)["id"])


def _fresh_application(ctx: Ctx) -> str:
    cid = _fresh_published(ctx)
    return f"{URL}/{cid}/applications/{apply(ctx.client, ctx.tokens, cid)['id']}"


def _fresh_own_application(ctx: Ctx) -> str:
    cid = _fresh_published(ctx)
    return f"/api/v1/me/applications/{apply(ctx.client, ctx.tokens, cid)['id']}/withdraw"


def _fresh_team_application(ctx: Ctx) -> str:
    cid = _fresh_published(ctx)
    made = apply(ctx.client, ctx.tokens, cid, team=["100003"])  # other_sme's firm is the member
    return f"/api/v1/me/team-invitations/{made['id']}"


# integration tokens are read-only: the scope check answers 403 before the draft is looked up; the limited
# operators reach none of the leader's challenges
_DRAFT_HIDDEN = {"sme": 404, "other_sme": 404, "op_region": 404, "op_chain": 404}

ACCESS: dict[tuple[str, str], Access] = {
    ("POST", URL): Access(path=URL, expected=only({"leader": 201}),
                          body=lambda ctx: {"title": "隔膜涂覆技术攻关", "deadline": "2999-01-01",
                                            "nodes": ["隔膜"]}),
    ("GET", URL): Access(path=URL, expected=ANY, poster_private=True),
    ("GET", f"{URL}/{{challenge_id}}"): Access(path=lambda ctx: f"{URL}/{_shared_published(ctx)}", expected=ANY,
                                               poster_private=True),
    ("PATCH", f"{URL}/{{challenge_id}}"): Access(
        path=lambda ctx: f"{URL}/{_fresh_draft(ctx)}", body=lambda ctx: {"prize_amount": 1},
        expected=only({"leader": 200, **_DRAFT_HIDDEN})),
    ("POST", f"{URL}/{{challenge_id}}/publish"): Access(
        path=lambda ctx: f"{URL}/{_fresh_draft(ctx)}/publish",
        expected=only({"leader": 200, "operator": 200, "admin": 200, **_DRAFT_HIDDEN})),
    ("POST", f"{URL}/{{challenge_id}}/close"): Access(
        path=lambda ctx: f"{URL}/{_fresh_published(ctx)}/close",
        expected=only({"leader": 200, "operator": 200, "admin": 200})),
    ("POST", f"{URL}/{{challenge_id}}/applications"): Access(
        path=lambda ctx: f"{URL}/{_fresh_published(ctx)}/applications",
        body=lambda ctx: {"proposal": "方案"}, expected=only({"sme": 201, "other_sme": 201})),
    ("GET", f"{URL}/{{challenge_id}}/applications"): Access(
        path=lambda ctx: f"{URL}/{_shared_published(ctx)}/applications",
        expected=only({"leader": 200, "operator": 200, "admin": 200}), poster_private=True),
    ("PUT", f"{URL}/{{challenge_id}}/applications/{{app_id}}"): Access(
        path=_fresh_application, body=lambda ctx: {"status": "shortlisted"}, expected=only({"leader": 200})),
    # By now the leader has decided on the SME's applications: their history must not name the anonymous poster.
    ("GET", "/api/v1/me/applications"): Access(path="/api/v1/me/applications",
                                               expected=only({"sme": 200, "other_sme": 200}), poster_private=True),
    ("POST", "/api/v1/me/applications/{app_id}/withdraw"): Access(
        path=_fresh_own_application, expected=only({"sme": 200, "other_sme": 404}), poster_private=True),
    ("GET", "/api/v1/me/team-invitations"): Access(path="/api/v1/me/team-invitations",
                                                   expected=only({"sme": 200, "other_sme": 200}), poster_private=True),
    ("POST", "/api/v1/me/team-invitations/{app_id}"): Access(
        path=_fresh_team_application, body=lambda ctx: {"accept": True},
        expected=only({"other_sme": 200, "sme": 404}), poster_private=True),
}
