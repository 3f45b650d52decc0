"""Challenge (揭榜挂帅) and application request and response models."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.schemas import IntId, NodeRef, UtcDateTime
from app.enterprises.schemas import EnterpriseSummary

Mode = Literal["competitive", "directed", "team"]
NodeKey = str | IntId


class ChallengeWrite(BaseModel):
    """Fields a poster may change while the challenge is a draft (all optional)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=10_000)
    nodes: list[NodeKey] | None = Field(default=None, max_length=50, description="chain node names or ids")
    scope: Literal["node", "upstream"] | None = None
    prize_amount: float | None = Field(default=None, ge=0, le=1e13, allow_inf_nan=False,
                                       description="the prize or contract value, in yuan")
    deadline: date | None = Field(default=None, description="last day to apply; must be in the future")
    mode: Mode | None = Field(default=None, description="competitive 竞争立项, directed 定向委托, team 组阁揭榜")
    ip_terms: str | None = Field(default=None, max_length=5000, description="who owns the results")
    max_winners: int | None = Field(default=None, ge=1, le=3)
    anonymous: bool | None = Field(default=None, description="hide the poster from solvers")


class ChallengeCreate(ChallengeWrite):
    title: str = Field(min_length=1, max_length=200)  # type: ignore[assignment]
    description: str = Field(default="", max_length=10_000)  # type: ignore[assignment]
    nodes: list[NodeKey] = Field(default_factory=list, max_length=50)  # type: ignore[assignment]
    scope: Literal["node", "upstream"] = "node"  # type: ignore[assignment]
    deadline: date  # type: ignore[assignment]
    mode: Mode = "competitive"  # type: ignore[assignment]
    ip_terms: str = Field(default="", max_length=5000)  # type: ignore[assignment]
    max_winners: int = Field(default=1, ge=1, le=3)  # type: ignore[assignment]
    anonymous: bool = False  # type: ignore[assignment]


class ChallengeOut(BaseModel):
    id: int
    title: str
    description: str
    nodes: list[NodeRef]
    scope: str
    prize_amount: float | None
    deadline: date | None
    mode: str
    ip_terms: str
    max_winners: int
    anonymous: bool
    status: str
    poster: EnterpriseSummary | None = Field(description="None when the challenge is anonymous to the caller")
    created_at: UtcDateTime
    published_at: UtcDateTime | None
    delivered_to: int | None = Field(default=None, description="firms it was delivered to; poster and staff only")


class ApplicationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    proposal: str = Field(min_length=1, max_length=10_000)
    team: list[str] = Field(default_factory=list, max_length=20,
                            description="enterprise codes of the other team members (组阁揭榜)")


class ApplicationDecision(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    status: Literal["shortlisted", "selected", "rejected"]
    reason: str = Field(default="", max_length=2000, description="required when rejecting; the applicant sees it")


class ApplicationOut(BaseModel):
    id: int
    challenge_id: int
    challenge_title: str
    applicant: EnterpriseSummary
    team: list[str]
    team_answers: dict[str, Literal["pending", "accepted", "declined"]] = Field(
        default_factory=dict, description="each team member's confirmation; a team application counts once all accept")
    proposal: str
    status: str
    reason: str
    history: list[dict[str, Any]]
    created_at: UtcDateTime
    updated_at: UtcDateTime


class TeamAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    accept: bool = Field(description="true: join the team application; false: decline it (ends the application)")
