"""Liveness and index status. Public: it reveals no data, only counts and versions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import text

from app import __version__

router = APIRouter(tags=["health"])


@router.get("/health", summary="Service, database and match-index status")
def health(request: Request) -> dict[str, Any]:
    db_ok = True
    try:
        with request.app.state.sessionmaker() as session:
            session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - health must report, not raise
        db_ok = False
    holder = getattr(request.app.state, "index", None)
    index = holder.status() if holder is not None else {"ready": False}
    return {"status": "ok" if db_ok else "degraded", "version": __version__, "database": db_ok, "index": index}
