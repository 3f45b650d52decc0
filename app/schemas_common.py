"""Response pieces shared by several domains."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class NodeRef(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
