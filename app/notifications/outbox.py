"""Write a notification into the outbox, in the same transaction as the change it reports.

Delivery happens later: in-app through GET /api/v1/me/notifications, and to webhooks by the dispatcher.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.models import Notification

EVENTS = (
    "opportunity.new",        # a published item was matched to the SME (定向发布)
    "interest.received",      # an SME expressed interest in the leader's need
    "interest.answered",      # the poster answered an SME's interest
    "candidate.invited",      # the poster invited an SME
    "candidate.rejected",     # the poster rejected an SME (with a reason)
    "candidate.selected",
    "application.received",
    "application.updated",    # shortlisted, selected or rejected
    "application.team_invited",   # a firm was named as a member of a team application (组阁揭榜): confirm it
    "application.team_answered",  # a member confirmed or declined; the applicant is told
    "deadline.soon",          # a need the org posted or is engaged in closes within three days
    "catalogue.published",
    "need.updated",           # a published need changed: a new version
    "event.meeting.scheduled",  # a matchmaking event's meeting was placed (to both firms and the platforms)
    "event.meeting.changed",    # moved to another slot or table
    "event.meeting.cancelled",
    "event.outcome",            # a meeting's outcome was recorded (no interest / 意向 / 签约)
)


def emit(session: Session, *, event: str, payload: dict[str, Any], org_id: int | None = None,
         principal_id: int | None = None) -> Notification:
    if event not in EVENTS:
        raise ValueError(f"unknown event {event}")
    note = Notification(org_id=org_id, principal_id=principal_id, event=event, payload=payload)
    session.add(note)
    return note
