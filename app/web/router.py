"""The web pages for people: log in with a password, then a role's workbench.

Sessions ride in an HttpOnly, SameSite=Lax cookie; every form post carries a CSRF token (the login form
uses a double-submit cookie, later forms the token stored with the session). The API never reads cookies.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Cookie, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from app.auth import web_sessions
from app.auth.login import LoginGuard
from app.core.deps import RowId, SessionDep
from app.core.errors import AppError
from app.match_index.deps import IndexDep
from app.opportunities import service as opportunities
from app.web import views

router = APIRouter(include_in_schema=False)
# Starlette turns autoescaping on: every value a user typed is rendered as text, never as markup.
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
LOGIN_CSRF = "cm_csrf"
# The API's error messages are for developers; people on the pages read these.
WEB_ERRORS = {409: "您已对该需求作答，或该需求已关闭。", 404: "该需求不存在或您无权查看。", 403: "您无权进行此操作。",
              422: "填写的内容有误，请检查后重试。"}
LOGIN_REFUSED = {"wrong": (401, "用户名或密码错误。"), "busy": (503, "登录请求过多，系统繁忙。"),
                 "locked": (429, "登录失败次数过多，账号或网络地址已被暂时锁定。")}


def _secure(request: Request) -> bool:
    return bool(request.app.state.settings.cookie_secure)


def _page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {**views.NAMES, "user": None, **context}, status_code=status)


@router.get("/login")
def login_form(request: Request, cm_csrf: Annotated[str | None, Cookie()] = None) -> HTMLResponse:
    token = cm_csrf or secrets.token_urlsafe(24)
    resp = _page(request, "login.html", csrf=token)
    resp.set_cookie(LOGIN_CSRF, token, httponly=True, samesite="lax", secure=_secure(request), max_age=3600)
    return resp


@router.post("/login")
async def login(request: Request, login: Annotated[str, Form(max_length=100)],
                password: Annotated[str, Form(max_length=200)], csrf: Annotated[str, Form(max_length=100)] = "",
                cm_csrf: Annotated[str | None, Cookie()] = None) -> Response:
    if not cm_csrf or not secrets.compare_digest(cm_csrf, csrf):
        return _page(request, "login.html", 403, csrf=cm_csrf or "", error="页面已过期，请刷新后重新登录。")
    guard: LoginGuard = request.app.state.login_guard
    address = request.client.host if request.client else "unknown"
    made = await guard.attempt(login=login, password=password, address=address)
    if made.secret is None:
        status, error = LOGIN_REFUSED[made.refused or "wrong"]
        if made.retry_after:
            error += f"请在 {made.retry_after} 秒后重试。"
        page = _page(request, "login.html", status, csrf=cm_csrf, error=error)
        if made.retry_after:
            page.headers["Retry-After"] = str(made.retry_after)
        return page
    resp = RedirectResponse("/", status_code=303)
    resp.set_cookie(web_sessions.COOKIE, made.secret, httponly=True, samesite="lax", secure=_secure(request),
                    max_age=int(web_sessions.LIFETIME.total_seconds()))
    resp.delete_cookie(LOGIN_CSRF)
    return resp


@router.post("/logout")
def logout(session: SessionDep, csrf: Annotated[str, Form(max_length=100)] = "",
           cm_session: Annotated[str | None, Cookie()] = None) -> Response:
    found = web_sessions.current(session, cm_session)
    if found is not None:
        if not web_sessions.check_csrf(found[1], csrf):
            return Response("CSRF 校验失败", status_code=403)
        web_sessions.log_out(session, found[1])
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(web_sessions.COOKIE)
    return resp


@router.get("/")
def home(request: Request, session: SessionDep, cm_session: Annotated[str | None, Cookie()] = None) -> Response:
    found = web_sessions.current(session, cm_session)
    if found is None:
        return RedirectResponse("/login", status_code=303)
    user, web = found
    context: dict[str, Any] = {"user": user, "csrf": web.csrf_token, "opportunities": [], "needs": []}
    if user.role == "sme":
        context["opportunities"] = views.opportunities(session, user)
    if user.role in ("leader", "operator", "admin"):
        context["needs"] = views.needs(session, user)
    return _page(request, "home.html", **context)


@router.get("/needs/{need_id}")
def need(need_id: RowId, request: Request, session: SessionDep, index: IndexDep,
         cm_session: Annotated[str | None, Cookie()] = None) -> Response:
    found = web_sessions.current(session, cm_session)
    if found is None:
        return RedirectResponse("/login", status_code=303)
    user, web = found
    item = views.visible_need(session, user, need_id)
    if item is None:
        return _page(request, "base.html", 404, user=user, csrf=web.csrf_token)
    return _page(request, "need.html", user=user, csrf=web.csrf_token,
                 **views.need_page(session, index, item, user))


@router.post("/opportunities/{need_id}/{answer}")
def answer_opportunity(need_id: RowId, answer: str, request: Request, session: SessionDep,
                       csrf: Annotated[str, Form(max_length=100)] = "",
                       message: Annotated[str, Form(max_length=500)] = "",
                       cm_session: Annotated[str | None, Cookie()] = None) -> Response:
    """An SME answers an item of its feed from the web page: the same rules as the API's interest and dismiss."""
    found = web_sessions.current(session, cm_session)
    if found is None:
        return RedirectResponse("/login", status_code=303)
    user, web = found
    if not web_sessions.check_csrf(web, csrf):
        return Response("CSRF 校验失败", status_code=403)
    if user.role != "sme" or answer not in ("interest", "dismiss"):
        return _page(request, "base.html", 404, user=user, csrf=web.csrf_token)
    try:
        if answer == "interest":
            opportunities.interest(session=session, principal=user, need_id=need_id, message=message.strip())
        else:
            opportunities.dismiss(session=session, principal=user, need_id=need_id)
    except AppError as exc:
        error = WEB_ERRORS.get(exc.status, "操作未能完成，请稍后再试。")
        return _page(request, "home.html", exc.status, user=user, csrf=web.csrf_token, error=error,
                     opportunities=views.opportunities(session, user), needs=[])
    return RedirectResponse("/", status_code=303)
