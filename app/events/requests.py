"""Meeting requests: must-meet / would-like / no (不见面), answered by the other side, expiring when unanswered so
they do not hold slots; a participant's cap bounds its open and accepted requests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from app.access import events as policy
from app.core.audit import record
from app.core.db import begin_writer, lock
from app.core.errors import Conflict, Invalid
from app.events import participants
from app.events.repository import EventRepository
from app.events.schemas import AnswerIn, RequestIn, RequestOut
from app.jobs.context import JobContext
from app.jobs.registry import JobKind, NoParams
from app.models import Event, EventParticipant, MeetingRequest, Principal
from app.models._types import utcnow

OPEN_STATES = ("open", "scheduled")
EXPIRE_JOB = "event_requests_expire"


def out(r: MeetingRequest) -> RequestOut:
    return RequestOut(id=r.id, event_id=r.event_id, from_participant=r.from_id, to_participant=r.to_id,
                      priority=r.priority, message=r.message, status=r.status,  # type: ignore[arg-type]
                      expires_at=r.expires_at)


def _engaged(session: Session, participant_id: int) -> int:
    return EventRepository(session).engaged(participant_id)


def create(*, session: Session, event: Event, data: RequestIn, principal: Principal) -> MeetingRequest:
    policy.require_visible(principal, event)
    if event.status not in OPEN_STATES:
        raise Conflict(f"requests are made while the event is open or scheduled, not {event.status}")
    if data.from_participant is not None:
        policy.require_runner(principal, event)
        sender = participants.get(session, event, data.from_participant)
    else:
        found = participants.own(session, event, principal)
        if found is None:
            raise Invalid("from_participant", "your firm is not registered for this event")
        sender = found
    policy.require_acts_for(principal, event, sender)
    target = participants.get(session, event, data.to_participant)
    if target.id == sender.id:
        raise Invalid("to_participant", "a participant does not meet itself")
    lock(session, EventParticipant, sender.id)  # two simultaneous requests cannot both take the last place
    if data.priority != "no":
        for who in (sender, target):
            if _engaged(session, who.id) >= participants.cap_of(event, who):
                raise Conflict(f"participant {who.id} has reached its cap of meetings")
    now = utcnow()
    req = MeetingRequest(event_id=event.id, from_id=sender.id, to_id=target.id, priority=data.priority,
                         message=data.message, status="refused" if data.priority == "no" else "pending",
                         expires_at=None if data.priority == "no" else now + timedelta(hours=event.request_ttl_hours))
    session.add(req)
    session.flush()
    record(session, principal=principal, action="event.request", entity="event_request", entity_id=req.id,
           after={"from": sender.id, "to": target.id, "priority": data.priority})
    return req


def visible(*, session: Session, event: Event, principal: Principal) -> list[MeetingRequest]:
    """Organisers see every request; a firm only those from or to its own participant."""
    policy.require_visible(principal, event)
    if policy.runs(principal, event) or policy.is_platform(principal, event):
        return EventRepository(session).requests(event.id)
    mine = participants.own(session, event, principal)
    return EventRepository(session).requests(event.id, mine.id) if mine is not None else []


def answer(*, session: Session, event: Event, request_id: int, data: AnswerIn, principal: Principal) -> MeetingRequest:
    req = session.get(MeetingRequest, request_id)
    if req is None or req.event_id != event.id:
        raise Invalid("request_id", f"request {request_id} is not a request of this event")
    target = participants.get(session, event, req.to_id)
    policy.require_acts_for(principal, event, target)
    lock(session, MeetingRequest, req.id)
    session.refresh(req)
    if req.status == "pending" and req.expires_at is not None and req.expires_at <= utcnow():
        req.status = "expired"
    if req.status != "pending":
        raise Conflict(f"the request is {req.status}; only pending requests are answered")
    if data.accept and _engaged(session, target.id) > participants.cap_of(event, target):
        raise Conflict("your cap of meetings is reached")
    req.status = "accepted" if data.accept else "declined"
    req.answered_at = utcnow()
    session.flush()
    record(session, principal=principal, action="event.request.answer", entity="event_request", entity_id=req.id,
           before={"status": "pending"}, after={"status": req.status})
    return req


def expire(ctx: JobContext, _: NoParams) -> dict[str, Any]:
    with ctx.factory() as session:
        begin_writer(session)
        ids = EventRepository(session).expire_requests()
        ctx.progress(session, done=len(ids), total=len(ids))
        session.commit()
    return {"expired": len(ids)}


EXPIRE = JobKind(name=EXPIRE_JOB, params=NoParams, handler=expire, every_seconds=60)
