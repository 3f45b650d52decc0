"""Counts and rates per event and across events: registered, requested, accepted, scheduled, held, no-shows, 意向
and 签约."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from app.events.repository import EventRepository
from app.events.schemas import Stats


def _rate(n: int, d: int) -> float:
    return round(n / d, 4) if d else 0.0


def stats(session: Session, event_ids: Sequence[int]) -> Stats:
    c = EventRepository(session).counts(list(event_ids))
    return Stats(events=len(event_ids), **c,
                 rates={"acceptance": _rate(c["accepted"], c["requested"]),
                        "show": _rate(c["held"], c["held"] + c["no_shows"]),
                        "intent": _rate(c["intent"] + c["signed"], c["held"]), "signed": _rate(c["signed"], c["held"])})
