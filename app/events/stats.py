"""Counts and rates per event and across events: registered, requested, accepted, scheduled, held, no-shows, 意向
and 签约."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.events.schemas import Stats
from app.models import EventMeeting, EventParticipant, MeetingRequest


def _count(session: Session, stmt: object) -> int:
    return int(session.scalar(stmt) or 0)  # type: ignore[call-overload]


def stats(session: Session, event_ids: Sequence[int]) -> Stats:
    ids = list(event_ids)
    reg = _count(session, select(func.count()).where(EventParticipant.event_id.in_(ids)))
    req = select(func.count()).where(MeetingRequest.event_id.in_(ids), MeetingRequest.priority != "no")
    requested = _count(session, req)
    accepted = _count(session, req.where(MeetingRequest.status == "accepted"))
    meet = select(func.count()).where(EventMeeting.event_id.in_(ids))
    scheduled = _count(session, meet.where(EventMeeting.status != "cancelled"))
    held = _count(session, meet.where(EventMeeting.status == "held"))
    no_shows = _count(session, meet.where(EventMeeting.status == "no_show"))
    intent = _count(session, meet.where(EventMeeting.outcome == "intent"))
    signed = _count(session, meet.where(EventMeeting.outcome == "signed"))

    def rate(n: int, d: int) -> float:
        return round(n / d, 4) if d else 0.0

    return Stats(events=len(ids), registered=reg, requested=requested, accepted=accepted, scheduled=scheduled,
                 held=held, no_shows=no_shows, intent=intent, signed=signed,
                 rates={"acceptance": rate(accepted, requested), "show": rate(held, held + no_shows),
                        "intent": rate(intent + signed, held), "signed": rate(signed, held)})
