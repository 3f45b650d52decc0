"""Queries over webhooks and their delivery log."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Notification, Webhook, WebhookDelivery


class WebhookRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def count_owned(self, owner_id: int) -> int:
        return self.session.scalar(select(func.count()).select_from(Webhook).where(Webhook.owner_id == owner_id)) or 0

    def find_url(self, owner_id: int, url: str) -> Webhook | None:
        return self.session.scalar(select(Webhook).where(Webhook.owner_id == owner_id, Webhook.url == url))

    def list_owned(self, owner_id: int, *, limit: int, offset: int) -> tuple[list[Webhook], int]:
        total = self.count_owned(owner_id)
        rows = self.session.scalars(select(Webhook).where(Webhook.owner_id == owner_id)
                                    .order_by(Webhook.id).limit(limit).offset(offset)).all()
        return list(rows), total

    def get(self, webhook_id: int) -> Webhook | None:
        return self.session.get(Webhook, webhook_id)

    def deliveries(self, webhook_id: int, *, status: str | None, limit: int,
                   offset: int) -> tuple[list[tuple[WebhookDelivery, Notification]], int]:
        conds = [WebhookDelivery.webhook_id == webhook_id]
        if status is not None:
            conds.append(WebhookDelivery.status == status)
        total = self.session.scalar(select(func.count()).select_from(WebhookDelivery).where(*conds)) or 0
        rows = self.session.execute(
            select(WebhookDelivery, Notification).join(Notification, Notification.id == WebhookDelivery.notification_id)
            .where(*conds).order_by(WebhookDelivery.id.desc()).limit(limit).offset(offset)).all()
        return [(d, n) for d, n in rows], total
