"""Webhook subscription requests and responses, and the delivery log."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.core.schemas import UtcDateTime
from app.notifications.outbox import EVENTS

MAX_URL = 500


class WebhookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    url: str = Field(min_length=1, max_length=MAX_URL, description="http(s) URL that receives POSTed JSON")
    events: list[str] = Field(default_factory=list, max_length=len(EVENTS),
                              description="events to receive; empty means all")

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        if any(ch.isspace() or ord(ch) < 32 for ch in v):
            raise ValueError("url must not contain spaces or control characters")
        try:
            parts = urlsplit(v)
            _ = parts.port  # raises on a port that is not a number or out of range
        except ValueError as exc:
            raise ValueError(f"url is malformed: {exc}") from exc
        if parts.scheme.lower() not in ("http", "https"):
            raise ValueError("url must use http or https")
        if not parts.hostname:
            raise ValueError("url must name a host")
        if parts.fragment:
            raise ValueError("url must not have a fragment")
        return v

    @field_validator("events")
    @classmethod
    def _events(cls, v: list[str]) -> list[str]:
        unknown = [e for e in v if e not in EVENTS]
        if unknown:
            raise ValueError(f"unknown events {', '.join(unknown)}; known: {', '.join(EVENTS)}")
        return sorted(set(v), key=EVENTS.index)


class WebhookOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    url: str
    events: list[str]
    org_id: int | None
    active: bool
    created_at: UtcDateTime


class WebhookCreated(WebhookOut):
    secret: str = Field(description="Signing secret, shown only in this response: keep it to verify deliveries.")


class DeliveryOut(BaseModel):
    id: int
    notification_id: int
    event: str
    status: str = Field(description="pending, delivered, failed (attempts used up), or skipped (not attempted: "
                                    "the owner lost access to the hook or to the notification's subject)")
    attempts: int
    next_attempt_at: UtcDateTime | None = Field(description="when the next attempt is due; null once settled")
    last_status_code: int | None
    last_error: str
    delivered_at: UtcDateTime | None
    created_at: UtcDateTime = Field(description="when the notification was written")
