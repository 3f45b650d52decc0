"""Event notifications: to both firms of a meeting and to the event's platforms, through the outbox that feeds
in-app notifications and webhooks."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.models import Event, EventMeeting, EventParticipant
from app.notifications.outbox import emit


def meeting_payload(event: Event, meeting: EventMeeting, people: dict[int, EventParticipant]) -> dict[str, Any]:
    slot = event.slots[meeting.slot] if 0 <= meeting.slot < len(event.slots) else ["", ""]
    return {"event_id": event.id, "meeting_id": meeting.id, "slot": meeting.slot, "table": meeting.table_no + 1,
            "start": slot[0], "end": slot[1], "status": meeting.status, "outcome": meeting.outcome,
            "participants": [{"id": p.id, "external_id": p.external_id, "enterprise_id": p.enterprise_id}
                             for p in (people[meeting.a_id], people[meeting.b_id])]}


def announce(session: Session, event: Event, name: str, meeting: EventMeeting,
             people: dict[int, EventParticipant]) -> None:
    """``name`` is event.meeting.scheduled|changed|cancelled or event.outcome."""
    payload = meeting_payload(event, meeting, people)
    for pid in (meeting.a_id, meeting.b_id):
        emit(session, event=name, org_id=people[pid].enterprise_id, payload=payload)
    for platform in event.platforms or []:
        emit(session, event=name, principal_id=platform, payload=payload)
