"""A chain leader's needs on the pages: dashboard, post and edit with the node picker and the engine's reading,
publish and close, versions, ranked firms with 匹配度 and decisions, interested firms and contacts, offers.

Operators and admins use the same need pages within their reach (the services decide what they may do); an
SME opening /needs/{id} gets its own view of the need (app/web/sme.py).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.core.admission import HEAVY
from app.core.deps import SessionDep
from app.core.vocabulary import DEFAULT_TOP_N, REQUIRED_TIER_LABELS, RowId
from app.match_index.deps import IndexDep
from app.matches import service as matches
from app.models import Need
from app.needs import candidates
from app.needs import service as needs
from app.needs.schemas import AnswerIn, CandidateIn, NeedCreate, NeedUpdate
from app.notifications import service as notifications
from app.offers import ranking as offers
from app.web import forms, sme
from app.web.pages import LeaderPost, LeaderView, ManagerPost, ManagerView, Viewer, Who, back_to, render

router = APIRouter(include_in_schema=False)
NEED_FIELDS = ("kind", "title", "description", "nodes", "scope", "quantity", "budget_min", "budget_max", "deadline",
               "delivery_region", "required_tier", "required_certifications", "anonymous")


def dashboard(request: Request, session: Session, who: Who) -> Response:
    mine = needs.search(session=session, principal=who.user, kind=None, status=None, q=None, limit=200, offset=0)
    open_needs = [n for n in mine.items if n.status == "published"]
    soon = sorted((n for n in open_needs if n.deadline), key=lambda n: n.deadline or 0)[:5]
    unread = notifications.Filter(unread=True)
    inbox = notifications.inbox(session=session, principal=who.user, f=unread, limit=8, offset=0)
    interests = [n for n in inbox.items if n.event in ("interest.received", "application.received")]
    return render(request, "leader/dashboard.html", who, needs=mine, open_needs=open_needs, soon=soon,
                  interests=interests, inbox=inbox)


@router.get("/needs")
def need_list(request: Request, session: SessionDep, who: ManagerView, status: str = "", q: str = "",
              offset: int = 0) -> Response:
    status = status if status in ("draft", "published", "closed") else ""
    page = needs.search(session=session, principal=who.user, kind=None, status=status or None, q=q.strip() or None,
                        limit=50, offset=max(0, min(offset, 10_000_000)))
    return render(request, "leader/needs.html", who, crumbs=[("需求", "")], page=page, status_filter=status, q=q)


def _need_data(values: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = forms.blank_to_none(values, NEED_FIELDS)
    data["nodes"] = forms.lines(values.get("nodes"))
    data["required_certifications"] = forms.lines(values.get("required_certifications"))
    data["anonymous"] = values.get("anonymous") == "on"
    data["scope"] = data.get("scope") or "node"
    if data.get("required_tier") == "none":
        data["required_tier"] = None
    return data


def _form_page(request: Request, who: Who, state: forms.FormState, need: Need | None, status: int = 200,
               reading: dict[str, list[str]] | None = None) -> Response:
    title = "编辑需求" if need else "发布新需求"
    crumbs = [("需求", "/needs")] + ([(need.title, f"/needs/{need.id}")] if need else []) + [(title, "")]
    return render(request, "leader/need_form.html", who, status=status, crumbs=crumbs, form=state.values,
                  errors=state.errors, need=need, heading=title, tiers=REQUIRED_TIER_LABELS, reading=reading or {})


@router.get("/needs/new")
def new_need(request: Request, who: LeaderView) -> Response:
    return _form_page(request, who, forms.FormState(values={"kind": "procurement", "scope": "node"}), None)


@router.post("/needs/new")
async def create_need(request: Request, session: SessionDep, index: IndexDep, who: LeaderPost) -> Response:
    state = await forms.read(request)
    data = forms.parse(NeedCreate, _need_data(state.values), state)
    made = forms.attempt(state, lambda: needs.create(session=session, data=data, principal=who.user)) if data else None
    if made is None:
        session.rollback()
        reading = matches.reading(holder=index, text=f"{state.values.get('title', '')}\n"
                                                     f"{state.values.get('description', '')}")
        return _form_page(request, who, state, None, 422, reading)
    return back_to(f"/needs/{made.id}", "需求已保存为草稿。核对引擎的理解与推荐企业后即可发布。")


def _values_of(need: Any) -> dict[str, str]:
    shown = {f: getattr(need, f) for f in NEED_FIELDS if f not in ("nodes", "required_certifications")}
    values = {k: ("" if v is None else str(v)) for k, v in shown.items()}
    values["nodes"] = "\n".join(n.name for n in need.nodes)
    values["required_certifications"] = "\n".join(need.required_certifications)
    values["anonymous"] = "on" if need.anonymous else ""
    values["required_tier"] = need.required_tier or "none"
    return values


@router.get("/needs/{need_id}/edit")
def edit_need(need_id: RowId, request: Request, session: SessionDep, who: ManagerView) -> Response:
    need = needs.get(session=session, need_id=need_id, principal=who.user)
    shown = needs.present(session, need, who.user)
    return _form_page(request, who, forms.FormState(values=_values_of(shown)), need)


@router.post("/needs/{need_id}/edit")
async def update_need(need_id: RowId, request: Request, session: SessionDep, who: ManagerPost) -> Response:
    need = needs.get(session=session, need_id=need_id, principal=who.user)
    state = await forms.read(request)
    data = forms.parse(NeedUpdate, _need_data(state.values), state)
    done = forms.attempt(state, lambda: needs.update(session=session, need=need, data=data, principal=who.user)) \
        if data else None
    if done is None:
        session.rollback()
        return _form_page(request, who, state, needs.get(session=session, need_id=need_id, principal=who.user), 422)
    return back_to(f"/needs/{need_id}", "需求已更新。" + ("已发布的需求会生成新版本并通知已参与的企业。"
                                                       if done.status == "published" else ""))


@router.get("/needs/{need_id}", openapi_extra=HEAVY)
def need_detail(need_id: RowId, request: Request, session: SessionDep, index: IndexDep, who: Viewer,
                tier: str = "", region: str = "") -> Response:
    if who.user.role == "sme":
        return sme.need_detail(request, session, who, need_id)
    need = needs.get(session=session, need_id=need_id, principal=who.user)
    shown = needs.present(session, need, who.user)
    tiers = (tier,) if tier in REQUIRED_TIER_LABELS and tier != "none" else ()
    regions = (region.strip(),) if region.strip() else ()
    ranked = candidates.matches(session=session, holder=index, need=need, principal=who.user, kinds=(),
                                tiers=tiers, regions=regions, limit=30, offset=0)
    interested = candidates.interests(session=session, need=need, principal=who.user, limit=100, offset=0)
    offered = offers.match(session=session, graph=index.graph, need=need, kind=None, limit=10) \
        if index.graph is not None else None
    return render(request, "leader/need.html", who, crumbs=[("需求", "/needs"), (shown.title, "")], need=shown,
                  matches=ranked.items, interests=interested.items, offers=offered.items if offered else [],
                  versions=needs.versions(session=session, need=need, principal=who.user),
                  reading=matches.reading(holder=index, text=f"{need.title}\n{need.description}"),
                  is_poster=who.user.org_id == need.poster_org_id, tier=tier, region=region,
                  tiers=REQUIRED_TIER_LABELS, top_n=DEFAULT_TOP_N)


@router.post("/needs/{need_id}/publish")
def publish_need(need_id: RowId, session: SessionDep, index: IndexDep, who: ManagerPost) -> Response:
    need = needs.get(session=session, need_id=need_id, principal=who.user)
    delivered = needs.publish(session=session, holder=index, need=need, principal=who.user, top_n=DEFAULT_TOP_N)
    return back_to(f"/needs/{need_id}", f"需求已发布，已定向推送给 {delivered} 家匹配企业。")


@router.post("/needs/{need_id}/close")
def close_need(need_id: RowId, session: SessionDep, who: ManagerPost) -> Response:
    need = needs.get(session=session, need_id=need_id, principal=who.user)
    needs.close(session=session, need=need, principal=who.user)
    return back_to(f"/needs/{need_id}", "需求已关闭。")


async def _decision(request: Request, session: Session, who: Who, need_id: int,
                    model: type[forms.M], values: dict[str, Any]) -> tuple[Need, forms.M | None]:
    """The poster's need and its decision form, read into the API's input model (None if it does not parse)."""
    need = needs.get(session=session, need_id=need_id, principal=who.user)
    state = await forms.read(request)
    return need, forms.parse(model, {k: v(state.values) for k, v in values.items()}, state)


@router.post("/needs/{need_id}/candidates/{code}")
async def decide_candidate(need_id: RowId, code: str, request: Request, session: SessionDep,
                           who: LeaderPost) -> Response:
    need, data = await _decision(request, session, who, need_id, CandidateIn,
                                 {"status": lambda v: v.get("status", ""), "reason": lambda v: v.get("reason", "")})
    if data is None or (data.status == "rejected" and not data.reason):
        return back_to(f"/needs/{need_id}", "请选择操作；婉拒时须填写理由（对方会看到）。")
    candidates.decide(session=session, need=need, key=code[:40], data=data, principal=who.user)
    return back_to(f"/needs/{need_id}#firm-{code[:40]}", "已记录您的决定，并通知了该企业。")


@router.post("/needs/{need_id}/interests/{code}/answer")
async def answer_interest(need_id: RowId, code: str, request: Request, session: SessionDep,
                          who: LeaderPost) -> Response:
    need, data = await _decision(request, session, who, need_id, AnswerIn,
                                 {"accept": lambda v: v.get("accept") == "1",
                                  "message": lambda v: v.get("message", "")})
    if data is None:
        return back_to(f"/needs/{need_id}", "留言不能超过 500 字。")
    candidates.answer(session=session, need=need, key=code[:40], data=data, principal=who.user)
    return back_to(f"/needs/{need_id}#interests", "已答复。双方同意后可互相看到联系方式。")
