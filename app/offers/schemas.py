"""Offer (成果清单) request and response models."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.challenges.schemas import UtcDateTime
from app.core.schemas import Scored
from app.core.vocabulary import OfferKind
from app.enterprises.schemas import EnterpriseSummary

Kind = OfferKind


class OfferWrite(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: Kind | None = Field(default=None, description="capability 能力, or result 成果 ready for industry")
    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=10_000)
    nodes: list[str] | None = Field(default=None, max_length=50, description="chain node names")


class OfferCreate(OfferWrite):
    kind: Kind = "capability"  # type: ignore[assignment]
    title: str = Field(min_length=1, max_length=200)  # type: ignore[assignment]
    description: str = Field(default="", max_length=10_000)  # type: ignore[assignment]
    nodes: list[str] = Field(default_factory=list, max_length=50)  # type: ignore[assignment]


class OfferOut(BaseModel):
    id: int
    kind: str
    title: str
    description: str
    nodes: list[str]
    status: str
    org: EnterpriseSummary
    created_at: UtcDateTime


class OfferMatch(Scored):
    offer: OfferOut


class OfferMatchResponse(BaseModel):
    need_id: int
    items: list[OfferMatch]
    offers_indexed: int
    took_ms: float
