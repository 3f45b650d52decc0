"""The match request and its ranked, explained answer."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.core.schemas import IntId
from app.core.vocabulary import EnterpriseKind, Tier
from app.enterprises.schemas import EnterpriseSummary


class MatchFilters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kinds: list[EnterpriseKind] = Field(default_factory=list, max_length=4)
    tiers: list[Tier] = Field(default_factory=list, max_length=4)
    regions: list[str] = Field(default_factory=list, max_length=50, description="province[/city[/district]] prefixes")

    @field_validator("regions")
    @classmethod
    def _regions(cls, v: list[str]) -> list[str]:
        if any(len(r) > 100 or not r.strip("/ ") for r in v):
            raise ValueError("each region is a non-empty province[/city[/district]] of at most 100 characters")
        return v


class MatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    text: str = Field(default="", max_length=5000, description="the need in free text (Chinese)")
    nodes: list[str | IntId] = Field(default_factory=list, max_length=50, description="chain node names or ids")
    scope: Literal["node", "upstream"] = "node"
    exclude: list[str | IntId] = Field(default_factory=list, max_length=1000,
                                     description="enterprise ids or external codes")
    filters: MatchFilters = Field(default_factory=MatchFilters)
    limit: int = Field(default=20, ge=1, le=200)

    @model_validator(mode="after")
    def _something_to_match(self) -> MatchRequest:
        if not self.text and not self.nodes:
            raise ValueError("give a need text or at least one chain node")
        return self


class MatchItem(BaseModel):
    enterprise: EnterpriseSummary
    score: float = Field(description="the raw fused score: orders firms within one need, no fixed range")
    match: int = Field(description="匹配度 0–100 on a fixed scale: ≥ 80 makes a wanted product as a main business, "
                                   "65–80 makes it, 50–65 a narrower kind, 30–50 graph relations only, < 30 weak "
                                   "text evidence only")
    explanation: dict[str, Any]


class MatchResponse(BaseModel):
    understanding: dict[str, Any] | None = Field(
        description="the engine's reading of the text (wanted products with the words they came from; modifiers, "
                    "purposes and own products set aside; ignored terms; quantities, specifications, "
                    "certifications, regions); none without text")
    items: list[MatchItem]
    index_version: int
    took_ms: float
