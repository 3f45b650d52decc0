"""The queries of webhook delivery: claiming notifications for fan-out, finding due deliveries, leasing one.

Every claim is a conditional UPDATE, so several dispatchers (one per server worker) never take the same row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import ApiToken, Notification, Principal, Webhook, WebhookDelivery


class DeliveryRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def claim_notifications(self, batch: int) -> list[Notification]:
        """Up to ``batch`` undispatched notifications, marked dispatched by this caller alone, oldest first."""
        candidates = list(self.session.scalars(select(Notification.id).where(Notification.dispatched.is_(False))
                                               .order_by(Notification.id).limit(batch)))
        if not candidates:
            return []
        claimed = list(self.session.scalars(
            update(Notification).where(Notification.id.in_(candidates), Notification.dispatched.is_(False))
            .values(dispatched=True).returning(Notification.id).execution_options(synchronize_session=False)))
        if not claimed:
            return []
        return list(self.session.scalars(select(Notification).where(Notification.id.in_(claimed))
                                          .order_by(Notification.id)))

    def active_hooks(self) -> list[tuple[Webhook, ApiToken | None, Principal]]:
        """Every active webhook with the token it was made with (if any) and its owner."""
        rows = self.session.execute(select(Webhook, ApiToken, Principal)
                                    .outerjoin(ApiToken, ApiToken.id == Webhook.token_id)
                                    .join(Principal, Principal.id == Webhook.owner_id)
                                    .where(Webhook.active.is_(True)).order_by(Webhook.id))
        return [(hook, token, owner) for hook, token, owner in rows]

    def due(self, now: datetime, batch: int) -> list[int]:
        return list(self.session.scalars(
            select(WebhookDelivery.id).join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
            .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now,
                   Webhook.active.is_(True))
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(batch)))

    def with_context(self, delivery_id: int) -> tuple[WebhookDelivery, Webhook, Notification] | None:
        row = self.session.execute(
            select(WebhookDelivery, Webhook, Notification)
            .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
            .join(Notification, Notification.id == WebhookDelivery.notification_id)
            .where(WebhookDelivery.id == delivery_id)).first()
        return (row[0], row[1], row[2]) if row is not None else None

    def lease(self, delivery_id: int, now: datetime, until: datetime) -> bool:
        """Take a due delivery until ``until``; False when another dispatcher has it or it was settled."""
        taken = self.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == delivery_id, WebhookDelivery.status == "pending",
                   WebhookDelivery.next_attempt_at <= now)
            .values(next_attempt_at=until).execution_options(synchronize_session=False))
        return bool(taken.rowcount == 1)  # type: ignore[attr-defined]
