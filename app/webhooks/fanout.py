"""Fan-out: turn undispatched notifications into one WebhookDelivery per matching active webhook.

Claiming a batch is a conditional UPDATE ... RETURNING, so two dispatchers (several server workers) never fan out
the same notification twice: the second one's UPDATE finds the rows already dispatched and returns nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.models import WebhookDelivery
from app.webhooks.delivery_repository import DeliveryRepository
from app.webhooks.ownership import access_lost, hook_matches


def fan_out(session: Session, *, now: datetime, batch: int) -> tuple[int, int]:
    """Claim up to ``batch`` undispatched notifications and queue their deliveries (flushed, not committed).

    Returns (notifications dispatched, deliveries queued).
    """
    repo = DeliveryRepository(session)
    notes = repo.claim_notifications(batch)
    if not notes:
        return 0, 0
    # A hook whose owner lost access gets nothing more; what was queued before is skipped when it comes due.
    hooks = [(hook, owner.role) for hook, token, owner in repo.active_hooks()
             if access_lost(hook, token, owner, now) is None]
    queued = 0
    for note in notes:
        for hook, role in hooks:
            if hook_matches(hook, role, note):
                session.add(WebhookDelivery(webhook_id=hook.id, notification_id=note.id, status="pending",
                                            attempts=0, next_attempt_at=now, last_error=""))
                queued += 1
    session.flush()
    return len(notes), queued
