"""Participants: firms register themselves, organisers register them (one by one or from a file), event platforms
upsert them by their own external ids."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.access import events as policy
from app.core.audit import record, snapshot
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.events.repository import EventRepository
from app.events.schemas import FirmRef, ParticipantIn, ParticipantOut, ParticipantPatch
from app.events.service import registration_open
from app.models import Enterprise, Event, EventParticipant, Principal

_FIELDS = ("representatives", "available", "cap", "topics", "external_id")


def firm_ref(firm: Enterprise) -> FirmRef:
    return FirmRef(id=firm.id, code=firm.code, name=firm.name, kind=firm.kind)


def out(event: Event, p: EventParticipant, firm: Enterprise) -> ParticipantOut:
    return ParticipantOut(id=p.id, event_id=p.event_id, enterprise=firm_ref(firm), external_id=p.external_id,
                          representatives=list(p.representatives or []), available=list(p.available or []),
                          cap=cap_of(event, p), topics=p.topics, checked_in=p.checked_in_at is not None,
                          absent=p.absent)


def cap_of(event: Event, p: EventParticipant) -> int:
    return p.cap if p.cap is not None else event.meeting_cap


def get(session: Session, event: Event, participant_id: int) -> EventParticipant:
    return EventRepository(session).of_event(EventParticipant, event.id, participant_id, "participant")


def _slots(event: Event, available: list[int] | None) -> list[int]:
    if available is None:
        return list(range(len(event.slots)))
    bad = [s for s in available if not 0 <= s < len(event.slots)]
    if bad:
        raise Invalid("available", f"slot(s) {bad[:5]} are not slots of this event (0–{len(event.slots) - 1})")
    return sorted(set(available))


def _firm_for(session: Session, event: Event, data: ParticipantIn, principal: Principal) -> Enterprise:
    repo = EventRepository(session)
    if principal.role in ("leader", "sme"):
        if data.enterprise is not None:
            raise Invalid("enterprise", "a firm registers itself; leave enterprise out")
        firm = session.get(Enterprise, principal.org_id) if principal.org_id else None
    elif data.enterprise is None:
        raise Invalid("enterprise", "name the firm to register (its code or id)")
    else:
        firm = repo.firm_by_key(data.enterprise)
    if firm is None:
        raise NotFound(f"enterprise {data.enterprise} not found")
    return firm


def register(*, session: Session, event: Event, data: ParticipantIn, principal: Principal,
             external_id: str | None = None) -> EventParticipant:
    if principal.role in ("leader", "sme"):
        if not registration_open(event):
            raise Conflict("registration for this event is not open")
    elif principal.role == "integration":
        if event.status != "open":
            raise Conflict("participants are added to open events only")
    else:
        policy.require_runner(principal, event)
        if event.status not in ("draft", "open", "scheduled"):
            raise Conflict(f"participants cannot be added to an event that is {event.status}")
    firm = _firm_for(session, event, data, principal)
    if EventRepository(session).participant_of(event.id, firm.id) is not None:
        raise Conflict(f"{firm.name} is registered for this event already")
    p = EventParticipant(event_id=event.id, enterprise_id=firm.id, external_id=external_id,
                         representatives=list(data.representatives), available=_slots(event, data.available),
                         cap=data.cap, topics=data.topics, absent=False)
    session.add(p)
    session.flush()
    record(session, principal=principal, action="event.participant.add", entity="event_participant",
           entity_id=p.id, after=snapshot(p, _FIELDS) | {"event_id": event.id, "enterprise_id": firm.id})
    return p


def update(*, session: Session, event: Event, participant: EventParticipant, data: ParticipantPatch | ParticipantIn,
           principal: Principal, platform: bool = False) -> EventParticipant:
    if not platform:
        policy.require_acts_for(principal, event, participant)
    if event.status in ("running", "closed"):
        raise Conflict(f"an event that is {event.status} takes no changes of registration")
    before = snapshot(participant, _FIELDS)
    values = data.model_dump(exclude_unset=True, exclude={"enterprise"})
    if "available" in values:
        values["available"] = _slots(event, values["available"])
    for key, value in values.items():
        setattr(participant, key, value)
    session.flush()
    record(session, principal=principal, action="event.participant.update", entity="event_participant",
           entity_id=participant.id, before=before, after=snapshot(participant, _FIELDS))
    return participant


def upsert_external(*, session: Session, event: Event, external_id: str, data: ParticipantIn,
                    principal: Principal) -> tuple[EventParticipant, bool]:
    """Idempotent: the same external id updates the same participant; returns (participant, created)."""
    if principal.role == "integration":
        policy.require_visible(principal, event)
        if principal.id not in (event.platforms or []):
            event.platforms = [*(event.platforms or []), principal.id]
    elif not policy.runs(principal, event):
        raise Forbidden("only organisers and event platforms upsert participants")
    existing = EventRepository(session).by_external(event.id, external_id)
    if existing is not None:
        if data.enterprise is not None:
            firm = EventRepository(session).firm_by_key(data.enterprise)
            if firm is None or firm.id != existing.enterprise_id:
                raise Conflict(f"external id {external_id} belongs to another firm in this event")
        return update(session=session, event=event, participant=existing, data=data, principal=principal,
                      platform=True), False
    return register(session=session, event=event, data=data, principal=principal, external_id=external_id), True


def own(session: Session, event: Event, principal: Principal) -> EventParticipant | None:
    if principal.org_id is None:
        return None
    return EventRepository(session).participant_of(event.id, principal.org_id)
