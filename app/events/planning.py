"""The schedule job: read the event's pairs and rules, run the pure scheduler (scheduling/), write the meetings
in one transaction and announce what changed. An infeasible event fails the job with the reason and writes
nothing but the event's return to its previous state."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.core.db import begin_writer
from app.core.errors import AppError, Conflict
from app.events import participants as parts
from app.events import service
from app.events.notify import announce
from app.events.repository import EventRepository
from app.events.schemas import ScheduleParams
from app.events.suggestions import event_affinities, pair_matches, refusals
from app.jobs.context import JobContext
from app.jobs.registry import JobKind
from app.jobs.service import enqueue
from app.match_index.holder import IndexHolder
from app.models import Event, EventMeeting, Job, Principal
from scheduling import InfeasibleError, Meeting, Pair, Participant, Problem, schedule

SCHEDULE_JOB = "event_schedule"
# priority × 匹配度: accepted pairs first, then one-sided must-meets, then strong suggestions (see docs/events.md)
PRIORITY = {("accepted", "must"): 12, ("accepted", "like"): 10, ("must", "must"): 3, ("suggestion", ""): 1}
DEFAULT_MATCH = 50  # a requested pair the engine does not rank (no text on either side) still counts
MIN_MATCH = 10


def weighted_pairs(session: Session, holder: IndexHolder, event: Event) -> dict[tuple[int, int], tuple[float, str]]:
    """(low id, high id) → (weight, source) of every pair that may be scheduled."""
    matches = pair_matches(event_affinities(session, holder, event))
    refused = refusals(session, event.id)
    found: dict[tuple[int, int], tuple[float, str]] = {}

    def offer(key: tuple[int, int], priority: int, source: str) -> None:
        if key in refused or key[0] == key[1]:
            return
        weight = priority * max(MIN_MATCH, matches.get(key, DEFAULT_MATCH))
        if weight > found.get(key, (0.0, ""))[0]:
            found[key] = (float(weight), source)

    for r in EventRepository(session).requests(event.id):
        key = (min(r.from_id, r.to_id), max(r.from_id, r.to_id))
        if r.status == "accepted":
            offer(key, PRIORITY[("accepted", "must" if r.priority == "must" else "like")], "accepted")
        elif r.priority == "must" and r.status in ("pending", "expired"):
            offer(key, PRIORITY[("must", "must")], "must")
    if event.suggestion_min_match is not None:
        for key, m in matches.items():
            if m >= event.suggestion_min_match:
                offer(key, PRIORITY[("suggestion", "")], "suggestion")
    return found


def problem_of(session: Session, holder: IndexHolder, event: Event) -> tuple[Problem, dict[tuple[int, int], str]]:
    people = {p.id: p for p in EventRepository(session).participants(event.id)}
    pairs = weighted_pairs(session, holder, event)
    fixed = [m for m in EventRepository(session).meetings(event.id) if m.locked or m.status != "scheduled"]
    problem = Problem(
        slots=len(event.slots), tables=event.tables,
        participants={i: Participant(i, frozenset(p.available or []), parts.cap_of(event, p))
                      for i, p in people.items()},
        pairs=tuple(Pair(a, b, w) for (a, b), (w, _) in pairs.items()),
        locked=tuple(Meeting(m.a_id, m.b_id, m.slot, m.table_no) for m in fixed))
    return problem, {k: s for k, (_, s) in pairs.items()}


def start(*, session: Session, event_id: int, seconds: float, principal: Principal) -> Job:
    event = service.for_update(session=session, event_id=event_id, principal=principal)
    if event.status not in ("open", "scheduled"):
        raise Conflict(f"an event that is {event.status} cannot be scheduled")
    params = ScheduleParams(event_id=event.id, seconds=seconds)
    job = enqueue(session=session, kind=SCHEDULE_JOB, params=params, principal=principal,
                  total=len(EventRepository(session).participants(event.id)))
    event.schedule_stats = {**(event.schedule_stats or {}), "previous_status": event.status, "job_id": job.id}
    service.set_status(session, event, "scheduling", principal)
    return job


def write(session: Session, event: Event, result: list[Meeting], weights: dict[tuple[int, int], float],
          sources: dict[tuple[int, int], str]) -> dict[str, int]:
    """Turn the schedule into meeting rows: keep, move, cancel or add; announce each change."""
    people = {p.id: p for p in EventRepository(session).participants(event.id)}
    current = {(min(m.a_id, m.b_id), max(m.a_id, m.b_id)): m for m in EventRepository(session).meetings(event.id)}
    counts = {"scheduled": 0, "changed": 0, "cancelled": 0, "kept": 0}
    wanted = {m.key: m for m in result}
    for key, row in current.items():
        if key not in wanted and row.status == "scheduled" and not row.locked:
            row.status = "cancelled"
            announce(session, event, "event.meeting.cancelled", row, people)
            counts["cancelled"] += 1
    for key, m in wanted.items():
        existing = current.get(key)
        if existing is not None and existing.status != "cancelled":
            if (existing.slot, existing.table_no) != (m.slot, m.table):
                existing.slot, existing.table_no = m.slot, m.table
                session.flush()
                announce(session, event, "event.meeting.changed", existing, people)
                counts["changed"] += 1
            else:
                counts["kept"] += 1
            continue
        row = EventMeeting(event_id=event.id, a_id=key[0], b_id=key[1], slot=m.slot, table_no=m.table,
                           weight=weights.get(key, 0.0), source=sources.get(key, "manual"), locked=False,
                           status="scheduled", notes="")
        session.add(row)
        session.flush()
        announce(session, event, "event.meeting.scheduled", row, people)
        counts["scheduled"] += 1
    return counts


def run(ctx: JobContext, params: ScheduleParams) -> dict[str, Any]:
    with ctx.factory() as session:
        begin_writer(session)
        event = session.get(Event, params.event_id)
        if event is None:
            raise AppError(f"event {params.event_id} no longer exists", status=404)
        previous = (event.schedule_stats or {}).get("previous_status", "open")
        problem, sources = problem_of(session, ctx.index, event)
        ctx.progress(session, done=len(problem.participants) // 2, total=len(problem.participants))
        try:
            result = schedule(problem, seconds=params.seconds, previous={
                m.key: (m.slot, m.table) for m in current_meetings(session, event)})
        except InfeasibleError as exc:
            session.rollback()
            _fail(ctx, params.event_id, previous, str(exc))
            raise AppError(f"the event cannot be scheduled: {exc}", code="infeasible", status=422) from None
        weights = {p.key: p.weight for p in problem.pairs}
        counts = write(session, event, result.meetings, weights, sources)
        event.schedule_stats = {"weight": round(result.weight, 3), "bound": round(result.bound, 3),
                                "gap": round(result.gap, 5), "status": result.status,
                                "seconds": round(result.seconds, 3), "meetings": len(result.meetings),
                                "pairs": len(problem.pairs), **counts}
        service.set_status(session, event, "scheduled", None)
        ctx.result.update(event.schedule_stats)
        ctx.progress(session, done=len(problem.participants), total=len(problem.participants))
        session.commit()
    return ctx.result


def current_meetings(session: Session, event: Event) -> list[Meeting]:
    return [Meeting(m.a_id, m.b_id, m.slot, m.table_no) for m in EventRepository(session).meetings(event.id)]


def _fail(ctx: JobContext, event_id: int, previous: str, reason: str) -> None:
    with ctx.factory() as session:
        begin_writer(session)
        event = session.get(Event, event_id)
        if event is not None:
            event.schedule_stats = {"error": reason}
            service.set_status(session, event, previous, None)
        session.commit()


SCHEDULE = JobKind(name=SCHEDULE_JOB, params=ScheduleParams, handler=run, uses_index=True)
