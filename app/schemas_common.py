"""Response pieces shared by several domains."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict

T = TypeVar("T")


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


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
