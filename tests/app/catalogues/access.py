"""Who may call each catalogue route (see tests/app/access.py); every call gets freshly made resources."""

from __future__ import annotations

import itertools

from app.models import Catalogue, Need
from app.models._types import utcnow
from tests.app.access import ANY, Access, Ctx, only
from tests.app.catalogues.helpers import create_chain, create_need

URL = "/api/v1/catalogues"
# op_region manages catalogues (they span regions) but none of their items; op_chain reaches none of the chains.
MANAGERS = {"admin": 200, "operator": 200, "op_region": 200}
HIDDEN = {"op_chain": 404}  # another chain's draft or catalogue in review: it does not exist for op_chain
_periods = itertools.count(2030)


def catalogue(ctx: Ctx, status: str = "draft", *, with_item: bool = False) -> Catalogue:
    cat = Catalogue(chain_id=create_chain(ctx.session).id, period="2026Q4", title="矩阵目录", status=status, top_n=3,
                    published_at=utcnow() if status in ("published", "closed") else None)
    ctx.session.add(cat)
    ctx.session.flush()
    if with_item:
        need = create_need(ctx.session, status="published" if status in ("published", "closed") else "draft",
                           anonymous=True)
        need.catalogue_id = cat.id
    ctx.session.commit()
    return cat


def published(ctx: Ctx) -> int:
    if "catalogues.published" not in ctx.cache:
        ctx.cache["catalogues.published"] = catalogue(ctx, "published", with_item=True).id
    return int(ctx.cache["catalogues.published"])


def job_path(ctx: Ctx) -> str:
    if "catalogues.job" not in ctx.cache:
        cat = catalogue(ctx, "in_review", with_item=True)
        resp = ctx.client.post(f"{URL}/{cat.id}/publish", headers=ctx.as_("operator"))
        assert resp.status_code == 202, resp.text
        ctx.cache["catalogues.job"] = resp.json()["job"]["id"]
    return f"/api/v1/jobs/{ctx.cache['catalogues.job']}"


def _item_path(ctx: Ctx) -> str:
    need: Need = create_need(ctx.session, title="矩阵需求", anonymous=True)
    cat = catalogue(ctx)
    need.catalogue_id = cat.id
    ctx.session.commit()
    return f"{URL}/{cat.id}/items/{need.id}"


def _new_catalogue_body(ctx: Ctx) -> dict[str, object]:
    chain = create_chain(ctx.session)
    ctx.session.commit()
    return {"chain": chain.code, "period": f"{next(_periods)}Q1", "title": "矩阵"}


def _new_need_body(ctx: Ctx) -> dict[str, object]:
    need = create_need(ctx.session, title="加入目录", anonymous=True)
    ctx.session.commit()
    return {"need": need.id}


ACCESS: dict[tuple[str, str], Access] = {
    ("POST", URL): Access(URL, only({"admin": 201, "operator": 201, "op_region": 201}), body=_new_catalogue_body),
    ("GET", URL): Access(URL, ANY, poster_private=True),
    ("GET", f"{URL}/{{catalogue_id}}"): Access(lambda c: f"{URL}/{published(c)}", ANY, poster_private=True),
    ("PATCH", f"{URL}/{{catalogue_id}}"): Access(lambda c: f"{URL}/{catalogue(c).id}",
                                                 only(MANAGERS | HIDDEN), body=lambda c: {"top_n": 7}),
    # The need is the leader's draft: op_region does not know of it (an unknown need is 422 here).
    ("POST", f"{URL}/{{catalogue_id}}/items"): Access(
        lambda c: f"{URL}/{catalogue(c).id}/items",
        only({"admin": 201, "operator": 201, "leader": 201, "op_region": 422} | HIDDEN), body=_new_need_body),
    ("DELETE", f"{URL}/{{catalogue_id}}/items/{{need_id}}"): Access(
        _item_path, only({"admin": 204, "operator": 204, "leader": 204, "op_region": 404} | HIDDEN)),
    ("POST", f"{URL}/{{catalogue_id}}/submit"): Access(lambda c: f"{URL}/{catalogue(c).id}/submit",
                                                       only(MANAGERS | HIDDEN)),
    ("POST", f"{URL}/{{catalogue_id}}/reopen"): Access(
        lambda c: f"{URL}/{catalogue(c, 'in_review').id}/reopen", only(MANAGERS | HIDDEN)),
    ("POST", f"{URL}/{{catalogue_id}}/close"): Access(
        lambda c: f"{URL}/{catalogue(c, 'published', with_item=True).id}/close", only(MANAGERS)),
    # Publishing publishes the leader's draft item, which op_region may not publish.
    ("POST", f"{URL}/{{catalogue_id}}/publish"): Access(
        lambda c: f"{URL}/{catalogue(c, 'in_review', with_item=True).id}/publish",
        only({"admin": 202, "operator": 202} | HIDDEN)),
    ("GET", f"{URL}/{{catalogue_id}}/history"): Access(lambda c: f"{URL}/{published(c)}/history", only(MANAGERS),
                                                       poster_private=True),
    ("GET", f"{URL}/{{catalogue_id}}/export"): Access(lambda c: f"{URL}/{published(c)}/export?format=csv", ANY,
                                                      poster_private=True),
    # The matrix sends JSON, not a file: allowed callers get 422 (no file), the others are stopped before.
    ("POST", f"{URL}/{{catalogue_id}}/import"): Access(
        lambda c: f"{URL}/{catalogue(c).id}/import",
        only({"admin": 422, "operator": 422, "op_region": 422, "op_chain": 422})),
}
