"""Need request and response models: writes, the need as each viewer may see it, versions, matches, candidates."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.core.schemas import IntId, NodeRef, Scored, UtcDateTime
from app.core.vocabulary import DEFAULT_TOP_N, MAX_TOP_N, MinMatch, NeedKind, Tier
from app.enterprises.schemas import Contact, EnterpriseSummary

Scope = Literal["node", "upstream"]
CandidateStatus = Literal["shortlisted", "invited", "rejected", "selected"]


def _certifications(v: list[str] | None) -> list[str] | None:
    if v is None:
        return v
    cleaned = [c.strip() for c in v]
    if any(not c or len(c) > 100 for c in cleaned):
        raise ValueError("each certification is 1 to 100 characters")
    return list(dict.fromkeys(cleaned))


class NeedUpdate(BaseModel):
    """Every field optional; only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: NeedKind | None = None
    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=5000)
    nodes: list[str | IntId] | None = Field(default=None, max_length=50, description="chain node names or ids")
    scope: Scope | None = None
    quantity: str | None = Field(default=None, max_length=100)
    budget_min: float | None = Field(default=None, ge=0, le=1e13)
    budget_max: float | None = Field(default=None, ge=0, le=1e13)
    deadline: date | None = None
    delivery_region: str | None = Field(default=None, max_length=100)
    required_tier: Tier | None = None
    required_certifications: list[str] | None = Field(default=None, max_length=20)
    anonymous: bool | None = None
    min_match: MinMatch | None = None

    @field_validator("required_certifications")
    @classmethod
    def _certs(cls, v: list[str] | None) -> list[str] | None:
        return _certifications(v)


class NeedCreate(NeedUpdate):
    kind: NeedKind  # type: ignore[assignment]
    title: str = Field(min_length=1, max_length=200)  # type: ignore[assignment]
    nodes: list[str | IntId] = Field(default_factory=list, max_length=50,  # type: ignore[assignment]
                                   description="chain node names or ids")
    scope: Scope = "node"  # type: ignore[assignment]
    anonymous: bool = False  # type: ignore[assignment]


class UnderstandingFix(BaseModel):
    """A correction of the engine's reading: nodes to attach (wanted for sure) and nodes to remove (never read
    from the text again)."""

    model_config = ConfigDict(extra="forbid")

    attach: list[str | IntId] = Field(default_factory=list, max_length=50, description="chain node names or ids")
    remove: list[str | IntId] = Field(default_factory=list, max_length=50, description="chain node names or ids")


class PublishIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    top_n: int = Field(default=DEFAULT_TOP_N, ge=1, le=MAX_TOP_N, description="how many best-fitting firms receive it")


class PosterRef(BaseModel):
    id: int
    code: str
    name: str


class NeedOut(BaseModel):
    id: int
    kind: str
    title: str
    description: str
    nodes: list[NodeRef]
    scope: str
    quantity: str | None
    budget_min: float | None = Field(description="private until published: the poster org, operators, admins")
    budget_max: float | None
    deadline: date | None
    delivery_region: str
    required_tier: str | None
    required_certifications: list[str]
    anonymous: bool
    min_match: int | None = Field(description="minimum 匹配度 of the firms it reaches (none: the catalogue's or 30)")
    understanding: dict[str, Any] | None = Field(
        description="the engine's reading of the text, corrections applied: wanted products (with the words they "
                    "came from), modifiers, purposes and own products set aside, removed and attached nodes, "
                    "ignored terms, quantities, specifications, certifications and delivery regions")
    removed_nodes: list[str] = Field(description="nodes the poster removed from the reading")
    poster: PosterRef | None = Field(description="on anonymous needs: only for the posting firm and staff who reach "
                                                 "the need")
    catalogue_id: int | None
    status: str
    version: int
    created_at: UtcDateTime
    updated_at: UtcDateTime
    published_at: UtcDateTime | None


class NeedPublished(NeedOut):
    delivered: int = Field(description="firms newly reached by the targeted delivery")


class NeedVersionOut(BaseModel):
    version: int
    changed_fields: list[str]
    snapshot: dict[str, Any]
    created_at: UtcDateTime


class CandidateState(BaseModel):
    delivered: bool
    sme_status: str
    poster_status: str
    poster_reason: str


class NeedMatchItem(Scored):
    enterprise: EnterpriseSummary
    candidate: CandidateState | None


class NeedMatches(BaseModel):
    items: list[NeedMatchItem]
    limit: int
    offset: int
    index_version: int


class CandidateIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    status: CandidateStatus
    reason: str = Field(default="", max_length=1000, description="required for rejected; the SME sees it")


class InterestItem(BaseModel):
    enterprise: EnterpriseSummary
    message: str
    sme_status: str
    poster_status: str
    poster_reason: str
    agreed: bool = Field(description="the SME is interested and the poster invited or selected it")
    contact: Contact | None = Field(description="only once both sides agreed")
    score: float | None
    updated_at: UtcDateTime


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    accept: bool
    message: str = Field(default="", max_length=500)
