"""Fan-out: turn undispatched notifications into one WebhookDelivery per matching active webhook.

Claiming a batch is a conditional UPDATE ... RETURNING, so two dispatchers (several server workers) never fan out
the same notification twice: the second one's UPDATE finds the rows already dispatched and returns nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import ApiToken, Notification, Principal, Webhook, WebhookDelivery
from app.webhooks.ownership import access_lost, hook_matches


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
    rows = session.execute(select(Webhook, ApiToken, Principal)
                           .outerjoin(ApiToken, ApiToken.id == Webhook.token_id)
                           .join(Principal, Principal.id == Webhook.owner_id)
                           .where(Webhook.active.is_(True)).order_by(Webhook.id))
    # A hook whose owner lost access gets nothing more; what was queued before is skipped when it comes due.
    hooks = [(hook, owner.role) for hook, token, owner in rows if access_lost(hook, token, owner, now) is None]
    queued = 0
    for note in notes:
        for hook, role in hooks:
            if hook_matches(hook, role, note):
                session.add(WebhookDelivery(webhook_id=hook.id, notification_id=note.id, status="pending",
                                            attempts=0, next_attempt_at=now, last_error=""))
                queued += 1
    session.flush()
    return len(claimed), queued
