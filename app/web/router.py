"""The web pages for people: log in with a password, then a role's workbench, in one layout.

Sessions ride in an HttpOnly, SameSite=Lax cookie; every form post carries a CSRF token (the login form
uses a double-submit cookie, later forms the token stored with the session). The API never reads cookies.
Each role's pages live in their own module (leader, sme, operator, admin, common); this one holds the login
and the workbench every role lands on.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Cookie, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.auth import web_sessions
from app.auth.login import LoginGuard
from app.core.admission import UNGATED
from app.core.deps import SessionDep
from app.web import admin, challenges, common, directory, leader, operator, sme
from app.web.pages import Poster, Viewer, render

router = APIRouter(include_in_schema=False)
LOGIN_CSRF = "cm_csrf"
LOGIN_REFUSED = {"wrong": (401, "用户名或密码错误。"), "busy": (503, "登录请求过多，系统繁忙。"),
                 "locked": (429, "登录失败次数过多，账号或网络地址已被暂时锁定。")}


def _secure(request: Request) -> bool:
    return bool(request.app.state.settings.cookie_secure)


def _safe_next(target: str | None) -> str:
    # Only a path on this site: never an absolute URL or a scheme-relative //host.
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/login")
def login_form(request: Request, cm_csrf: Annotated[str | None, Cookie()] = None,
               next: str | None = None) -> HTMLResponse:  # noqa: A002
    token = cm_csrf or secrets.token_urlsafe(24)
    resp = render(request, "login.html", None, csrf=token, next=_safe_next(next))
    resp.set_cookie(LOGIN_CSRF, token, httponly=True, samesite="lax", secure=_secure(request), max_age=3600)
    return resp


@router.post("/login", openapi_extra=UNGATED)
async def login(request: Request, login: Annotated[str, Form(max_length=100)],
                password: Annotated[str, Form(max_length=200)], csrf: Annotated[str, Form(max_length=100)] = "",
                next: Annotated[str, Form(max_length=500)] = "/",  # noqa: A002
                cm_csrf: Annotated[str | None, Cookie()] = None) -> Response:
    target = _safe_next(next)
    if not cm_csrf or not secrets.compare_digest(cm_csrf, csrf):
        token = cm_csrf or secrets.token_urlsafe(24)
        page = render(request, "login.html", None, status=403, csrf=token, next=target, login=login,
                      error="页面已过期，请重新登录。")
        page.set_cookie(LOGIN_CSRF, token, httponly=True, samesite="lax", secure=_secure(request), max_age=3600)
        return page
    guard: LoginGuard = request.app.state.login_guard
    address = request.client.host if request.client else "unknown"
    # The session row is committed (in the guard's own transaction) before this answer is built: the redirect
    # below is only sent once the next request, on any worker, can find the session.
    made = await guard.attempt(login=login, password=password, address=address)
    if made.secret is None:
        status, error = LOGIN_REFUSED[made.refused or "wrong"]
        if made.retry_after:
            error += f"请在 {made.retry_after} 秒后重试。"
        page = render(request, "login.html", None, status=status, csrf=cm_csrf, error=error, next=target,
                      login=login)
        if made.retry_after:
            page.headers["Retry-After"] = str(made.retry_after)
        return page
    resp = RedirectResponse(target, status_code=303)
    resp.set_cookie(web_sessions.COOKIE, made.secret, httponly=True, samesite="lax", secure=_secure(request),
                    max_age=int(web_sessions.LIFETIME.total_seconds()))
    resp.delete_cookie(LOGIN_CSRF)
    return resp


@router.post("/logout")
def logout(session: SessionDep, who: Poster) -> Response:
    web_sessions.log_out(session, who.web)
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(web_sessions.COOKIE)
    return resp


@router.get("/")
def home(request: Request, session: SessionDep, who: Viewer) -> Response:
    """The workbench: what needs the person's attention, by role."""
    role = who.user.role
    if role == "leader":
        return leader.dashboard(request, session, who)
    if role == "sme":
        return sme.dashboard(request, session, who)
    return operator.dashboard(request, session, who)


for module in (leader, challenges, sme, operator, directory, admin, common):
    router.include_router(module.router)
