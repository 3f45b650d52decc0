"""The in-app inbox. Every authenticated principal (admin, operator, leader, sme, integration) reads and marks
its own notifications: those of its organisation and those addressed to it. Anyone else's are 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.core.deps import READ, CurrentPrincipal, RowId, SessionDep
from app.core.errors import Invalid
from app.core.schemas import Page
from app.notifications import service
from app.notifications.outbox import EVENTS
from app.notifications.repository import InboxFilter
from app.notifications.schemas import NotificationOut, ReadAllResult

router = APIRouter(prefix="/api/v1/me/notifications", tags=["notifications"])

NotificationId = RowId


def _filter(unread: bool | None, event: str | None) -> InboxFilter:
    if event is not None and event not in EVENTS:
        raise Invalid("event", f"unknown event; one of {', '.join(EVENTS)}")
    return InboxFilter(unread=unread, event=event)


@router.get("", openapi_extra=READ,
            response_model=Page[NotificationOut], summary="My notifications, newest first (any principal)")
def list_notifications(
    session: SessionDep,
    principal: CurrentPrincipal,
    unread: Annotated[bool | None, Query(description="true: only unread; false: only read")] = None,
    event: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Page[NotificationOut]:
    return service.inbox(session=session, principal=principal, f=_filter(unread, event), limit=limit, offset=offset)


@router.post("/read-all", openapi_extra=READ, response_model=ReadAllResult,
             summary="Mark all my unread notifications read, optionally of one event (any principal)")
def read_all(session: SessionDep, principal: CurrentPrincipal,
             event: Annotated[str | None, Query(max_length=40)] = None) -> ReadAllResult:
    return service.mark_all_read(session=session, principal=principal, f=_filter(None, event))


@router.post("/{notification_id}/read", openapi_extra=READ, response_model=NotificationOut,
             summary="Mark one of my notifications read (any principal; others' are 404)")
def read_one(notification_id: NotificationId, session: SessionDep, principal: CurrentPrincipal) -> NotificationOut:
    return service.mark_read(session=session, principal=principal, notification_id=notification_id)
