"""揭榜挂帅 on the pages: a leader posts, publishes and decides; an SME applies alone or as a team; the named
members confirm or decline (the rules are app/challenges' own, including team confirmation)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.challenges import applications, teams
from app.challenges import service as challenges
from app.challenges.schemas import ApplicationCreate, ApplicationDecision, ChallengeCreate
from app.core.deps import SessionDep
from app.core.vocabulary import RowId
from app.enterprises import service as enterprises
from app.match_index.deps import IndexDep
from app.web import forms
from app.web.pages import LeaderPost, LeaderView, ManagerPost, SmePost, SmeView, Viewer, Who, back_to, render

router = APIRouter(include_in_schema=False)
CHALLENGE_FIELDS = ("title", "description", "prize_amount", "deadline", "mode", "ip_terms", "max_winners")


@router.get("/challenges")
def challenge_list(request: Request, session: SessionDep, who: Viewer, status: str = "") -> Response:
    status = status if status in ("draft", "published", "closed") else ""
    if who.user.role == "sme":
        status = "published"
    page = challenges.search(session=session, principal=who.user, mode=None, status=status or None, limit=100,
                             offset=0)
    items = page.items
    if who.user.role == "leader":
        items = [c for c in items if c.poster and c.poster.id == who.user.org_id]
    return render(request, "challenges/list.html", who, crumbs=[("揭榜挂帅", "")], items=items, status_filter=status)


def _form(request: Request, who: Who, state: forms.FormState, status: int = 200) -> Response:
    return render(request, "challenges/form.html", who, status=status,
                  crumbs=[("揭榜挂帅", "/challenges"), ("发布揭榜挂帅", "")], form=state.values, errors=state.errors)


@router.get("/challenges/new")
def new_challenge(request: Request, who: LeaderView) -> Response:
    return _form(request, who, forms.FormState(values={"mode": "competitive", "max_winners": "1"}))


@router.post("/challenges/new")
async def create_challenge(request: Request, session: SessionDep, who: LeaderPost) -> Response:
    state = await forms.read(request)
    data: dict[str, Any] = forms.blank_to_none(state.values, CHALLENGE_FIELDS)
    data = {k: v for k, v in data.items() if v is not None} | {"nodes": forms.lines(state.values.get("nodes")),
                                                              "anonymous": state.values.get("anonymous") == "on"}
    parsed = forms.parse(ChallengeCreate, data, state)
    made = forms.attempt(state, lambda: challenges.create(session=session, data=parsed, principal=who.user)) \
        if parsed else None
    if made is None:
        session.rollback()
        return _form(request, who, state, 422)
    return back_to(f"/challenges/{made.id}", "揭榜挂帅已保存为草稿，发布后将定向推送给合适的企业与院所。")


@router.get("/challenges/{challenge_id}")
def challenge_detail(challenge_id: RowId, request: Request, session: SessionDep, who: Viewer) -> Response:
    need, ch = challenges.get_visible(session, who.user, challenge_id)
    shown = challenges.out(session, [(need, ch)], who.user)[0]
    apps, mine = None, None
    manages = who.user.role in ("operator", "admin") or who.user.org_id == need.poster_org_id
    if manages:
        apps = applications.list_for_challenge(session=session, need=need, principal=who.user, status=None,
                                               limit=200, offset=0)
    elif who.user.role == "sme":
        own = applications.list_mine(session=session, principal=who.user, status=None, limit=200, offset=0)
        mine = next((a for a in own.items if a.challenge_id == need.id), None)
    return render(request, "challenges/detail.html", who, crumbs=[("揭榜挂帅", "/challenges"), (shown.title, "")],
                  ch=shown, apps=apps, mine=mine, is_poster=who.user.org_id == need.poster_org_id,
                  form={}, errors={})


@router.post("/challenges/{challenge_id}/publish")
def publish(challenge_id: RowId, session: SessionDep, index: IndexDep, who: ManagerPost) -> Response:
    need, ch = challenges.get_visible(session, who.user, challenge_id)
    reached = challenges.publish(session=session, holder=index, need=need, challenge=ch, principal=who.user)
    return back_to(f"/challenges/{challenge_id}", f"已发布，并定向推送给 {reached} 家企业与院所。")


@router.post("/challenges/{challenge_id}/close")
def close(challenge_id: RowId, session: SessionDep, who: ManagerPost) -> Response:
    need, ch = challenges.get_visible(session, who.user, challenge_id)
    challenges.close(session=session, need=need, challenge=ch, principal=who.user)
    return back_to(f"/challenges/{challenge_id}", "已关闭，不再接受申请。")


@router.post("/challenges/{challenge_id}/apply")
async def apply(challenge_id: RowId, request: Request, session: SessionDep, who: SmePost) -> Response:
    need, ch = challenges.get_visible(session, who.user, challenge_id)
    state = await forms.read(request)
    parsed = forms.parse(ApplicationCreate, {"proposal": state.values.get("proposal", ""),
                                             "team": forms.lines(state.values.get("team"))}, state)
    made = forms.attempt(state, lambda: applications.apply(session=session, need=need, challenge=ch, data=parsed,
                                                           principal=who.user)) if parsed else None
    if made is None:
        session.rollback()
        need, ch = challenges.get_visible(session, who.user, challenge_id)
        shown = challenges.out(session, [(need, ch)], who.user)[0]
        return render(request, "challenges/detail.html", who, status=422, ch=shown, apps=None, mine=None,
                      is_poster=False, form=state.values, errors=state.errors,
                      crumbs=[("揭榜挂帅", "/challenges"), (shown.title, "")])
    notice = "申请已提交。" if made.status == "submitted" else "申请已提交，待全部团队成员确认后生效；已通知各成员。"
    return back_to("/applications", notice)


@router.post("/challenges/{challenge_id}/applications/{app_id}")
async def decide(challenge_id: RowId, app_id: RowId, request: Request, session: SessionDep,
                 who: LeaderPost) -> Response:
    need, ch = challenges.get_visible(session, who.user, challenge_id)
    state = await forms.read(request)
    data = forms.parse(ApplicationDecision, {"status": state.values.get("status", ""),
                                             "reason": state.values.get("reason", "")}, state)
    if data is None or (data.status == "rejected" and not data.reason):
        return back_to(f"/challenges/{challenge_id}", "请选择操作；不予中选时须填写理由（申请方会看到）。")
    applications.decide(session=session, need=need, challenge=ch, app_id=app_id, data=data, principal=who.user)
    return back_to(f"/challenges/{challenge_id}#app-{app_id}", "已记录决定并通知申请方。")


@router.get("/applications")
def my_applications(request: Request, session: SessionDep, who: SmeView) -> Response:
    mine = applications.list_mine(session=session, principal=who.user, status=None, limit=200, offset=0)
    invites = applications.team_invitations(session=session, principal=who.user, limit=200, offset=0)
    firm = enterprises.firm_of(session=session, principal=who.user)
    return render(request, "challenges/applications.html", who, crumbs=[("我的申请", "")], mine=mine.items,
                  invites=invites.items, my_code=firm.code if firm else "")


@router.post("/applications/{app_id}/team")
async def answer_team(app_id: RowId, request: Request, session: SessionDep, who: SmePost) -> Response:
    state = await forms.read(request)
    accept = state.values.get("accept") == "1"
    done = teams.answer(session=session, app_id=app_id, accept=accept, principal=who.user)
    if not accept:
        return back_to("/applications", "已谢绝加入该团队；该团队申请不再有效。")
    return back_to("/applications", "已确认加入团队。" + ("全部成员已确认，申请已提交给发布方。"
                                                        if done.status == "submitted" else "等待其他成员确认。"))


@router.post("/applications/{app_id}/withdraw")
def withdraw(app_id: RowId, session: SessionDep, who: SmePost) -> Response:
    applications.withdraw(session=session, app_id=app_id, principal=who.user)
    return back_to("/applications", "申请已撤回。")
