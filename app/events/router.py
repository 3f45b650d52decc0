"""Matchmaking events (供需对接会). Who may call each route is said in its summary:
organisers = admins and the operators who reach the event; platforms = integration tokens with scope ``events``
that fed the event; firms = leader and SME tokens, acting for their own firm's participant only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Path, Response, UploadFile
from sqlalchemy.orm import Session

from app.access import events as policy
from app.core.admission import HEAVY
from app.core.deps import EVENTS, CurrentPrincipal, RowId, SessionDep, SettingsDep, StaffPrincipal, require_roles
from app.core.errors import Forbidden, Invalid, NotFound
from app.core.schemas import Page
from app.core.vocabulary import Limit, Offset
from app.events import agenda as agendas
from app.events import dayof, importing, planning, requests, service
from app.events import participants as parts
from app.events import schemas as s
from app.events.repository import EventRepository
from app.events.stats import stats
from app.events.suggestions import event_affinities
from app.events.views import meeting_out, participant_out, suggestions_for
from app.jobs.schemas import JobOut
from app.match_index.deps import IndexDep
from app.models import Event, EventMeeting, EventParticipant, Principal

router = APIRouter(prefix="/api/v1/events", tags=["events"])
Staff = StaffPrincipal
ICS_MEDIA = "text/calendar; charset=utf-8"
XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.post("",
             response_model=s.EventOut, status_code=201, summary="Create an event (admins, operators)")
def create_event(data: s.EventIn, session: SessionDep, principal: Staff) -> s.EventOut:
    return service.out(service.create(session=session, data=data, principal=principal))


@router.get("", openapi_extra=EVENTS, response_model=Page[s.EventOut],
            summary="Events: organisers see theirs, drafts included; firms and platforms those past draft")
def list_events(session: SessionDep, principal: CurrentPrincipal, limit: Limit = 20,
                offset: Offset = 0) -> Page[s.EventOut]:
    rows, total = service.search(session=session, principal=principal, limit=limit, offset=offset)
    return Page(items=[service.out(e) for e in rows], total=total, limit=limit, offset=offset)


@router.get("/stats", openapi_extra=EVENTS,
            response_model=s.Stats, summary="Statistics across the events the caller runs (admins, operators)")
def all_stats(session: SessionDep, principal: Staff) -> s.Stats:

    return stats(session, [e.id for e in EventRepository(session).events() if policy.runs(principal, e)])


@router.get("/{event_id}", openapi_extra=EVENTS,
            response_model=s.EventOut, summary="One event (whoever may see it, as the list)")
def get_event(event_id: RowId, session: SessionDep, principal: CurrentPrincipal) -> s.EventOut:
    return service.out(service.get(session=session, event_id=event_id, principal=principal))


@router.patch("/{event_id}",
              response_model=s.EventOut, summary="Change an event's set-up (organisers)")
def patch_event(event_id: RowId, data: s.EventPatch, session: SessionDep, principal: Staff) -> s.EventOut:
    return service.out(service.patch(session=session, event_id=event_id, data=data, principal=principal))


@router.post("/{event_id}/transition",  response_model=s.EventOut,
             summary="Move an event to its next state: open, running, closed, back to draft or open (organisers)")
def transition(event_id: RowId, data: s.TransitionIn, session: SessionDep, principal: Staff) -> s.EventOut:
    return service.out(service.transition(session=session, event_id=event_id, to=data.to, principal=principal))


@router.get("/{event_id}/stats", openapi_extra=EVENTS,
            response_model=s.Stats, summary="An event's statistics (organisers, platforms)")
def event_stats(event_id: RowId, session: SessionDep, principal: CurrentPrincipal) -> s.Stats:
    event = service.get(session=session, event_id=event_id, principal=principal)

    policy.require_reader(principal, event)
    return stats(session, [event.id])


@router.post("/{event_id}/participants",  response_model=s.ParticipantOut, status_code=201,
             summary="Register: a firm itself while registration is open (leaders, SMEs), or any firm (organisers)")
def register(event_id: RowId, data: s.ParticipantIn, session: SessionDep,
             principal: CurrentPrincipal) -> s.ParticipantOut:
    event = service.get(session=session, event_id=event_id, principal=principal)
    if principal.role == "integration":

        raise Forbidden("platforms upsert participants by their external id (PUT …/participants/external/{id})")
    return participant_out(session, event, parts.register(session=session, event=event, data=data,
                                                          principal=principal))


@router.post("/{event_id}/participants/import", openapi_extra=HEAVY,
             response_model=list[s.ParticipantOut], status_code=201,
             summary="Register participants from an xlsx or CSV file, all or nothing (organisers)")
def import_participants(event_id: RowId, session: SessionDep, settings: SettingsDep, principal: Staff,
                        file: Annotated[UploadFile, File(description="xlsx or CSV: 企业代码, 参会代表, 可参会时段, "
                                                                     "会谈上限, 洽谈内容, 外部编号")]
                        ) -> list[s.ParticipantOut]:
    event = service.get(session=session, event_id=event_id, principal=principal)
    data = file.file.read(settings.import_max_bytes + 1)
    made = importing.import_participants(session=session, event=event, data=data, filename=file.filename or "",
                                         principal=principal, max_bytes=settings.import_max_bytes,
                                         max_unpacked=settings.import_max_unpacked_bytes)
    return [participant_out(session, event, p) for p in made]


@router.put("/{event_id}/participants/external/{external_id}", openapi_extra=EVENTS, response_model=s.ParticipantOut,
            summary="Idempotent upsert by the platform's external id (platforms on open events, organisers)")
def upsert(event_id: RowId, external_id: Annotated[str, Path(min_length=1, max_length=64)], data: s.ParticipantIn,
           session: SessionDep, principal: Annotated[Principal, Depends(require_roles("admin", "operator",
                                                                                       "integration"))],
           response: Response) -> s.ParticipantOut:

    if not 1 <= len(external_id) <= 64 or not external_id.isprintable():
        raise Invalid("external_id", "1 to 64 printable characters")
    event = service.get(session=session, event_id=event_id, principal=principal)
    p, created = parts.upsert_external(session=session, event=event, external_id=external_id, data=data,
                                       principal=principal)
    response.status_code = 201 if created else 200
    return participant_out(session, event, p)


@router.get("/{event_id}/participants", openapi_extra=EVENTS, response_model=list[s.ParticipantOut],
            summary="All participants (organisers, platforms); a firm gets its own registration only")
def list_participants(event_id: RowId, session: SessionDep, principal: CurrentPrincipal) -> list[s.ParticipantOut]:
    event = service.get(session=session, event_id=event_id, principal=principal)

    if policy.runs(principal, event) or policy.is_platform(principal, event):
        rows = EventRepository(session).participants(event.id)
    else:
        mine = parts.own(session, event, principal)
        rows = [mine] if mine is not None else []
    return [participant_out(session, event, p) for p in rows]


@router.patch("/{event_id}/participants/{participant_id}",  response_model=s.ParticipantOut,
              summary="Change a registration: availability, cap, topics, representatives (its firm, organisers)")
def patch_participant(event_id: RowId, participant_id: RowId, data: s.ParticipantPatch, session: SessionDep,
                      principal: CurrentPrincipal) -> s.ParticipantOut:
    event, p = _participant(session, event_id, participant_id, principal)
    return participant_out(session, event, parts.update(session=session, event=event, participant=p, data=data,
                                                        principal=principal))


@router.get("/{event_id}/participants/{participant_id}/suggestions", openapi_extra=EVENTS,
            response_model=list[s.Suggestion],
            summary="Who this participant should meet, with the engine's reason (its firm, organisers)")
def suggestions(event_id: RowId, participant_id: RowId, session: SessionDep, principal: CurrentPrincipal,
                index: IndexDep, limit: Limit = 20) -> list[s.Suggestion]:
    event, p = _participant(session, event_id, participant_id, principal)

    policy.require_acts_for(principal, event, p)
    return suggestions_for(session, event, p, event_affinities(session, index, event))[:limit]


@router.post("/{event_id}/requests",  response_model=s.RequestOut, status_code=201,
             summary="Ask to meet (must / like) or mark 不见面 (no): a firm as itself, organisers for anyone")
def create_request(event_id: RowId, data: s.RequestIn, session: SessionDep,
                   principal: CurrentPrincipal) -> s.RequestOut:
    event = service.get(session=session, event_id=event_id, principal=principal)
    return requests.out(requests.create(session=session, event=event, data=data, principal=principal))


@router.get("/{event_id}/requests", openapi_extra=EVENTS, response_model=list[s.RequestOut],
            summary="Requests: organisers and platforms all; a firm those from or to it")
def list_requests(event_id: RowId, session: SessionDep, principal: CurrentPrincipal) -> list[s.RequestOut]:
    event = service.get(session=session, event_id=event_id, principal=principal)
    return [requests.out(r) for r in requests.visible(session=session, event=event, principal=principal)]


@router.post("/{event_id}/requests/{request_id}/answer",  response_model=s.RequestOut,
             summary="Accept or decline a pending request (the asked firm, organisers)")
def answer_request(event_id: RowId, request_id: RowId, data: s.AnswerIn, session: SessionDep,
                   principal: CurrentPrincipal) -> s.RequestOut:
    event = service.get(session=session, event_id=event_id, principal=principal)
    return requests.out(requests.answer(session=session, event=event, request_id=request_id, data=data,
                                        principal=principal))


@router.post("/{event_id}/schedule",  response_model=JobOut, status_code=202,
             summary="Run the scheduler as a background job; progress at /api/v1/jobs/{id} (organisers)")
def run_schedule(event_id: RowId, data: s.ScheduleIn, session: SessionDep, principal: Staff) -> JobOut:
    return JobOut.model_validate(planning.start(session=session, event_id=event_id, seconds=data.seconds,
                                                principal=principal))


@router.get("/{event_id}/meetings", openapi_extra=EVENTS, response_model=list[s.MeetingOut],
            summary="The schedule: organisers and platforms all meetings; a firm its own")
def list_meetings(event_id: RowId, session: SessionDep, principal: CurrentPrincipal) -> list[s.MeetingOut]:
    event = service.get(session=session, event_id=event_id, principal=principal)

    if policy.runs(principal, event) or policy.is_platform(principal, event):
        rows = EventRepository(session).meetings(event.id, live=False)
    else:
        mine = parts.own(session, event, principal)
        rows = EventRepository(session).meetings(event.id, mine.id, live=False) if mine is not None else []
    return [meeting_out(event, m) for m in rows]


@router.patch("/{event_id}/meetings/{meeting_id}",  response_model=s.MeetingOut,
              summary="Move a meeting to another slot or table, or lock it (organisers)")
def patch_meeting(event_id: RowId, meeting_id: RowId, data: s.MeetingPatch, session: SessionDep,
                  principal: Staff) -> s.MeetingOut:
    event, meeting = _meeting(session, event_id, meeting_id, principal)
    return meeting_out(event, dayof.move(session=session, event=event, meeting=meeting, data=data,
                                         principal=principal))


@router.post("/{event_id}/meetings/{meeting_id}/outcome",  response_model=s.MeetingOut,
             summary="Record a meeting's outcome: no interest, 意向 or 签约 (either firm of it, organisers)")
def outcome(event_id: RowId, meeting_id: RowId, data: s.OutcomeIn, session: SessionDep,
            principal: Annotated[Principal, Depends(require_roles("admin", "operator", "leader", "sme"))],
            ) -> s.MeetingOut:
    event, meeting = _meeting(session, event_id, meeting_id, principal)
    return meeting_out(event, dayof.set_outcome(session=session, event=event, meeting=meeting, data=data,
                                                principal=principal))


@router.post("/{event_id}/participants/{participant_id}/check-in",
             response_model=s.ParticipantOut,
             summary="Check a participant in at the desk (organisers)")
def check_in(event_id: RowId, participant_id: RowId, session: SessionDep, principal: Staff) -> s.ParticipantOut:
    event, p = _participant(session, event_id, participant_id, principal)
    dayof.check_in(session=session, event=event, participant=p, principal=principal)
    return participant_out(session, event, p)


@router.post("/{event_id}/participants/{participant_id}/no-show",  response_model=s.Rematched,
             summary="Mark a no-show in a slot; its counterparts get walk-in replacements (organisers)")
def no_show(event_id: RowId, participant_id: RowId, data: s.NoShowIn, session: SessionDep, principal: Staff,
            index: IndexDep) -> s.Rematched:
    event, p = _participant(session, event_id, participant_id, principal)
    missed, made, ms = dayof.no_show(session=session, holder=index, event=event, participant=p, slot=data.slot,
                                     principal=principal)
    return s.Rematched(cancelled=missed, replacements=[meeting_out(event, m) for m in made], took_ms=round(ms, 3))


@router.get("/{event_id}/participants/{participant_id}/agenda", openapi_extra=EVENTS, response_model=s.Agenda,
            summary="A participant's agenda (its firm, organisers, platforms)")
def agenda(event_id: RowId, participant_id: RowId, session: SessionDep, principal: CurrentPrincipal) -> s.Agenda:
    event, p = _agenda_subject(session, event_id, participant_id, principal)
    return agendas.agenda(session, event, p)


@router.get("/{event_id}/participants/{participant_id}/agenda.ics", openapi_extra=EVENTS, response_class=Response,
            summary="A participant's agenda as an iCalendar file, RFC 5545 (its firm, organisers, platforms)")
def agenda_ics(event_id: RowId, participant_id: RowId, session: SessionDep, principal: CurrentPrincipal) -> Response:
    event, p = _agenda_subject(session, event_id, participant_id, principal)
    return Response(agendas.to_ics(agendas.agenda(session, event, p)), media_type=ICS_MEDIA,
                    headers={"Content-Disposition": f'attachment; filename="event-{event.id}-agenda.ics"'})


@router.get("/{event_id}/table-plan.xlsx", openapi_extra=EVENTS, response_class=Response,
            summary="The table plan and meeting list as xlsx (organisers)")
def table_plan(event_id: RowId, session: SessionDep, principal: Staff) -> Response:
    event = service.get(session=session, event_id=event_id, principal=principal)

    policy.require_runner(principal, event)
    return Response(agendas.table_plan(session, event), media_type=XLSX_MEDIA,
                    headers={"Content-Disposition": f'attachment; filename="event-{event.id}-tables.xlsx"'})


def _agenda_subject(session: Session, event_id: int, participant_id: int,
                    principal: Principal) -> tuple[Event, EventParticipant]:

    event, p = _participant(session, event_id, participant_id, principal)
    if not (policy.acts_for(principal, event, p) or policy.is_platform(principal, event)):
        if principal.role in ("leader", "sme"):
            raise NotFound(f"participant {participant_id} not found")

        raise Forbidden("only the participant's firm, the organisers and the event's platforms see an agenda")
    return event, p


def _participant(session: Session, event_id: int, participant_id: int,
                 principal: Principal) -> tuple[Event, EventParticipant]:
    event = service.get(session=session, event_id=event_id, principal=principal)
    return event, parts.get(session, event, participant_id)


def _meeting(session: Session, event_id: int, meeting_id: int, principal: Principal) -> tuple[Event, EventMeeting]:
    event = service.get(session=session, event_id=event_id, principal=principal)
    return event, dayof.get_meeting(session, event, meeting_id)
