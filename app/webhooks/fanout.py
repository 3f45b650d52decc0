"""Fan-out: turn undispatched notifications into one WebhookDelivery per matching active webhook.

Claiming a batch is a conditional UPDATE ... RETURNING, so two dispatchers (several server workers) never fan out
the same notification twice: the second one's UPDATE finds the rows already dispatched and returns nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import Notification, Principal, Webhook, WebhookDelivery


def hook_matches(hook: Webhook, owner_role: str, note: Notification) -> bool:
    """Whether ``hook`` (owned by a principal of ``owner_role``) receives ``note``."""
    if hook.events and note.event not in hook.events:
        return False
    # A hook sees what happens from its creation on, not the backlog from before it existed.
    if note.created_at < hook.created_at:
        return False
    if owner_role == "admin":
        return True
    if note.principal_id is not None and note.principal_id == hook.owner_id:
        return True
    return hook.org_id is not None and note.org_id == hook.org_id


def fan_out(session: Session, *, now: datetime, batch: int) -> tuple[int, int]:
    """Claim up to ``batch`` undispatched notifications and queue their deliveries (flushed, not committed).

    Returns (notifications dispatched, deliveries queued).
    """
    candidates = list(session.scalars(select(Notification.id).where(Notification.dispatched.is_(False))
                                      .order_by(Notification.id).limit(batch)))
    if not candidates:
        return 0, 0
    claimed = list(session.scalars(
        update(Notification).where(Notification.id.in_(candidates), Notification.dispatched.is_(False))
        .values(dispatched=True).returning(Notification.id).execution_options(synchronize_session=False)))
    if not claimed:
        return 0, 0
    notes = list(session.scalars(select(Notification).where(Notification.id.in_(claimed))
                                 .order_by(Notification.id)))
    hooks = list(session.execute(select(Webhook, Principal.role).join(Principal, Principal.id == Webhook.owner_id)
                                 .where(Webhook.active.is_(True)).order_by(Webhook.id)))
    queued = 0
    for note in notes:
        for hook, role in hooks:
            if hook_matches(hook, role, note):
                session.add(WebhookDelivery(webhook_id=hook.id, notification_id=note.id, status="pending",
                                            attempts=0, next_attempt_at=now, last_error=""))
                queued += 1
    session.flush()
    return len(claimed), queued
