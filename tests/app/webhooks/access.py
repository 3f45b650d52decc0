"""Access entries for webhooks. Hooks are private to their owner (and admins): others get 404. The fixture's
integration token lacks the webhooks scope, so it gets 403 everywhere here."""

from __future__ import annotations

import itertools

from sqlalchemy import select

from app.models import Enterprise, WebhookDelivery
from app.notifications.outbox import emit
from tests.app.access import ANY, CALLERS, Access, Ctx, only

URL = "/api/v1/webhooks"
_n = itertools.count()


def _url() -> str:
    # A public-looking name: the matrix's client refuses private addresses, and nothing is ever sent here.
    return f"https://hooks.example.invalid/matrix/{next(_n)}"


def _sme_hook(ctx: Ctx, *, fresh: bool = False) -> int:
    if fresh or "sme_hook" not in ctx.cache:
        made = ctx.client.post(URL, json={"url": _url()}, headers=ctx.as_("sme"))
        assert made.status_code == 201, made.text
        if not fresh:
            ctx.cache["sme_hook"] = made.json()["id"]
        return int(made.json()["id"])
    return int(ctx.cache["sme_hook"])


def _failed_delivery(ctx: Ctx) -> str:
    """A fresh failed delivery of the SME's hook, made directly: the matrix does not run the dispatcher."""
    hook_id = _sme_hook(ctx)
    note = emit(ctx.session, event="opportunity.new", payload={}, org_id=_sme_org(ctx))
    ctx.session.flush()
    delivery = WebhookDelivery(webhook_id=hook_id, notification_id=note.id, status="failed", attempts=8,
                               last_error="HTTP 500")
    note.dispatched = True
    ctx.session.add(delivery)
    ctx.session.commit()
    return f"{URL}/{hook_id}/deliveries/{delivery.id}/retry"


def _sme_org(ctx: Ctx) -> int | None:
    return ctx.session.scalar(select(Enterprise.id).where(Enterprise.code == "100002"))


_CREATED = {c: 201 for c in CALLERS} | {"integration": 403, "none": 401, "expired": 401, "revoked": 401}

ACCESS = {
    ("POST", URL): Access(URL, _CREATED, body=lambda ctx: {"url": _url(), "events": ["opportunity.new"]}),
    ("GET", URL): Access(URL, ANY | {"integration": 403}),
    ("GET", URL + "/{webhook_id}"): Access(lambda ctx: f"{URL}/{_sme_hook(ctx)}",
                                           only({"sme": 200, "admin": 200, "integration": 403}, others=404)),
    ("DELETE", URL + "/{webhook_id}"): Access(lambda ctx: f"{URL}/{_sme_hook(ctx, fresh=True)}",
                                              only({"sme": 204, "admin": 204, "integration": 403}, others=404)),
    ("GET", URL + "/{webhook_id}/deliveries"): Access(lambda ctx: f"{URL}/{_sme_hook(ctx)}/deliveries",
                                                      only({"sme": 200, "admin": 200, "integration": 403},
                                                           others=404)),
    ("POST", URL + "/{webhook_id}/deliveries/{delivery_id}/retry"): Access(
        _failed_delivery, only({"sme": 200, "admin": 200, "integration": 403}, others=404)),
}
