"""Rows turned into the API's answers, where an answer needs more than one row."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.access import events as policy
from app.core.errors import AppError
from app.events import participants as parts
from app.events import requests, service
from app.events.repository import EventRepository
from app.events.schemas import MeetingOut, ParticipantOut, Suggestion
from app.events.stats import stats
from app.events.suggestions import Affinity, event_affinities, refusals
from app.match_index.holder import IndexHolder
from app.models import Event, EventMeeting, EventParticipant, Job, Principal


def participant_out(session: Session, event: Event, p: EventParticipant) -> ParticipantOut:
    firm = EventRepository(session).firms([p.enterprise_id])[p.enterprise_id]
    return parts.out(event, p, firm)


def meeting_out(event: Event, m: EventMeeting) -> MeetingOut:
    start, end = event.slots[m.slot] if 0 <= m.slot < len(event.slots) else ("", "")
    return MeetingOut(id=m.id, event_id=m.event_id, participants=[m.a_id, m.b_id], slot=m.slot, table=m.table_no + 1,
                      start=start, end=end, weight=round(m.weight, 3), source=m.source,  # type: ignore[arg-type]
                      locked=m.locked, status=m.status, outcome=m.outcome, notes=m.notes)  # type: ignore[arg-type]


def suggestions_for(session: Session, event: Event, p: EventParticipant,
                    found: dict[tuple[int, int], Affinity]) -> list[Suggestion]:
    """The others ranked for ``p``: never itself or its firm, never a pair where either side said 不见面."""
    repo = EventRepository(session)
    people = {q.id: q for q in repo.participants(event.id)}
    refused = refusals(session, event.id)
    best: dict[int, tuple[int, str, Affinity]] = {}
    for (a, b), aff in found.items():
        if p.id not in (a, b):
            continue
        other = b if a == p.id else a
        direction = "they_fit_you" if a == p.id else "you_fit_them"
        held = best.get(other)
        if held is None or aff.match > held[0]:
            best[other] = (aff.match, "both" if held else direction, aff)
        elif held is not None:
            best[other] = (held[0], "both", held[2])
    firms = repo.firms([people[o].enterprise_id for o in best if o in people])
    out = []
    for other, (match, direction, aff) in best.items():
        q = people.get(other)
        if q is None or q.enterprise_id == p.enterprise_id or (min(p.id, other), max(p.id, other)) in refused:
            continue
        out.append(Suggestion(participant_id=other, enterprise=parts.firm_ref(firms[q.enterprise_id]), match=match,
                              direction=direction, reason=aff.reason))
    return sorted(out, key=lambda s: (-s.match, s.participant_id))


def page_context(session: Session, index: IndexHolder, event: Event, user: Principal) -> dict[str, Any]:
    """What the event page shows: everything for organisers; a firm its registration, suggestions, requests and
    meetings (the same rules as the API's)."""
    repo = EventRepository(session)
    ctx: dict[str, Any] = {"event": service.out(event), "runs": policy.runs(user, event)}
    people = repo.participants(event.id)
    firms = repo.firms(p.enterprise_id for p in people)
    ctx["names"] = {p.id: firms[p.enterprise_id].name for p in people}
    if ctx["runs"]:
        ctx["participants"] = [participant_out(session, event, p) for p in people]
        ctx["requests"] = [requests.out(r) for r in repo.requests(event.id)]
        ctx["meetings"] = [meeting_out(event, m) for m in repo.meetings(event.id, live=False)]
        ctx["stats"] = stats(session, [event.id])
        job_id = (event.schedule_stats or {}).get("job_id")
        ctx["job"] = session.get(Job, job_id) if job_id else None
        return ctx
    mine = parts.own(session, event, user)
    ctx["mine"] = participant_out(session, event, mine) if mine else None
    if mine is not None:
        ctx["requests"] = [requests.out(r) for r in repo.requests(event.id, mine.id)]
        ctx["meetings"] = [meeting_out(event, m) for m in repo.meetings(event.id, mine.id, live=False)]
        try:
            ctx["suggestions"] = suggestions_for(session, event, mine, event_affinities(session, index, event))[:20]
        except AppError:
            ctx["suggestions"] = []  # the index is still being built: the page shows none rather than fail
    ctx["can_register"] = mine is None and service.registration_open(event)
    return ctx
