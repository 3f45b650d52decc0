"""Events, participants, requests, meetings, agendas and statistics as the API reads and writes them."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.core.schemas import IntId, UtcDateTime
from app.core.vocabulary import (
    EventStatus,
    MeetingOutcome,
    MeetingSource,
    MeetingStatus,
    RequestPriority,
    RequestStatus,
)

MAX_SLOTS = 200
MAX_TABLES = 1000


class Window(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: time
    end: time


class SlotIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: datetime
    end: datetime


class EventIn(BaseModel):
    """Slots are given either explicitly or as days × windows cut into ``slot_minutes``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=200)
    chains: list[str] = Field(default_factory=list, max_length=20)
    region: str = Field(default="", max_length=100)
    venue: str = Field(default="", max_length=200)
    days: list[date] = Field(default_factory=list, max_length=14)
    windows: list[Window] = Field(default_factory=list, max_length=6)
    slot_minutes: int = Field(default=20, ge=5, le=240)
    slots: list[SlotIn] = Field(default_factory=list, max_length=MAX_SLOTS)
    tables: int = Field(default=10, ge=1, le=MAX_TABLES)
    registration_opens: datetime | None = None
    registration_closes: datetime | None = None
    meeting_cap: int = Field(default=8, ge=1, le=MAX_SLOTS)
    request_ttl_hours: int = Field(default=48, ge=1, le=24 * 60)
    suggestion_min_match: int | None = Field(default=None, ge=0, le=100)

    @model_validator(mode="after")
    def _slots_given(self) -> EventIn:
        if not self.slots and not (self.days and self.windows):
            raise ValueError("give slots, or days and windows to cut into slots of slot_minutes")
        return self


class EventPatch(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str | None = Field(default=None, min_length=1, max_length=200)
    venue: str | None = Field(default=None, max_length=200)
    tables: int | None = Field(default=None, ge=1, le=MAX_TABLES)
    registration_opens: datetime | None = None
    registration_closes: datetime | None = None
    meeting_cap: int | None = Field(default=None, ge=1, le=MAX_SLOTS)
    request_ttl_hours: int | None = Field(default=None, ge=1, le=24 * 60)
    suggestion_min_match: int | None = Field(default=None, ge=0, le=100)


class TransitionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to: EventStatus


class Slot(BaseModel):
    index: int
    start: str
    end: str


class EventOut(BaseModel):
    id: int
    title: str
    chains: list[str]
    region: str
    venue: str
    slots: list[Slot]
    tables: int
    registration_opens: UtcDateTime | None
    registration_closes: UtcDateTime | None
    meeting_cap: int
    request_ttl_hours: int
    suggestion_min_match: int | None
    status: str
    schedule_stats: dict[str, Any]


class ParticipantIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    enterprise: str | None = Field(default=None, max_length=32,
                                   description="code or id of the firm; organisers and platforms only")
    representatives: list[str] = Field(default_factory=list, max_length=10)
    available: list[int] | None = Field(default=None, max_length=MAX_SLOTS, description="slot indexes; none = all")
    cap: int | None = Field(default=None, ge=1, le=MAX_SLOTS)
    topics: str = Field(default="", max_length=2000)


class ParticipantPatch(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    representatives: list[str] | None = Field(default=None, max_length=10)
    available: list[int] | None = Field(default=None, max_length=MAX_SLOTS)
    cap: int | None = Field(default=None, ge=1, le=MAX_SLOTS)
    topics: str | None = Field(default=None, max_length=2000)


class FirmRef(BaseModel):
    id: int
    code: str
    name: str
    kind: str


class ParticipantOut(BaseModel):
    id: int
    event_id: int
    enterprise: FirmRef
    external_id: str | None
    representatives: list[str]
    available: list[int]
    cap: int
    topics: str
    checked_in: bool
    absent: bool


class Suggestion(BaseModel):
    participant_id: int
    enterprise: FirmRef
    match: int = Field(description="匹配度, 0–100")
    direction: str = Field(description="'they_fit_you', 'you_fit_them' or 'both'")
    reason: dict[str, Any]


class RequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    from_participant: IntId | None = Field(default=None, description="organisers only; a firm asks as itself")
    to_participant: IntId
    priority: RequestPriority = "like"
    message: str = Field(default="", max_length=1000)


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    accept: bool


class RequestOut(BaseModel):
    id: int
    event_id: int
    from_participant: int
    to_participant: int
    priority: RequestPriority
    message: str
    status: RequestStatus
    expires_at: UtcDateTime | None


class MeetingOut(BaseModel):
    id: int
    event_id: int
    participants: list[int]
    slot: int
    table: int = Field(description="1-based")
    start: str
    end: str
    weight: float
    source: MeetingSource
    locked: bool
    status: MeetingStatus
    outcome: MeetingOutcome | None
    notes: str


class MeetingPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    slot: int | None = Field(default=None, ge=0, lt=MAX_SLOTS)
    table: int | None = Field(default=None, ge=1, le=MAX_TABLES, description="1-based")
    locked: bool | None = None


class OutcomeIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    outcome: MeetingOutcome
    notes: str = Field(default="", max_length=2000)


class NoShowIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    slot: int = Field(ge=0, lt=MAX_SLOTS)


class Rematched(BaseModel):
    cancelled: list[int]
    replacements: list[MeetingOut]
    took_ms: float


class ScheduleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    seconds: float = Field(default=20.0, ge=0.5, le=120.0, description="CP-SAT's time limit")


class ScheduleParams(BaseModel):
    event_id: int
    seconds: float = 20.0


class AgendaItem(BaseModel):
    meeting_id: int
    slot: int
    start: str
    end: str
    table: int
    counterpart: FirmRef
    representatives: list[str]
    status: MeetingStatus
    outcome: MeetingOutcome | None


class Agenda(BaseModel):
    event_id: int
    title: str
    venue: str
    participant_id: int
    enterprise: FirmRef
    items: list[AgendaItem]


class Stats(BaseModel):
    events: int
    registered: int
    requested: int
    accepted: int
    scheduled: int
    held: int
    no_shows: int
    intent: int
    signed: int
    rates: dict[str, float]
