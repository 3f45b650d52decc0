"""Domain errors carry their HTTP status; one set of handlers renders every error the same way."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)
# Seconds a client should wait before retrying while the database is unreachable or busy.
RETRY_AFTER_SECONDS = 5


class AppError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, details: Any = None, code: str | None = None,
                 status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status


class NotFound(AppError):
    status, code = 404, "not_found"


class Unauthorized(AppError):
    status, code = 401, "unauthorized"


class Forbidden(AppError):
    status, code = 403, "forbidden"


class Conflict(AppError):
    status, code = 409, "conflict"


class Busy(AppError):
    """The worker has more work queued than it can start in time: 503 with Retry-After, nothing was done."""

    status, code = 503, "busy"

    def __init__(self, message: str, *, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Invalid(AppError):
    """Input that parses but breaks a rule: 422 naming the field and the reason."""

    status, code = 422, "invalid"

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}", details=[{"field": field, "reason": reason}])


def _body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}


def _field(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc)


def _reason(error: Any) -> str:
    """Pydantic's message; for a value outside a fixed list, the value too (which of several was wrong)."""
    reason = str(error.get("msg", "invalid"))
    value = error.get("input")
    if error.get("type") in ("literal_error", "enum") and isinstance(value, str | int):
        reason += f" (got {str(value)[:50]!r})"
    return reason


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(_: Request, exc: AppError) -> JSONResponse:
        headers = ({"WWW-Authenticate": "Bearer"} if exc.status == 401
                   else {"Retry-After": str(exc.retry_after)} if isinstance(exc, Busy) else None)
        return JSONResponse(_body(exc.code, exc.message, exc.details), status_code=exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = [{"field": _field(e.get("loc", ())), "reason": _reason(e)} for e in exc.errors()]
        message = "; ".join(f"{d['field']}: {d['reason']}" for d in details[:5])
        return JSONResponse(_body("validation_error", message, details), status_code=422)

    @app.exception_handler(DataError)
    async def _unstorable(_: Request, exc: DataError) -> JSONResponse:
        # Input the database refuses (a NUL byte, a number out of range) is the caller's error, not ours;
        # the request's transaction has been rolled back by then.
        message = "a value cannot be stored (e.g. a NUL character or an out-of-range number)"
        return JSONResponse(_body("invalid", message), status_code=422)

    @app.exception_handler(IntegrityError)
    async def _conflict(_: Request, exc: IntegrityError) -> JSONResponse:
        # Two requests raced to create the same thing (a unique key) or a row vanished under a reference:
        # the loser's change was rolled back whole, so it is a conflict to retry or accept, not a crash.
        log.info("integrity conflict: %s", exc.orig)
        return JSONResponse(_body("conflict", "the change conflicts with another one made at the same time; "
                                  "reload and try again"), status_code=409)

    async def _unavailable(_: Request, exc: Exception) -> JSONResponse:
        log.warning("database unavailable: %s", exc)
        return JSONResponse(_body("unavailable", "the database is unavailable; retry shortly"), status_code=503,
                            headers={"Retry-After": str(RETRY_AFTER_SECONDS)})

    for kind in (OperationalError, InterfaceError, PoolTimeout):
        app.add_exception_handler(kind, _unavailable)

    @app.exception_handler(Exception)
    async def _internal(_: Request, exc: Exception) -> JSONResponse:
        # Our own bug: logged with its traceback, answered in the same envelope (never a plain-text page).
        log.error("unhandled error", exc_info=exc)
        return JSONResponse(_body("internal", "internal error; it has been logged"), status_code=500)

    @app.exception_handler(DBAPIError)
    async def _dbapi(request: Request, exc: DBAPIError) -> JSONResponse:
        if exc.connection_invalidated:
            return await _unavailable(request, exc)
        return await _internal(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized"}.get(exc.status_code, "http_error")
        return JSONResponse(_body(code, str(exc.detail)), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))


_ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["code", "message"],
        "properties": {
            "code": {"type": "string"},
            "message": {"type": "string"},
            "details": {"anyOf": [
                {"type": "array", "items": {"type": "object", "properties": {
                    "field": {"type": "string"}, "reason": {"type": "string"}}}},
                {"type": "object"}, {"type": "null"}]},
        },
    }},
}


def document_errors(app: FastAPI) -> None:
    """Make the OpenAPI document describe the error envelope the handlers above actually send."""
    from fastapi.openapi.utils import get_openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        components["ErrorResponse"] = _ERROR_SCHEMA
        ref = {"$ref": "#/components/schemas/ErrorResponse"}
        for ops in schema.get("paths", {}).values():
            for op in ops.values():
                if "422" in op.get("responses", {}):
                    op["responses"]["422"] = {"description": "Invalid input: the field and the reason",
                                              "content": {"application/json": {"schema": ref}}}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
