"""Job response model."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from app.core.schemas import UtcDateTime


class JobOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    status: str
    done: int
    total: int
    attempts: int
    result: dict[str, Any]
    error: str
    created_at: UtcDateTime
    started_at: UtcDateTime | None
    heartbeat_at: UtcDateTime | None
    finished_at: UtcDateTime | None
