"""Liveness and index status. Public: it reveals no data, only counts and versions.

While the database is unreachable the answer is 503 with Retry-After, so a load balancer takes the node out of
rotation; the same body says what is wrong. It comes back by itself once the database answers again.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from app import __version__
from app.core.admission import UNGATED
from app.core.errors import RETRY_AFTER_SECONDS

router = APIRouter(tags=["health"])
log = logging.getLogger(__name__)


@router.get("/health", openapi_extra=UNGATED, summary="Service, database and match-index status (public)",
            responses={503: {"description": "The database is unreachable"}})
def health(request: Request) -> JSONResponse:
    started = time.perf_counter()
    db_error = ""
    try:
        with request.app.state.sessionmaker() as session:
            session.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - health must report, not raise
        db_error = type(exc).__name__
        log.warning("health: database check failed: %s", exc)
    holder = getattr(request.app.state, "index", None)
    index = holder.status() if holder is not None else {"ready": False}
    body: dict[str, Any] = {"status": "ok" if not db_error else "unavailable", "version": __version__,
                            "database": not db_error, "database_ms": round((time.perf_counter() - started) * 1000, 1),
                            "index": index}
    if db_error:
        body["database_error"] = db_error
        return JSONResponse(body, status_code=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    return JSONResponse(body)
