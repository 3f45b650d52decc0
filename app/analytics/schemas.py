"""Chain analytics responses (the formulas: graph/analytics.py) and the action requests.

Firm ids of the pure results become firm references here; every figure keeps its ``basis``: ``declared`` by firms,
``imported`` from filings, ``estimated`` (inferred links, imputed shares, equal weights), or null when it rests on
no link at all.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.core.schemas import IntId, Scored, UtcDateTime
from app.core.vocabulary import Basis, Concentration, NeedKind, Tier, Weighting
from app.enterprises.schemas import EnterpriseSummary
from app.needs.schemas import NeedOut


class Figure(BaseModel):
    value: float | int | None
    basis: Basis | None


class ChainRef(BaseModel):
    code: str
    name: str


class Scope(BaseModel):
    """What the figures are computed for, and from which copy of the data."""

    chain: ChainRef | None
    region: str = Field(description="province[/city[/district]] prefix; empty = everywhere")
    min_tier: Tier
    as_of: UtcDateTime = Field(description="when the firm and chain data behind the figures were read")


class NodeFigures(BaseModel):
    node: str
    local_makers: dict[str, int] = Field(description="makers in the region, by tier")
    outside_makers: dict[str, int] = Field(description="makers outside the region, by tier")
    makers_basis: Basis | None
    suppliers: Figure = Field(description="local makers of at least the minimum tier")
    single_source: EnterpriseSummary | None = Field(description="the only supplier, when there is exactly one")
    capacity: Figure = Field(description="sum of the suppliers' known revenue shares in the node (firm-equivalents)")
    capacity_known: int
    hhi: Figure = Field(description="Herfindahl-Hirschman index of the suppliers' shares, 0-10000")
    concentration: Concentration | None
    betweenness: float
    cuts_off: int = Field(description="inputs the leaders lose every path to if this node has no supplier")
    demand: Figure = Field(description="share of the leaders' input demand that falls on this node")


class LeaderRate(BaseModel):
    leader: EnterpriseSummary
    rate: Figure
    inputs: int
    missing: int


class MissingInput(BaseModel):
    node: str
    uncovered: float
    in_chain: bool
    suppliers: int
    needed_by: list[EnterpriseSummary]


class SupplyRate(BaseModel):
    rate: Figure = Field(description="配套率: share of the leaders' weighted input demand local suppliers can meet")
    weighting: Weighting
    leaders: list[LeaderRate]
    inputs: int
    covered: int
    missing: list[MissingInput]


class Evidence(BaseModel):
    code: str
    value: float | int | str | None
    basis: Basis | None
    firm: EnterpriseSummary | None = None


class WeakLink(BaseModel):
    node: str
    score: float
    evidence: list[Evidence]


class ChainAnalysis(BaseModel):
    scope: Scope
    nodes: list[NodeFigures]
    supply: SupplyRate
    weak: list[WeakLink]
    weak_total: int


class WeakLinks(BaseModel):
    scope: Scope
    items: list[WeakLink]
    total: int


class ChainOverview(BaseModel):
    chain: ChainRef
    nodes: int
    rate: Figure
    weighting: Weighting | None
    weak_links: int
    no_local_supplier: int
    single_source: int


class ChainOverviews(BaseModel):
    region: str
    min_tier: Tier
    as_of: UtcDateTime
    items: list[ChainOverview]


class LeaderSupply(BaseModel):
    scope: Scope
    supply: SupplyRate


class OutsideFirm(Scored):
    enterprise: EnterpriseSummary


class OutsideFirms(BaseModel):
    scope: Scope
    node: str
    items: list[OutsideFirm]


class DraftNeed(BaseModel):
    """Turn a weak link into a draft recruitment need (招引/补链) of a chain-leader firm, optionally filed in a
    catalogue. Title and description default to the node and its evidence."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    poster: str = Field(min_length=1, max_length=40, description="code or id of the chain-leader firm it is posted for")
    kind: NeedKind = "cooperation"
    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=5000)
    catalogue_id: IntId | None = Field(default=None, description="a draft catalogue of this chain to file it in")
    region: str | None = Field(default=None, max_length=100)
    min_tier: Tier = "none"


class DraftedNeed(BaseModel):
    need: NeedOut
    catalogue_id: int | None
    evidence: list[Evidence]


class Funnel(BaseModel):
    items_published: int = Field(description="needs first published in the quarter (that reached the region)")
    catalogue_items: int
    catalogues: int
    by_kind: dict[str, int]
    deliveries: int = Field(description="(need, firm) pairs delivered by targeted publication")
    firms_reached: int
    seen: int
    interested: int
    invited: int = Field(description="invited or selected by the poster")
    selected: int
    seen_rate: float | None
    interest_rate: float | None
    median_hours_to_seen: float | None
    median_hours_to_interest: float | None
    median_hours_to_invite: float | None = Field(description="from delivery to the poster's invitation")


class FunnelPart(BaseModel):
    key: str
    current: Funnel
    previous: Funnel


class QuarterResults(BaseModel):
    period: str
    previous_period: str
    scope: Scope
    current: Funnel
    previous: Funnel
    previous_frozen_at: UtcDateTime | None = Field(
        default=None, description="the previous quarter as frozen at its close (a stored report); null: computed now")
    change: dict[str, float | None] = Field(description="current minus previous, for every count and rate")
    by_tier: list[FunnelPart]
    by_region: list[FunnelPart]
    by_chain: list[FunnelPart]



class QuarterReport(BaseModel):
    """A quarter's results as they were frozen (by a staff member, or by the periodic job at the quarter's close)."""

    frozen_at: UtcDateTime
    frozen_by: int | None
    results: QuarterResults
