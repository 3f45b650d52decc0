"""Matchmaking events (供需对接会): the event, its participants, their meeting requests, and the meetings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.models._types import utcnow


class Event(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    chains: Mapped[list[str]] = mapped_column(JSON, default=list)  # chain codes the event is about
    region: Mapped[str] = mapped_column(String(100), default="")  # province[/city] of the venue
    venue: Mapped[str] = mapped_column(String(200), default="")
    # [[start, end], …] in local time, ISO 8601 without zone; a slot's index is its position here.
    slots: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    tables: Mapped[int] = mapped_column(Integer, default=1)
    registration_opens: Mapped[datetime | None] = mapped_column(DateTime)
    registration_closes: Mapped[datetime | None] = mapped_column(DateTime)
    meeting_cap: Mapped[int] = mapped_column(Integer, default=8)
    request_ttl_hours: Mapped[int] = mapped_column(Integer, default=48)
    # Strong suggestions (匹配度 at least this) may be scheduled when the organiser allows it; None = not allowed.
    suggestion_min_match: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    # Integration principals (event platforms) that upserted participants: they receive the event's webhooks.
    platforms: Mapped[list[int]] = mapped_column(JSON, default=list)
    # The last schedule run: weight, bound, gap, counts, seconds.
    schedule_stats: Mapped[dict] = mapped_column(JSON, default=dict)  # type: ignore[type-arg]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("principals.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class EventParticipant(Base):
    __tablename__ = "event_participants"
    __table_args__ = (UniqueConstraint("event_id", "enterprise_id", name="uq_event_participants_firm"),
                      UniqueConstraint("event_id", "external_id", name="uq_event_participants_external"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(64))  # the event platform's own id
    representatives: Mapped[list[str]] = mapped_column(JSON, default=list)
    available: Mapped[list[int]] = mapped_column(JSON, default=list)  # slot indexes
    cap: Mapped[int | None] = mapped_column(Integer)  # None: the event's meeting cap
    topics: Mapped[str] = mapped_column(Text, default="")  # what it wants to discuss, matched like a need
    checked_in_at: Mapped[datetime | None] = mapped_column(DateTime)
    absent: Mapped[bool] = mapped_column(Boolean, default=False)  # marked a no-show on the day
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class MeetingRequest(Base):
    __tablename__ = "event_requests"
    __table_args__ = (UniqueConstraint("event_id", "from_id", "to_id", name="uq_event_requests_pair"),
                      Index("ix_event_requests_pending", "status", "expires_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    from_id: Mapped[int] = mapped_column(ForeignKey("event_participants.id", ondelete="CASCADE"), index=True)
    to_id: Mapped[int] = mapped_column(ForeignKey("event_participants.id", ondelete="CASCADE"), index=True)
    priority: Mapped[str] = mapped_column(String(8))  # must / like / no
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class EventMeeting(Base):
    __tablename__ = "event_meetings"
    __table_args__ = (Index("ix_event_meetings_cell", "event_id", "slot", "table_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    a_id: Mapped[int] = mapped_column(ForeignKey("event_participants.id", ondelete="CASCADE"), index=True)
    b_id: Mapped[int] = mapped_column(ForeignKey("event_participants.id", ondelete="CASCADE"), index=True)
    slot: Mapped[int] = mapped_column(Integer)
    table_no: Mapped[int] = mapped_column(Integer)  # 0-based; shown as 1-based
    weight: Mapped[float] = mapped_column(Float, default=0.0)
    source: Mapped[str] = mapped_column(String(16))  # accepted / must / suggestion / walk_in / manual
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    outcome: Mapped[str | None] = mapped_column(String(16))
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
