"""The matchmaking-event pages (Chinese): organisers set up and run an event (participants, requests, the schedule
with its progress, moving and locking meetings, the check-in desk, statistics); firms register, see their
suggestions with the reasons, answer requests, read their agenda and record outcomes. Every action goes through
the same services and access rules as the API; forms carry the session's CSRF token."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Cookie, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from app.access import events as policy
from app.auth import web_sessions
from app.core import vocabulary as words
from app.core.deps import RowId, SessionDep
from app.core.errors import AppError
from app.events import agenda as agendas
from app.events import dayof, planning, requests, service
from app.events import participants as parts
from app.events.schemas import Agenda, AnswerIn, MeetingPatch, OutcomeIn, ParticipantIn, RequestIn
from app.events.views import page_context
from app.match_index.deps import IndexDep
from app.models import Event, Principal, WebSession
from app.web.pages import templates

router = APIRouter(include_in_schema=False)
LABELS = {"role_names": words.ROLE_LABELS, "event_status": words.EVENT_STATUS_LABELS,
          "priority_names": words.REQUEST_PRIORITY_LABELS,
          "request_status": words.REQUEST_STATUS_LABELS, "meeting_status": words.MEETING_STATUS_LABELS,
          "outcome_names": words.MEETING_OUTCOME_LABELS}
ERRORS = {409: "当前状态下无法进行此操作。", 404: "对象不存在或您无权查看。", 403: "您无权进行此操作。",
          422: "填写的内容有误，请检查后重试。"}
Cookie_ = Annotated[str | None, Cookie()]


def _page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {**LABELS, **context}, status_code=status)


def _who(session: Session, cm_session: str | None) -> tuple[Principal, WebSession] | None:
    return web_sessions.current(session, cm_session)


@router.get("/events")
def events_page(request: Request, session: SessionDep, cm_session: Cookie_ = None) -> Response:
    found = _who(session, cm_session)
    if found is None:
        return RedirectResponse("/login", status_code=303)
    user, web = found
    rows, _ = service.search(session=session, principal=user, limit=200, offset=0)
    return _page(request, "events/list.html", user=user, csrf=web.csrf_token, events=rows,
                 staff=user.role in ("admin", "operator"))


@router.get("/events/{event_id}")
def event_page(event_id: RowId, request: Request, session: SessionDep, index: IndexDep,
               cm_session: Cookie_ = None, error: str = "") -> Response:
    found = _who(session, cm_session)
    if found is None:
        return RedirectResponse("/login", status_code=303)
    user, web = found
    try:
        event = service.get(session=session, event_id=event_id, principal=user)
    except AppError:
        return _page(request, "base.html", 404, user=user, csrf=web.csrf_token)
    return _page(request, "events/event.html", user=user, csrf=web.csrf_token, error=ERRORS.get(
        int(error), "") if error.isdigit() else "", **page_context(session, index, event, user))


def _agenda(session: Session, cm_session: str | None, event_id: int,
            participant_id: int) -> tuple[Principal, WebSession, Agenda | None] | None:
    """The agenda the logged-in user may read (its own firm's, or any for organisers), None inside when not."""
    found = _who(session, cm_session)
    if found is None:
        return None
    user, web = found
    try:
        event = service.get(session=session, event_id=event_id, principal=user)
        p = parts.get(session, event, participant_id)
        policy.require_acts_for(user, event, p)
    except AppError:
        return user, web, None
    return user, web, agendas.agenda(session, event, p)


@router.get("/events/{event_id}/agenda/{participant_id}")
def agenda_page(event_id: RowId, participant_id: RowId, request: Request, session: SessionDep,
                cm_session: Cookie_ = None) -> Response:
    found = _agenda(session, cm_session, event_id, participant_id)
    if found is None:
        return RedirectResponse("/login", status_code=303)
    user, web, agenda = found
    if agenda is None:
        return _page(request, "base.html", 404, user=user, csrf=web.csrf_token)
    return _page(request, "events/agenda.html", user=user, csrf=web.csrf_token, agenda=agenda)


@router.get("/events/{event_id}/agenda/{participant_id}/calendar.ics")
def agenda_ics(event_id: RowId, participant_id: RowId, session: SessionDep, cm_session: Cookie_ = None) -> Response:
    found = _agenda(session, cm_session, event_id, participant_id)
    if found is None:
        return RedirectResponse("/login", status_code=303)
    if found[2] is None:
        return Response("未找到", status_code=404)
    return Response(agendas.to_ics(found[2]), media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="event-{event_id}-agenda.ics"'})


def _act(session: Session, index: Any, user: Principal, event: Event, action: str, form: dict[str, str]) -> None:
    """One form action, through the same services as the API."""
    number = {k: int(v) for k, v in form.items() if v.strip().lstrip("-").isdigit()}
    if action == "register":
        parts.register(session=session, event=event, principal=user,
                       data=ParticipantIn(topics=form.get("topics", "")[:2000],
                                          representatives=[r for r in form.get("reps", "").split("、") if r][:10]))
    elif action == "request":
        requests.create(session=session, event=event, principal=user, data=RequestIn(
            to_participant=number["to"], priority=form.get("priority", "like"),  # type: ignore[arg-type]
            message=form.get("message", "")[:1000]))
    elif action in ("accept", "decline"):
        requests.answer(session=session, event=event, request_id=number["id"], principal=user,
                        data=AnswerIn(accept=action == "accept"))
    elif action == "schedule":
        planning.start(session=session, event_id=event.id, seconds=20.0, principal=user)
    elif action in ("open", "running", "closed", "draft"):
        service.transition(session=session, event_id=event.id, to=action, principal=user)
    elif action == "checkin":
        dayof.check_in(session=session, event=event, participant=parts.get(session, event, number["id"]),
                       principal=user)
    elif action == "noshow":
        dayof.no_show(session=session, holder=index, event=event, participant=parts.get(session, event, number["id"]),
                      slot=number["slot"], principal=user)
    elif action == "move":
        patch = MeetingPatch(slot=number.get("slot"), table=number.get("table"), locked=True)
        dayof.move(session=session, event=event, meeting=dayof.get_meeting(session, event, number["id"]), data=patch,
                   principal=user)
    elif action == "outcome":
        dayof.set_outcome(session=session, event=event, meeting=dayof.get_meeting(session, event, number["id"]),
                          principal=user, data=OutcomeIn(outcome=form.get("outcome", ""),  # type: ignore[arg-type]
                                                         notes=form.get("notes", "")[:2000]))
    else:
        raise AppError("unknown action", status=404)


@router.post("/events/{event_id}/do/{action}")
async def event_action(event_id: RowId, action: str, request: Request, session: SessionDep, index: IndexDep,
                       csrf: Annotated[str, Form(max_length=100)] = "", cm_session: Cookie_ = None) -> Response:
    found = _who(session, cm_session)
    if found is None:
        return RedirectResponse("/login", status_code=303)
    user, web = found
    if not web_sessions.check_csrf(web, csrf):
        return Response("CSRF 校验失败", status_code=403)
    form = {k: str(v)[:2000] for k, v in (await request.form()).items() if isinstance(v, str)}
    try:
        event = service.get(session=session, event_id=event_id, principal=user)
        _act(session, index, user, event, action, form)
    except (AppError, KeyError, ValueError) as exc:
        session.rollback()
        status = exc.status if isinstance(exc, AppError) else 422
        return RedirectResponse(f"/events/{event_id}?error={status}", status_code=303)
    return RedirectResponse(f"/events/{event_id}", status_code=303)
