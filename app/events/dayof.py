"""The day itself: check-in, no-shows with walk-in re-matching, meetings moved or locked by hand, outcomes."""

from __future__ import annotations

import time

from sqlalchemy.orm import Session

from app.access import events as policy
from app.core.audit import record
from app.core.db import lock
from app.core.errors import Conflict, Invalid, NotFound
from app.events import participants as parts
from app.events.notify import announce
from app.events.repository import EventRepository
from app.events.schemas import MeetingPatch, OutcomeIn
from app.events.suggestions import affinities, pair_matches, refusals
from app.match_index.holder import IndexHolder
from app.models import Event, EventMeeting, EventParticipant, Principal
from app.models._types import utcnow
from scheduling import rematch

DAY_STATES = ("scheduled", "running")


def check_in(*, session: Session, event: Event, participant: EventParticipant, principal: Principal) -> None:
    policy.require_runner(principal, event)
    if event.status not in DAY_STATES:
        raise Conflict("check-in opens once the event is scheduled")
    if participant.checked_in_at is None:
        participant.checked_in_at, participant.absent = utcnow(), False
        session.flush()
        record(session, principal=principal, action="event.check_in", entity="event_participant",
               entity_id=participant.id, after={"checked_in": True})


def get_meeting(session: Session, event: Event, meeting_id: int) -> EventMeeting:
    return EventRepository(session).of_event(EventMeeting, event.id, meeting_id, "meeting")


def no_show(*, session: Session, holder: IndexHolder, event: Event, participant: EventParticipant, slot: int,
            principal: Principal) -> tuple[list[int], list[EventMeeting], float]:
    """Mark the participant absent from ``slot`` on; each of its counterparts there gets a free participant who fits.

    Returns (meetings marked no-show, replacement meetings, milliseconds taken)."""
    started = time.perf_counter()
    policy.require_runner(principal, event)
    if event.status not in DAY_STATES:
        raise Conflict("no-shows are recorded on the day of a scheduled event")
    if not 0 <= slot < len(event.slots):
        raise Invalid("slot", f"the event has slots 0–{len(event.slots) - 1}")
    repo = EventRepository(session)
    people = {p.id: p for p in repo.participants(event.id)}
    participant.absent = True
    live = repo.meetings(event.id)
    missed = [m for m in live if m.slot == slot and participant.id in (m.a_id, m.b_id) and m.status == "scheduled"]
    freed: dict[int, int] = {}  # counterpart → its table
    for m in missed:
        m.status = "no_show"
        other = m.b_id if m.a_id == participant.id else m.a_id
        freed[other] = m.table_no
        announce(session, event, "event.meeting.cancelled", m, people)
    busy = {p for m in live if m.slot == slot and m.status != "no_show" for p in (m.a_id, m.b_id)}
    count: dict[int, int] = {}
    met = set()
    for m in live:
        for p in (m.a_id, m.b_id):
            count[p] = count.get(p, 0) + 1
        met.add((min(m.a_id, m.b_id), max(m.a_id, m.b_id)))
    free = [p for p in people.values() if p.id not in busy and p.id not in freed and not p.absent
            and p.id != participant.id and slot in (p.available or [])
            and count.get(p.id, 0) < parts.cap_of(event, p)]
    # Only the counterparts' own rankings are needed: seconds, not the whole event's affinities.
    found = affinities(session, holder, list(people.values()), sources=[people[c] for c in freed])
    weights = {k: float(v) for k, v in pair_matches(found).items()
               if k not in met and k not in refusals(session, event.id)}
    made = []
    for r in rematch(freed, [p.id for p in free], weights):
        row = EventMeeting(event_id=event.id, a_id=min(r.counterpart, r.partner), b_id=max(r.counterpart, r.partner),
                           slot=slot, table_no=freed[r.counterpart], weight=r.weight, source="walk_in", locked=True,
                           status="scheduled", notes="")
        session.add(row)
        session.flush()
        announce(session, event, "event.meeting.scheduled", row, people)
        made.append(row)
    record(session, principal=principal, action="event.no_show", entity="event_participant", entity_id=participant.id,
           after={"slot": slot, "missed": [m.id for m in missed], "replacements": [m.id for m in made]})
    return [m.id for m in missed], made, (time.perf_counter() - started) * 1000


def move(*, session: Session, event: Event, meeting: EventMeeting, data: MeetingPatch,
         principal: Principal) -> EventMeeting:
    """Move a meeting to another cell and/or lock it; a meeting moved by hand is locked (a rerun keeps it)."""
    policy.require_runner(principal, event)
    lock(session, EventMeeting, meeting.id)
    if meeting.status != "scheduled":
        raise Conflict(f"a meeting that is {meeting.status} is not moved")
    slot = meeting.slot if data.slot is None else data.slot
    table = meeting.table_no if data.table is None else data.table - 1
    if slot >= len(event.slots) or table >= event.tables:
        raise Invalid("slot" if slot >= len(event.slots) else "table", "outside the event's slots or tables")
    people = {p.id: p for p in EventRepository(session).participants(event.id)}
    moved = (slot, table) != (meeting.slot, meeting.table_no)
    if moved:
        for m in EventRepository(session).meetings(event.id):
            if m.id == meeting.id or m.slot != slot:
                continue
            if m.table_no == table:
                raise Conflict(f"table {table + 1} is taken in slot {slot}")
            if {m.a_id, m.b_id} & {meeting.a_id, meeting.b_id}:
                raise Conflict(f"a participant of this meeting is busy in slot {slot}")
        for pid in (meeting.a_id, meeting.b_id):
            if slot not in (people[pid].available or []):
                raise Conflict(f"participant {pid} is not available in slot {slot}")
    before = {"slot": meeting.slot, "table": meeting.table_no, "locked": meeting.locked}
    meeting.slot, meeting.table_no = slot, table
    meeting.locked = True if moved else (meeting.locked if data.locked is None else data.locked)
    session.flush()
    record(session, principal=principal, action="event.meeting.move", entity="event_meeting", entity_id=meeting.id,
           before=before, after={"slot": slot, "table": table, "locked": meeting.locked})
    if moved:
        announce(session, event, "event.meeting.changed", meeting, people)
    return meeting


def set_outcome(*, session: Session, event: Event, meeting: EventMeeting, data: OutcomeIn,
                principal: Principal) -> EventMeeting:
    """Either firm of the meeting or an organiser records how it went: held, with no interest / 意向 / 签约."""
    policy.require_visible(principal, event)
    people = {p.id: p for p in EventRepository(session).participants(event.id)}
    if not (policy.runs(principal, event) or any(policy.acts_for(principal, event, people[p])
                                                 for p in (meeting.a_id, meeting.b_id))):
        raise NotFound(f"meeting {meeting.id} not found")
    if event.status not in DAY_STATES + ("closed",):
        raise Conflict("outcomes are recorded on or after the day")
    if meeting.status not in ("scheduled", "held"):
        raise Conflict(f"a meeting that is {meeting.status} has no outcome")
    before = {"status": meeting.status, "outcome": meeting.outcome}
    meeting.status, meeting.outcome, meeting.notes = "held", data.outcome, data.notes
    session.flush()
    record(session, principal=principal, action="event.outcome", entity="event_meeting", entity_id=meeting.id,
           before=before, after={"status": "held", "outcome": data.outcome})
    announce(session, event, "event.outcome", meeting, people)
    return meeting
