"""Who may see and run a matchmaking event, and act for a participant in it.

Running an event (set-up, participants, schedule, the day) is for admins and the operators who reach it: an
operator limited to regions reaches an event whose region lies in them, one limited to chains an event about one of
its chains. Event platforms (integration tokens with the ``events`` scope) upsert participants of events that are
open, and read the schedule and outcomes of the events they feed. A firm's members see events once they are no
longer drafts and act only for their own firm's participant: a firm never sees another firm's requests or agenda.
"""

from __future__ import annotations

from app.access.reach import covers_chain, covers_region
from app.core.errors import Forbidden, NotFound
from app.models import Event, EventParticipant, Principal


def runs(principal: Principal, event: Event) -> bool:
    if principal.role == "admin":
        return True
    if principal.role != "operator":
        return False
    if principal.chains and not any(covers_chain(principal, c) for c in event.chains):
        return False
    return covers_region(principal, event.region)


def is_platform(principal: Principal, event: Event) -> bool:
    return principal.role == "integration" and principal.id in (event.platforms or [])


def sees(principal: Principal, event: Event) -> bool:
    return runs(principal, event) or (event.status != "draft" and principal.role in ("leader", "sme", "integration"))


def require_visible(principal: Principal, event: Event) -> Event:
    if not sees(principal, event):
        raise NotFound(f"event {event.id} not found")
    return event


def require_runner(principal: Principal, event: Event) -> None:
    require_visible(principal, event)
    if not runs(principal, event):
        raise Forbidden("only the event's organisers (admins and operators who reach it) may do this")


def require_reader(principal: Principal, event: Event) -> None:
    """The whole schedule, participants and outcomes: organisers and the event's platforms."""
    require_visible(principal, event)
    if not (runs(principal, event) or is_platform(principal, event)):
        raise Forbidden("only the event's organisers and its platforms see all of it")


def acts_for(principal: Principal, event: Event, participant: EventParticipant) -> bool:
    """Organisers act for any participant; a firm's member only for its own firm's."""
    return runs(principal, event) or (principal.role in ("leader", "sme") and principal.org_id is not None
                                       and participant.enterprise_id == principal.org_id)


def require_acts_for(principal: Principal, event: Event, participant: EventParticipant) -> None:
    require_visible(principal, event)
    if not acts_for(principal, event, participant):
        # Another firm's participant is not shown to exist to a firm; staff without reach are told why.
        if principal.role in ("leader", "sme"):
            raise NotFound(f"participant {participant.id} not found")
        raise Forbidden("only the participant's firm and the event's organisers may do this")
