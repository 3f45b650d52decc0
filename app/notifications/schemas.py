"""Notification responses (in-app inbox)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from app.core.schemas import UtcDateTime


class NotificationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    event: str
    payload: dict[str, Any]
    org_id: int | None
    principal_id: int | None
    created_at: UtcDateTime
    read_at: UtcDateTime | None


class ReadAllResult(BaseModel):
    updated: int
