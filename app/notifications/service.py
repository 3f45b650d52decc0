"""Rules of the in-app inbox: who sees which notification, and marking them read (idempotently)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.core.audit import record
from app.core.errors import NotFound
from app.core.schemas import Page
from app.models import Notification, Principal
from app.models._types import utcnow
from app.notifications.repository import InboxFilter, NotificationRepository
from app.notifications.schemas import NotificationOut, ReadAllResult

# Large read-all calls are cut into chunks so the IN (...) list stays within every backend's parameter limit.
_CHUNK = 500


# The inbox filter, for callers in other domains (who reach this domain through its service).
Filter = InboxFilter

def inbox(*, session: Session, principal: Principal, f: InboxFilter, limit: int,
          offset: int) -> Page[NotificationOut]:
    rows, total = NotificationRepository(session).inbox(principal, f, limit=limit, offset=offset)
    return Page(items=[NotificationOut.model_validate(r) for r in rows], total=total, limit=limit, offset=offset)


def get(*, session: Session, principal: Principal, notification_id: int) -> Notification:
    found = NotificationRepository(session).get_visible(principal, notification_id)
    if found is None:
        # Someone else's notification: its existence is private, so 404 rather than 403.
        raise NotFound(f"notification {notification_id} not found")
    return found


def mark_read(*, session: Session, principal: Principal, notification_id: int) -> NotificationOut:
    note = get(session=session, principal=principal, notification_id=notification_id)
    if note.read_at is None:
        note.read_at = utcnow()
        record(session, principal=principal, action="read", entity="notification", entity_id=note.id,
               before={"read_at": None}, after={"read_at": note.read_at})
        session.flush()
    return NotificationOut.model_validate(note)


def mark_all_read(*, session: Session, principal: Principal, f: InboxFilter) -> ReadAllResult:
    repo = NotificationRepository(session)
    ids = repo.unread_ids(principal, f)
    moment = utcnow()
    updated = 0
    for start in range(0, len(ids), _CHUNK):
        updated += repo.mark_read(ids[start:start + _CHUNK], moment)
    if updated:
        record(session, principal=principal, action="read_all", entity="notification", entity_id="inbox",
               before={"unread": updated}, after={"unread": 0, "event": f.event, "read_at": moment})
    session.expire_all()
    return ReadAllResult(updated=updated)
