"""Response pieces shared by several domains."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

T = TypeVar("T")


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


MAX_ID = 2_147_483_647
# An id given in JSON: a positive integer that fits the database's integer columns.
IntId = Annotated[int, Field(ge=1, le=MAX_ID)]


def parse_id(key: str | int) -> int | None:
    """The row id a path segment or list item names, or None when it is not one (e.g. '²', '9' * 30, '-1')."""
    if isinstance(key, int):
        return key if 1 <= key <= MAX_ID else None
    key = key.strip()
    if not (key.isascii() and key.isdigit()) or len(key) > 10:
        return None
    value = int(key)
    return value if 1 <= value <= MAX_ID else None


# Stored naive in UTC; answered with the zone (…Z), as an RFC 3339 date-time must be.
UtcDateTime = Annotated[datetime, AfterValidator(_utc)]


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class NodeRef(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str


class Scored(BaseModel):
    """A ranked result: the engine's score, its 匹配度 and why (matches, candidates, offers, outside firms)."""

    score: float = Field(description="the raw fused score: orders results within one query, no fixed range")
    match: int = Field(description="匹配度 0–100 on a fixed scale (matching/scale.py): ≥ 80 makes a wanted product "
                                   "as a main business, 65–80 makes it, 50–65 a narrower kind, 30–50 graph relations "
                                   "only, < 30 weak text evidence only")
    explanation: dict[str, Any]
