"""An event's set-up and states: draft → open (registration) → scheduling → scheduled → running → closed."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from app.access import events as policy
from app.access.reach import require_region
from app.core.audit import record, snapshot
from app.core.db import lock
from app.core.errors import Conflict, Invalid, NotFound
from app.events.repository import EventRepository
from app.events.schemas import EventIn, EventOut, EventPatch, Slot
from app.models import Chain, Event, Principal
from app.models._types import utcnow

# States a person moves an event between; scheduling → scheduled is the schedule job's own step.
TRANSITIONS = {"draft": ("open",), "open": ("draft", "closed"), "scheduled": ("open", "running", "closed"),
               "running": ("closed",), "scheduling": (), "closed": ()}
_FIELDS = ("title", "venue", "tables", "registration_opens", "registration_closes", "meeting_cap",
           "request_ttl_hours", "suggestion_min_match", "status")
MAX_SLOTS = 200


def _iso(value: datetime) -> str:
    return value.replace(tzinfo=None, microsecond=0).isoformat()


def make_slots(data: EventIn) -> list[list[str]]:
    if data.slots:
        slots = sorted((s.start.replace(tzinfo=None), s.end.replace(tzinfo=None)) for s in data.slots)
    else:
        slots = []
        step = timedelta(minutes=data.slot_minutes)
        for day in sorted(set(data.days)):
            for w in sorted(data.windows, key=lambda w: w.start):
                at, end = datetime.combine(day, w.start), datetime.combine(day, w.end)
                while at + step <= end:
                    slots.append((at, at + step))
                    at += step
                    if len(slots) > MAX_SLOTS:
                        raise Invalid("windows", f"more than {MAX_SLOTS} slots")
    if not slots:
        raise Invalid("windows", "the windows are shorter than one slot")
    for (_, e1), (s2, _) in zip(slots, slots[1:], strict=False):
        if e1 > s2:
            raise Invalid("slots", f"slots overlap at {_iso(s2)}")
    if any(e <= s for s, e in slots):
        raise Invalid("slots", "every slot ends after it starts")
    return [[_iso(s), _iso(e)] for s, e in slots]


def out(event: Event) -> EventOut:
    return EventOut(id=event.id, title=event.title, chains=list(event.chains or []), region=event.region,
                    venue=event.venue, slots=[Slot(index=i, start=s, end=e) for i, (s, e) in enumerate(event.slots)],
                    tables=event.tables, registration_opens=event.registration_opens,
                    registration_closes=event.registration_closes, meeting_cap=event.meeting_cap,
                    request_ttl_hours=event.request_ttl_hours, suggestion_min_match=event.suggestion_min_match,
                    status=event.status, schedule_stats=dict(event.schedule_stats or {}))


def _window(opens: datetime | None, closes: datetime | None) -> None:
    if opens and closes and closes <= opens:
        raise Invalid("registration_closes", "registration closes after it opens")


def create(*, session: Session, data: EventIn, principal: Principal) -> Event:
    unknown = sorted(set(data.chains) - {c.code for c in session.query(Chain).filter(Chain.code.in_(data.chains))})
    if unknown:
        raise Invalid("chains", f"unknown chain(s): {', '.join(unknown)}")
    require_region(principal, data.region)
    opens = data.registration_opens.replace(tzinfo=None) if data.registration_opens else None
    closes = data.registration_closes.replace(tzinfo=None) if data.registration_closes else None
    _window(opens, closes)
    event = Event(title=data.title, chains=list(data.chains), region=data.region, venue=data.venue,
                  slots=make_slots(data), tables=data.tables, registration_opens=opens, registration_closes=closes,
                  meeting_cap=data.meeting_cap, request_ttl_hours=data.request_ttl_hours,
                  suggestion_min_match=data.suggestion_min_match, status="draft", platforms=[], schedule_stats={},
                  created_by=principal.id)
    if not policy.runs(principal, event):
        raise Invalid("chains", "an operator limited to chains makes events about its own chains")
    session.add(event)
    session.flush()
    record(session, principal=principal, action="event.create", entity="event", entity_id=event.id,
           after=snapshot(event, _FIELDS) | {"slots": len(event.slots)})
    return event


def get(*, session: Session, event_id: int, principal: Principal) -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound(f"event {event_id} not found")
    return policy.require_visible(principal, event)


def for_update(*, session: Session, event_id: int, principal: Principal) -> Event:
    """The event, re-read under a row lock, for an organiser's change (so simultaneous changes take effect once)."""
    policy.require_runner(principal, get(session=session, event_id=event_id, principal=principal))
    event = lock(session, Event, event_id)
    if event is None:
        raise NotFound(f"event {event_id} not found")
    return event


def search(*, session: Session, principal: Principal, limit: int, offset: int) -> tuple[list[Event], int]:
    # Events are few (dozens a year): the policy is applied to each row rather than duplicated in SQL.
    rows = [e for e in EventRepository(session).events() if policy.sees(principal, e)]
    return rows[offset:offset + limit], len(rows)


def patch(*, session: Session, event_id: int, data: EventPatch, principal: Principal) -> Event:
    event = for_update(session=session, event_id=event_id, principal=principal)
    if event.status in ("scheduling", "running", "closed"):
        raise Conflict(f"an event that is {event.status} cannot be edited")
    before = snapshot(event, _FIELDS)
    for key, value in data.model_dump(exclude_unset=True).items():
        if isinstance(value, datetime):
            value = value.replace(tzinfo=None)
        setattr(event, key, value)
    _window(event.registration_opens, event.registration_closes)
    session.flush()
    record(session, principal=principal, action="event.update", entity="event", entity_id=event.id,
           before=before, after=snapshot(event, _FIELDS))
    return event


def transition(*, session: Session, event_id: int, to: str, principal: Principal) -> Event:
    event = for_update(session=session, event_id=event_id, principal=principal)
    if to not in TRANSITIONS.get(event.status, ()):
        allowed = ", ".join(TRANSITIONS.get(event.status, ())) or "none (the schedule job moves it on)"
        raise Conflict(f"an event that is {event.status} cannot become {to}; allowed: {allowed}")
    set_status(session, event, to, principal)
    return event


def set_status(session: Session, event: Event, to: str, principal: Principal | None) -> None:
    before = event.status
    event.status = to
    session.flush()
    record(session, principal=principal, action="event.status", entity="event", entity_id=event.id,
           before={"status": before}, after={"status": to})


def registration_open(event: Event, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return (event.status == "open" and (event.registration_opens is None or event.registration_opens <= now)
            and (event.registration_closes is None or now < event.registration_closes))
