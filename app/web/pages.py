"""What every page shares: the templates, who is looking (from the session cookie), CSRF on posts, rendering.

A page route takes ``Viewer`` (any logged-in person) or a role's ``…View``; a form post takes ``Poster`` or
a role's ``…Post``, which also checks the form's CSRF token. Not logged in: a redirect to the login page (with
``next``); the wrong role: the 403 page. Services keep their own rules; these checks only pick the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Cookie, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from app.auth import web_sessions
from app.core.deps import SessionDep
from app.core.errors import AppError
from app.core.vocabulary import (
    FIRM_TIER_LABELS,
    NEED_KIND_LABELS,
    NEED_STATUS_LABELS,
    ROLE_LABELS,
)
from app.enterprises import service as enterprises
from app.models import Principal, WebSession
from app.web import audit_labels, labels

# Starlette turns autoescaping on: every value a user typed is rendered as text, never as markup.
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.globals.update(
    role_names=ROLE_LABELS, kind_names=NEED_KIND_LABELS, need_status_names=NEED_STATUS_LABELS,
    tier_names=FIRM_TIER_LABELS, status_names=labels.SME_STATUS, poster_status_names=labels.POSTER_STATUS,
    app_status_names=labels.APPLICATION_STATUS, catalogue_status_names=labels.CATALOGUE_STATUS,
    mode_names=labels.CHALLENGE_MODE, field_names=labels.FIELD, event_names=labels.EVENT,
    job_status_names=labels.JOB_STATUS, nav_for=labels.nav_for)
templates.env.filters.update(fit=labels.fit, fields=labels.field_list, when=labels.when, money=labels.money,
                              action=audit_labels.action_label, entity=audit_labels.entity_label)


@dataclass(frozen=True)
class Face:
    """What the layout shows of the person: plain values, still readable on an error page after the request's
    transaction has ended."""

    id: int
    name: str
    role: str
    org_name: str


@dataclass(frozen=True)
class Who:
    """The person behind a page request and their browser session (its CSRF token goes into every form)."""

    user: Principal
    web: WebSession
    csrf: str
    face: Face


class LoginRequired(Exception):
    """No valid session: the error handler sends the browser to the login page, back here afterwards."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


class PageForbidden(AppError):
    status, code = 403, "forbidden"


def _who(request: Request, session: SessionDep, cm_session: str | None) -> Who:
    found = web_sessions.current(session, cm_session)
    if found is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target if request.method == "GET" else "/")
    user, web = found
    firm = enterprises.firm_of(session=session, principal=user)
    who = Who(user, web, web.csrf_token, Face(user.id, user.name, user.role, firm.name if firm else ""))
    request.state.who = who  # the error pages show the same navigation
    return who


def get_viewer(request: Request, session: SessionDep,
               cm_session: Annotated[str | None, Cookie()] = None) -> Who:
    return _who(request, session, cm_session)


def get_poster(request: Request, session: SessionDep, csrf: Annotated[str, Form(max_length=100)] = "",
               cm_session: Annotated[str | None, Cookie()] = None) -> Who:
    who = _who(request, session, cm_session)
    if not web_sessions.check_csrf(who.web, csrf):
        raise PageForbidden("页面已过期（安全校验失败），请返回后刷新页面再提交。")
    return who


Viewer = Annotated[Who, Depends(get_viewer)]
Poster = Annotated[Who, Depends(get_poster)]


def _only(roles: tuple[str, ...], base: Callable[..., Who]) -> Callable[..., Who]:
    # A default, not Annotated: this module's annotations are strings, and `base` is local to this function.
    def check(who: Who = Depends(base)) -> Who:  # noqa: B008
        if who.user.role not in roles:
            raise PageForbidden("您的账号没有访问此页面的权限。")
        return who

    return check


# Who may open a page or post a form, by role (the services still apply their own rules to what is shown).
LeaderView = Annotated[Who, Depends(_only(("leader",), get_viewer))]
LeaderPost = Annotated[Who, Depends(_only(("leader",), get_poster))]
SmeView = Annotated[Who, Depends(_only(("sme",), get_viewer))]
SmePost = Annotated[Who, Depends(_only(("sme",), get_poster))]
ManagerView = Annotated[Who, Depends(_only(("leader", "operator", "admin"), get_viewer))]
ManagerPost = Annotated[Who, Depends(_only(("leader", "operator", "admin"), get_poster))]
StaffView = Annotated[Who, Depends(_only(("operator", "admin"), get_viewer))]
StaffPost = Annotated[Who, Depends(_only(("operator", "admin"), get_poster))]
AdminView = Annotated[Who, Depends(_only(("admin",), get_viewer))]
AdminPost = Annotated[Who, Depends(_only(("admin",), get_poster))]


def render(request: Request, name: str, who: Who | None, *, status: int = 200,
           crumbs: list[tuple[str, str]] | None = None, **context: Any) -> HTMLResponse:
    """A page in the one layout: navigation for the viewer's role, breadcrumbs (label, link), the user menu."""
    base = {"user": who.face if who else None, "csrf": who.csrf if who else "", "crumbs": crumbs or [],
            "org_name": who.face.org_name if who else ""}
    return templates.TemplateResponse(request, name, base | context, status_code=status)


def back_to(url: str, notice: str = "") -> RedirectResponse:
    """After a successful post: 303 to the page to show, with a one-line notice in the query."""
    sep = "&" if "?" in url else "?"
    return RedirectResponse(url + (f"{sep}ok={quote(notice)}" if notice else ""), status_code=303)


def login_url(next_url: str) -> str:
    return "/login" + (f"?next={quote(next_url)}" if next_url and next_url != "/" else "")
