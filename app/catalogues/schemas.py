"""Catalogue request and response models."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.core.schemas import IntId
from app.core.vocabulary import DEFAULT_TOP_N, MAX_TOP_N, MinMatch
from app.jobs.schemas import JobOut, UtcDateTime
from app.needs.schemas import NeedOut

# 2026Q4 for quarterly supply/demand catalogues, 2026H2 for half-year technology challenge lists (Art. 9, 13).
PERIOD_PATTERN = r"^20\d{2}(Q[1-4]|H[12])$"


class PublishParams(BaseModel):
    """The publication job's parameters: the item list is frozen when the catalogue is locked, so a resumed job
    delivers the same list."""

    catalogue_id: int
    needs: list[int]
    top_n: int = Field(default=DEFAULT_TOP_N, ge=1, le=MAX_TOP_N)
    created_by: int | None = None


class CatalogueCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    chain: str | IntId = Field(description="chain code or id")
    period: str = Field(pattern=PERIOD_PATTERN, description="2026Q4 (quarter) or 2026H2 (half-year)")
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=5000)
    top_n: int = Field(default=DEFAULT_TOP_N, ge=1, le=MAX_TOP_N, description="firms each need is delivered to")
    min_match: MinMatch | None = None


class CatalogueUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=5000)
    top_n: int | None = Field(default=None, ge=1, le=MAX_TOP_N, description="firms each need is delivered to")
    min_match: MinMatch | None = None


class ItemAdd(BaseModel):
    model_config = ConfigDict(extra="forbid")

    need: int = Field(ge=1, le=2_147_483_647, description="need id")


class ChainRef(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str


class CatalogueSummary(BaseModel):
    id: int
    chain: ChainRef
    period: str
    title: str
    description: str
    status: str
    top_n: int
    min_match: int | None = Field(description="minimum 匹配度 of its needs that set none (none: the default, 30)")
    created_at: UtcDateTime
    published_at: UtcDateTime | None


class CatalogueItem(NeedOut):
    """An item of a catalogue: the need as the caller may see it (the needs policy decides), under ``need_id``."""

    need_id: int


class CatalogueCounts(BaseModel):
    items: int
    by_kind: dict[str, int]
    delivered: int = Field(description="opportunities delivered to firms for the catalogue's needs")


class CatalogueDetail(CatalogueSummary):
    items: list[CatalogueItem]
    counts: CatalogueCounts


class CatalogueEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    principal_id: int | None
    action: str
    from_status: str | None
    to_status: str | None
    detail: dict[str, Any]
    at: UtcDateTime


class PublishAccepted(BaseModel):
    job: JobOut
    catalogue: CatalogueSummary


class ImportResult(BaseModel):
    imported: int
    need_ids: list[int]
