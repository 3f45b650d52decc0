"""Errors on pages are pages: Chinese 403/404/500 in the layout with a way back; the API keeps its JSON envelope.

``install`` wraps the handlers app.core installed: a request for a page (not /api, /health, the docs or static
files) gets HTML, every other request the original handler's answer.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.errors import AppError
from app.web.pages import LoginRequired, login_url, render

log = logging.getLogger(__name__)
_NOT_PAGES = ("/api/", "/health", "/openapi.json", "/docs", "/redoc", "/static/")
Handler = Callable[[Request, Any], Awaitable[Response]]

TITLES = {400: "请求有误", 401: "请先登录", 403: "没有权限", 404: "页面不存在", 405: "页面不存在", 409: "操作冲突",
          422: "填写的内容有误", 429: "请求过于频繁", 500: "系统出错了", 503: "系统繁忙"}
TEXTS = {403: "您的账号没有访问此页面或进行此操作的权限。如需开通，请联系运营方。",
         404: "您要找的页面不存在，或您无权查看。可能链接有误，或内容已被删除。",
         405: "您要找的页面不存在。",
         409: "该操作与当前状态冲突（可能已被他人处理），请刷新后重试。",
         422: "提交的内容有误，请返回检查后重试。",
         500: "服务器处理您的请求时出错，我们已记录此问题。请稍后重试。",
         503: "系统暂时繁忙，请稍后重试。"}


def is_page(request: Request) -> bool:
    return not request.url.path.startswith(_NOT_PAGES)


def error_page(request: Request, status: int, message: str = "") -> Response:
    who = getattr(request.state, "who", None)
    return render(request, "error.html", who, status=status, title=TITLES.get(status, "出错了"),
                  text=message or TEXTS.get(status, TEXTS[422]), code=status)


def _people_message(exc: AppError) -> str:
    # Messages written for people are in Chinese; the API's English ones are replaced by the status's text.
    return exc.message if any("\u4e00" <= ch <= "\u9fff" for ch in exc.message) else ""


def install(app: FastAPI) -> None:
    original: dict[Any, Handler] = dict(app.exception_handlers)  # type: ignore[arg-type]

    def wrap(kind: Any, page: Callable[[Request, Any], Response]) -> None:
        fallback = original.get(kind)

        async def handler(request: Request, exc: Any) -> Response:
            if is_page(request) or fallback is None:
                return page(request, exc)
            return await fallback(request, exc)

        app.add_exception_handler(kind, handler)

    def login(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(login_url(exc.next_url), status_code=303)

    def app_error(request: Request, exc: AppError) -> Response:
        return error_page(request, exc.status, _people_message(exc))

    def http(request: Request, exc: StarletteHTTPException) -> Response:
        return error_page(request, exc.status_code)

    def invalid(request: Request, exc: RequestValidationError) -> Response:
        # A malformed id in a page's address names nothing there is: not found.
        in_path = any(e.get("loc", ("",))[0] == "path" for e in exc.errors())
        return error_page(request, 404 if in_path else 422)

    def internal(request: Request, exc: Exception) -> Response:
        log.error("unhandled error on a page", exc_info=exc)
        return error_page(request, 500)

    app.add_exception_handler(LoginRequired, lambda r, e: login(r, e))  # type: ignore[arg-type]
    wrap(AppError, app_error)
    wrap(StarletteHTTPException, http)
    wrap(RequestValidationError, invalid)
    wrap(Exception, internal)
