"""Queries on the events tables."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from app.core.errors import NotFound
from app.models import Capability, ChainNode, Enterprise, Event, EventMeeting, EventParticipant, MeetingRequest, Need
from app.models._types import utcnow

_Row = TypeVar("_Row", EventParticipant, EventMeeting, MeetingRequest)

LIVE = ("scheduled", "held", "no_show")  # meetings that still take a cell (cancelled ones do not)


class EventRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def of_event(self, model: type[_Row], event_id: int, row_id: int, noun: str) -> _Row:
        """A participant, meeting or request of this event; 404 for a row of another event, as for none."""
        row: Any = self.session.get(model, row_id)
        if row is None or row.event_id != event_id:
            raise NotFound(f"{noun} {row_id} not found")
        return row  # type: ignore[no-any-return]

    def events(self) -> list[Event]:
        return list(self.session.scalars(select(Event).order_by(Event.id.desc())))

    def participants(self, event_id: int) -> list[EventParticipant]:
        return list(self.session.scalars(select(EventParticipant).where(EventParticipant.event_id == event_id)
                                         .order_by(EventParticipant.id)))

    def participant_of(self, event_id: int, enterprise_id: int) -> EventParticipant | None:
        return self.session.scalar(select(EventParticipant).where(EventParticipant.event_id == event_id,
                                                                  EventParticipant.enterprise_id == enterprise_id))

    def by_external(self, event_id: int, external_id: str) -> EventParticipant | None:
        return self.session.scalar(select(EventParticipant).where(EventParticipant.event_id == event_id,
                                                                  EventParticipant.external_id == external_id))

    def firms(self, ids: Iterable[int]) -> dict[int, Enterprise]:
        ids = list(set(ids))
        if not ids:
            return {}
        return {e.id: e for e in self.session.scalars(select(Enterprise).where(Enterprise.id.in_(ids)))}

    def firm_by_key(self, key: str) -> Enterprise | None:
        firm = self.session.scalar(select(Enterprise).where(Enterprise.code == key))
        if firm is None and key.isascii() and key.isdigit() and len(key) <= 10:
            firm = self.session.get(Enterprise, int(key))
        return firm

    def requests(self, event_id: int, participant_id: int | None = None) -> list[MeetingRequest]:
        stmt = select(MeetingRequest).where(MeetingRequest.event_id == event_id)
        if participant_id is not None:
            stmt = stmt.where(or_(MeetingRequest.from_id == participant_id, MeetingRequest.to_id == participant_id))
        return list(self.session.scalars(stmt.order_by(MeetingRequest.id)))

    def meetings(self, event_id: int, participant_id: int | None = None, *, live: bool = True) -> list[EventMeeting]:
        stmt = select(EventMeeting).where(EventMeeting.event_id == event_id)
        if live:
            stmt = stmt.where(EventMeeting.status.in_(LIVE))
        if participant_id is not None:
            stmt = stmt.where(or_(EventMeeting.a_id == participant_id, EventMeeting.b_id == participant_id))
        return list(self.session.scalars(stmt.order_by(EventMeeting.slot, EventMeeting.table_no)))

    def expire_requests(self) -> list[int]:
        """Mark every pending request past its time expired; returns their ids."""
        ids = list(self.session.scalars(select(MeetingRequest.id).where(
            MeetingRequest.status == "pending", MeetingRequest.expires_at <= utcnow())))
        if ids:
            self.session.execute(update(MeetingRequest).where(MeetingRequest.id.in_(ids),
                                                              MeetingRequest.status == "pending")
                                 .values(status="expired").execution_options(synchronize_session=False))
            self.session.expire_all()
        return ids

    def engaged(self, participant_id: int) -> int:
        """Requests that hold a place in the participant's cap: pending and accepted ones, either way."""
        return self.session.scalar(select(func.count()).where(
            or_(MeetingRequest.from_id == participant_id, MeetingRequest.to_id == participant_id),
            MeetingRequest.status.in_(("pending", "accepted")), MeetingRequest.priority != "no")) or 0

    def refusals(self, event_id: int) -> list[tuple[int, int]]:
        return [(a, b) for a, b in self.session.execute(select(MeetingRequest.from_id, MeetingRequest.to_id).where(
            MeetingRequest.event_id == event_id, MeetingRequest.priority == "no")).all()]

    def registration_stamp(self, event_id: int) -> datetime | None:
        return self.session.scalar(select(func.max(EventParticipant.updated_at))
                                   .where(EventParticipant.event_id == event_id))

    # A participant read as a need uses its firm's published need titles and its catalogue's chain nodes. These are
    # read-only looks at the needs and enterprises tables, kept here until those domains offer them as services.
    def published_titles(self, enterprise_id: int, limit: int = 5) -> list[str]:
        return list(self.session.scalars(select(Need.title).where(
            Need.poster_org_id == enterprise_id, Need.status == "published").order_by(Need.id).limit(limit)))

    def product_nodes(self, enterprise_id: int) -> list[str]:
        return sorted(set(self.session.scalars(select(ChainNode.name).join(
            Capability, Capability.node_id == ChainNode.id).where(Capability.enterprise_id == enterprise_id))))

    def counts(self, event_ids: list[int]) -> dict[str, int]:
        """The statistics' counts over the given events."""
        req = select(func.count()).where(MeetingRequest.event_id.in_(event_ids), MeetingRequest.priority != "no")
        meet = select(func.count()).where(EventMeeting.event_id.in_(event_ids))
        stmts = {
            "registered": select(func.count()).where(EventParticipant.event_id.in_(event_ids)),
            "requested": req, "accepted": req.where(MeetingRequest.status == "accepted"),
            "scheduled": meet.where(EventMeeting.status != "cancelled"),
            "held": meet.where(EventMeeting.status == "held"),
            "no_shows": meet.where(EventMeeting.status == "no_show"),
            "intent": meet.where(EventMeeting.outcome == "intent"),
            "signed": meet.where(EventMeeting.outcome == "signed"),
        }
        return {k: int(self.session.scalar(v) or 0) for k, v in stmts.items()}
