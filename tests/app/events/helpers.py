"""Typed helpers that build event test data through the models (fast), and a few API steps."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Enterprise, Event, EventMeeting, EventParticipant, MeetingRequest
from app.models._types import utcnow

URL = "/api/v1/events"
LEADER, SME, OTHER_SME = "100006", "100002", "100003"
SLOTS = [["2026-12-10T09:00:00", "2026-12-10T09:20:00"], ["2026-12-10T09:20:00", "2026-12-10T09:40:00"],
         ["2026-12-10T09:40:00", "2026-12-10T10:00:00"]]


def firm_id(session: Session, code: str) -> int:
    found = session.scalar(select(Enterprise.id).where(Enterprise.code == code))
    assert found is not None
    return found


def make_event(session: Session, *, status: str = "open", tables: int = 2, **fields: Any) -> Event:
    event = Event(title=fields.pop("title", "锂电池产业链供需对接会"), chains=[], region="", venue="济南",
                  slots=fields.pop("slots", SLOTS), tables=tables, meeting_cap=fields.pop("meeting_cap", 3),
                  request_ttl_hours=24, status=status, platforms=[], schedule_stats={}, **fields)
    session.add(event)
    session.flush()
    return event


def join(session: Session, event: Event, code: str, *, topics: str = "", available: list[int] | None = None,
         external_id: str | None = None) -> EventParticipant:
    p = EventParticipant(event_id=event.id, enterprise_id=firm_id(session, code), representatives=[f"{code}代表"],
                         available=list(range(len(event.slots))) if available is None else available, topics=topics,
                         absent=False, external_id=external_id)
    session.add(p)
    session.flush()
    return p


def ask(session: Session, event: Event, frm: EventParticipant, to: EventParticipant, *, status: str = "pending",
        priority: str = "like") -> MeetingRequest:
    r = MeetingRequest(event_id=event.id, from_id=frm.id, to_id=to.id, priority=priority, message="", status=status,
                       expires_at=utcnow().replace(year=2999))
    session.add(r)
    session.flush()
    return r


def meet(session: Session, event: Event, a: EventParticipant, b: EventParticipant, *, slot: int = 0, table: int = 0,
         locked: bool = False) -> EventMeeting:
    m = EventMeeting(event_id=event.id, a_id=min(a.id, b.id), b_id=max(a.id, b.id), slot=slot, table_no=table,
                     weight=1.0, source="accepted", locked=locked, status="scheduled", notes="")
    session.add(m)
    session.flush()
    return m


def scheduled_event(session: Session) -> tuple[Event, dict[str, EventParticipant], EventMeeting]:
    """A scheduled event: the leader, the SME and 100001, and one meeting of the leader with the SME."""
    event = make_event(session, status="scheduled")
    people = {"leader": join(session, event, LEADER, topics="采购碳酸锂"), "sme": join(session, event, SME),
              "third": join(session, event, "100001")}
    ask(session, event, people["sme"], people["leader"], status="accepted")
    m = meet(session, event, people["leader"], people["sme"])
    session.commit()
    return event, people, m


def api(client: TestClient, method: str, path: str, headers: dict[str, str], expect: int, **kw: Any) -> Any:
    resp = client.request(method, path, headers=headers, **kw)
    assert resp.status_code == expect, f"{method} {path}: {resp.status_code} {resp.text[:400]}"
    return resp.json() if resp.headers.get("content-type", "").startswith("application/json") else resp.content
