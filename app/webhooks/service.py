"""Rules of webhook subscriptions: who may see and remove which hook, and what its delivery log shows."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.core.audit import record, snapshot
from app.core.errors import Conflict, Invalid, NotFound
from app.core.schemas import Page
from app.models import Notification, Principal, Webhook, WebhookDelivery
from app.models._types import utcnow
from app.webhooks.addresses import Unresolvable, url_refusal
from app.webhooks.repository import WebhookRepository
from app.webhooks.schemas import DeliveryOut, WebhookCreate, WebhookCreated, WebhookOut
from app.webhooks.signing import new_secret

MAX_PER_OWNER = 20
_AUDITED = ("url", "events", "org_id", "active")


def create(*, session: Session, principal: Principal, data: WebhookCreate,
           allow_private: bool = False) -> WebhookCreated:
    if not allow_private:
        _require_public(data.url)
    repo = WebhookRepository(session)
    if repo.find_url(principal.id, data.url) is not None:
        raise Conflict("you already have a webhook for this url")
    if repo.count_owned(principal.id) >= MAX_PER_OWNER:
        raise Conflict(f"at most {MAX_PER_OWNER} webhooks per principal; delete one first")
    # Leader and SME hooks follow their organisation's events; the others follow what is addressed to them.
    org_id = principal.org_id if principal.role in ("leader", "sme") else None
    # The hook belongs to the token it is created with: its deliveries stop when that token does (ownership.py).
    hook = Webhook(owner_id=principal.id, token_id=principal.token_id, org_id=org_id, url=data.url,
                   secret=new_secret(), events=data.events, active=True)
    session.add(hook)
    session.flush()
    # The secret never goes into the audit log: whoever reads the log must not be able to forge signatures.
    record(session, principal=principal, action="create", entity="webhook", entity_id=hook.id,
           after=snapshot(hook, _AUDITED))
    return WebhookCreated(**WebhookOut.model_validate(hook).model_dump(), secret=hook.secret)


def _require_public(url: str) -> None:
    """Refuse at once a URL whose host is, or now resolves to, a non-public address (it would only fail later).

    A name that does not resolve now is accepted: DNS may be down or not yet set up, and the dispatcher checks
    every address again when it connects.
    """
    try:
        reason = url_refusal(url)
    except Unresolvable:
        return
    if reason is not None:
        raise Invalid("url", reason)


def list_own(*, session: Session, principal: Principal, limit: int, offset: int) -> Page[WebhookOut]:
    rows, total = WebhookRepository(session).list_owned(principal.id, limit=limit, offset=offset)
    return Page(items=[WebhookOut.model_validate(r) for r in rows], total=total, limit=limit, offset=offset)


def get(*, session: Session, principal: Principal, webhook_id: int) -> Webhook:
    hook = WebhookRepository(session).get(webhook_id)
    if hook is None or not (hook.owner_id == principal.id or principal.role == "admin"):
        # Another principal's hook (and its url) is private: 404, not 403.
        raise NotFound(f"webhook {webhook_id} not found")
    return hook


def delete(*, session: Session, principal: Principal, webhook_id: int) -> None:
    hook = get(session=session, principal=principal, webhook_id=webhook_id)
    record(session, principal=principal, action="delete", entity="webhook", entity_id=hook.id,
           before=snapshot(hook, _AUDITED))
    # Its deliveries go with it (ON DELETE CASCADE); a delivery in flight just finds nothing to update.
    session.delete(hook)
    session.flush()


def deliveries(*, session: Session, principal: Principal, webhook_id: int, status: str | None, limit: int,
               offset: int) -> Page[DeliveryOut]:
    hook = get(session=session, principal=principal, webhook_id=webhook_id)
    rows, total = WebhookRepository(session).deliveries(hook.id, status=status, limit=limit, offset=offset)
    return Page(items=[_out(d, n) for d, n in rows], total=total, limit=limit, offset=offset)


def _out(d: WebhookDelivery, n: Notification) -> DeliveryOut:
    return DeliveryOut(id=d.id, notification_id=d.notification_id, event=n.event, status=d.status,
                       attempts=d.attempts, next_attempt_at=d.next_attempt_at if d.status == "pending" else None,
                       last_status_code=d.last_status_code, last_error=d.last_error or "",
                       delivered_at=d.delivered_at, created_at=n.created_at)


def retry(*, session: Session, principal: Principal, webhook_id: int, delivery_id: int) -> DeliveryOut:
    """Put a failed delivery back in the queue for a fresh round of attempts (after the receiver was fixed)."""
    hook = get(session=session, principal=principal, webhook_id=webhook_id)
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.webhook_id != hook.id:
        raise NotFound(f"delivery {delivery_id} not found")
    if delivery.status != "failed":
        raise Conflict(f"only a failed delivery can be retried; this one is {delivery.status}")
    before = snapshot(delivery, ("status", "attempts", "next_attempt_at"))
    delivery.status, delivery.attempts, delivery.next_attempt_at = "pending", 0, utcnow()
    record(session, principal=principal, action="retry", entity="webhook_delivery", entity_id=delivery.id,
           before=before, after=snapshot(delivery, ("status", "attempts", "next_attempt_at")))
    session.flush()
    note = session.get(Notification, delivery.notification_id)
    if note is None:  # the notification went away with its organisation
        raise NotFound(f"delivery {delivery_id} not found")
    return _out(delivery, note)
