"""Pages every role shares: notifications, and the chain-node picker's suggestions (names and aliases)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.chains import service as chains
from app.core.deps import SessionDep
from app.core.vocabulary import RowId
from app.notifications import service as notifications
from app.web.pages import Poster, Viewer, back_to, render

router = APIRouter(include_in_schema=False)

# Where a notification leads, by what its payload names.
_LINKS = (("need_id", "/needs/{}"), ("challenge_id", "/challenges/{}"), ("catalogue_id", "/catalogues/{}"))


def link_of(payload: dict[str, object], role: str) -> str:
    if role == "sme" and "application_id" in payload:
        return "/applications"
    for key, pattern in _LINKS:
        if isinstance(payload.get(key), int):
            return pattern.format(payload[key])
    return ""


@router.get("/notifications")
def inbox(request: Request, session: SessionDep, who: Viewer, unread: str = "") -> Response:
    f = notifications.Filter(unread=True if unread else None)
    page = notifications.inbox(session=session, principal=who.user, f=f, limit=100, offset=0)
    links = {n.id: link_of(n.payload, who.user.role) for n in page.items}
    return render(request, "notifications.html", who, crumbs=[("通知", "")], page=page, links=links, unread=unread)


@router.post("/notifications/{notification_id}/read")
def mark_read(notification_id: RowId, session: SessionDep, who: Poster) -> Response:
    notifications.mark_read(session=session, principal=who.user, notification_id=notification_id)
    return back_to("/notifications")


@router.post("/notifications/read-all")
def mark_all(session: SessionDep, who: Poster) -> Response:
    done = notifications.mark_all_read(session=session, principal=who.user, f=notifications.Filter())
    return back_to("/notifications", f"已将 {done.updated} 条通知标为已读。")


@router.get("/nodes/suggest")
def suggest(request: Request, session: SessionDep, who: Viewer, q: str = "") -> Response:
    """The node picker's suggestions (an htmx fragment): nodes by name, then nodes the alias list names."""
    q = q.strip()[:50]
    found = chains.suggest_nodes(session=session, q=q, limit=12) if q else []
    return render(request, "_suggestions.html", who, found=found, q=q)
