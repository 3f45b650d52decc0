"""Industry tree models."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class IndustryRef(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    level: int


class IndustryTreeNode(IndustryRef):
    children: list[IndustryTreeNode] = []


class IndustryDetail(IndustryRef):
    parent: IndustryRef | None
    children: list[IndustryRef]
    upstream: list[IndustryRef]
    downstream: list[IndustryRef]
    enterprises: int
