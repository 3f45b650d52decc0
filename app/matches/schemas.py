"""The match request and its ranked, explained answer."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.core.schemas import IntId, Scored
from app.core.vocabulary import EnterpriseKind, Tier
from app.enterprises.schemas import EnterpriseSummary

# What a brief explanation keeps of the engine's (matching.explain): enough to show a ranked list.
BRIEF_REASONS = frozenset({"summary", "match", "matched_words", "competitor", "rival", "rival_note", "scores",
                           "industry"})


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
    explain: Literal["brief", "full"] = Field(
        default="brief", description="brief: each firm's summary, 匹配度, matched words and scores; full: also its "
        "graph paths, products made together and the need's nodes (the answer always lists those once)")

    @model_validator(mode="after")
    def _something_to_match(self) -> MatchRequest:
        if not self.text and not self.nodes:
            raise ValueError("give a need text or at least one chain node")
        return self


class MatchItem(Scored):
    enterprise: EnterpriseSummary


class NeedNode(BaseModel):
    node: str
    form: str = Field(description="the words that named it")
    how: str = Field(description="given, exact, alias, fuzzy, synonym or kind (what a named product is a kind of)")
    weight: float


class MatchResponse(BaseModel):
    understanding: dict[str, Any] | None = Field(
        description="the engine's reading of the text (wanted products with the words they came from; modifiers, "
                    "purposes and own products set aside; ignored terms; quantities, specifications, "
                    "certifications, regions); none without text")
    items: list[MatchItem]
    need_nodes: list[NeedNode] = Field(description="the chain nodes the need was understood to be about")
    index_version: int
    took_ms: float = Field(description="time in the service: exclusions, node lookup, ranking, the firms' rows")
    engine_ms: float = Field(description="of which ranking in the engine (matching.rank)")
