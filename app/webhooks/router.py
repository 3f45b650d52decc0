"""Webhook subscriptions. Any authenticated principal creates hooks and lists its own; leader and SME hooks receive
their organisation's events, integration and operator hooks the events addressed to them, admin hooks every event.
Reading one hook, its delivery log, retrying a failed delivery and deleting the hook: the owner or an admin;
anyone else gets 404.

Ownership: a hook belongs to the API token it was created with (and that token's principal), and a leader's or
SME's hook to the principal's organisation. Deliveries stop as soon as the owner loses access (the token is
revoked or expires, the principal is deactivated or leaves the organisation) or may no longer see what a
notification is about; this is checked when each delivery is due, on every worker, and such a delivery is not
attempted but logged as ``skipped`` with the reason. The URL must reach a public address unless
CHAINMATCH_WEBHOOK_ALLOW_PRIVATE is set (422 otherwise); every connection is checked again (app/webhooks/guard.py).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.core.deps import WEBHOOKS, CurrentPrincipal, SessionDep, SettingsDep
from app.core.schemas import Page
from app.core.vocabulary import Limit, Offset, RowId
from app.webhooks import service
from app.webhooks.schemas import DeliveryOut, WebhookCreate, WebhookCreated, WebhookOut

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])

WebhookId = RowId


@router.post("", openapi_extra=WEBHOOKS, response_model=WebhookCreated, status_code=201,
             summary="Subscribe a URL to events; the signing secret is shown once (any principal)")
def create_webhook(data: WebhookCreate, session: SessionDep, principal: CurrentPrincipal,
                   settings: SettingsDep) -> WebhookCreated:
    return service.create(session=session, principal=principal, data=data,
                          allow_private=settings.webhook_allow_private)


@router.get("", openapi_extra=WEBHOOKS, response_model=Page[WebhookOut], summary="My webhooks (any principal)")
def list_webhooks(session: SessionDep, principal: CurrentPrincipal, limit: Limit = 20,
                  offset: Offset = 0) -> Page[WebhookOut]:
    return service.list_own(session=session, principal=principal, limit=limit, offset=offset)


@router.get("/{webhook_id}", openapi_extra=WEBHOOKS,
            response_model=WebhookOut, summary="One webhook (its owner or an admin)")
def get_webhook(webhook_id: WebhookId, session: SessionDep, principal: CurrentPrincipal) -> WebhookOut:
    return WebhookOut.model_validate(service.get(session=session, principal=principal, webhook_id=webhook_id))


@router.delete("/{webhook_id}", openapi_extra=WEBHOOKS, status_code=204, response_class=Response,
               summary="Remove a webhook and its delivery log (its owner or an admin)")
def delete_webhook(webhook_id: WebhookId, session: SessionDep, principal: CurrentPrincipal) -> Response:
    service.delete(session=session, principal=principal, webhook_id=webhook_id)
    return Response(status_code=204)


@router.get("/{webhook_id}/deliveries", openapi_extra=WEBHOOKS, response_model=Page[DeliveryOut],
            summary="Delivery log of a webhook, newest first (its owner or an admin)")
def list_deliveries(
    webhook_id: WebhookId, session: SessionDep, principal: CurrentPrincipal,
    status: Annotated[str | None, Query(pattern="^(pending|delivered|failed|skipped)$")] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[DeliveryOut]:
    return service.deliveries(session=session, principal=principal, webhook_id=webhook_id, status=status,
                              limit=limit, offset=offset)


@router.post("/{webhook_id}/deliveries/{delivery_id}/retry", openapi_extra=WEBHOOKS, response_model=DeliveryOut,
             summary="Queue a failed delivery again, with a fresh round of attempts (its owner or an admin)")
def retry_delivery(webhook_id: WebhookId, delivery_id: RowId,
                   session: SessionDep, principal: CurrentPrincipal) -> DeliveryOut:
    return service.retry(session=session, principal=principal, webhook_id=webhook_id, delivery_id=delivery_id)
