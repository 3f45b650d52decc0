"""Chain analytics for industry offices (operators and admins only; every other token gets 403).

An operator limited to chains reads only those chains; one limited to regions reads figures for a region inside
its own (its only region when none is named). Rules: app/access/analytics.py; formulas: graph/analytics.py.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from app.analytics import actions, quarter, reports, service, workbook
from app.analytics import schemas as out
from app.analytics.snapshot import CacheDep
from app.core.admission import HEAVY
from app.core.deps import READ, SessionDep, StaffPrincipal
from app.core.spreadsheet import XLSX_MEDIA
from app.core.vocabulary import QUARTER_PATTERN, Limit, Offset, Tier
from app.match_index.deps import IndexDep

router = APIRouter(prefix="/api/v1/analytics", tags=["analytics"])

Staff = StaffPrincipal
ChainKey = Annotated[str, Path(max_length=40, description="chain code or id")]
NodeName = Annotated[str, Path(max_length=200, description="a node of the chain, by name or alias")]
Region = Annotated[str | None, Query(max_length=100, description="province[/city[/district]]; omitted = everywhere "
                                                                 "(an operator limited to one region: that region)")]
MinTier = Annotated[Tier, Query(description="suppliers count from this tier up")]
Period = Annotated[str, Path(pattern=QUARTER_PATTERN, description="a quarter, e.g. 2026Q4")]
WeakLimit = Annotated[int, Query(ge=0, le=2000, description="how many 短板 to list")]


@router.get("/chains", openapi_extra=READ, response_model=out.ChainOverviews,
            summary="Every chain the caller reads with its 配套率 and 短板 counts in a region (operators, admins)")
def chains_overview(session: SessionDep, cache: CacheDep, principal: Staff, region: Region = None,
                    min_tier: MinTier = "none") -> out.ChainOverviews:
    return service.overview(session=session, cache=cache, principal=principal, region=region, min_tier=min_tier)


@router.get("/chains/{chain}", openapi_extra=READ, response_model=out.ChainAnalysis,
            summary="One chain's node figures, 配套率 and 短板 list in a region (operators, admins)")
def chain_analysis(chain: ChainKey, session: SessionDep, cache: CacheDep, principal: Staff, region: Region = None,
                   min_tier: MinTier = "none", weak_limit: WeakLimit = 50) -> out.ChainAnalysis:
    return service.chain_page(session=session, cache=cache, principal=principal, chain=chain, region=region,
                              min_tier=min_tier, weak_limit=weak_limit)


@router.get("/chains/{chain}/weak-links", openapi_extra=READ, response_model=out.WeakLinks,
            summary="The chain's 短板 list, weakest first, each with its evidence (operators, admins)")
def weak_links(chain: ChainKey, session: SessionDep, cache: CacheDep, principal: Staff, region: Region = None,
               min_tier: MinTier = "none", limit: Limit = 20, offset: Offset = 0) -> out.WeakLinks:
    return service.weak_links(session=session, cache=cache, principal=principal, chain=chain, region=region,
                              min_tier=min_tier, limit=limit, offset=offset)


@router.get("/chains/{chain}/report", openapi_extra=READ | HEAVY, response_class=Response,
            responses={200: {"content": {XLSX_MEDIA: {}}}},
            summary="The chain's analysis as an xlsx report for the office (operators, admins)")
def chain_report(chain: ChainKey, session: SessionDep, cache: CacheDep, principal: Staff, region: Region = None,
                 min_tier: MinTier = "none") -> Response:
    page = service.chain_page(session=session, cache=cache, principal=principal, chain=chain, region=region,
                              min_tier=min_tier, weak_limit=2000)
    name = f"analytics-{page.scope.chain.code if page.scope.chain else chain}.xlsx"
    return Response(workbook.workbook(page), media_type=XLSX_MEDIA,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/chains/{chain}/weak-links/{node}/outside-firms", openapi_extra=READ, response_model=out.OutsideFirms,
            summary="The best makers of a chain node outside the region, with the engine's reasons "
                    "(operators, admins)")
def outside_firms(chain: ChainKey, node: NodeName, session: SessionDep, cache: CacheDep, index: IndexDep,
                  principal: Staff, region: Region = None, min_tier: MinTier = "none",
                  limit: Annotated[int, Query(ge=1, le=100)] = 10) -> out.OutsideFirms:
    return actions.outside_firms(session=session, cache=cache, holder=index, principal=principal, chain=chain,
                                 node=node, region=region, min_tier=min_tier, limit=limit)


@router.post("/chains/{chain}/weak-links/{node}/need", response_model=out.DraftedNeed, status_code=201,
             summary="Draft a recruitment need (招引/补链) for a weak link in a chain leader's name, optionally as an "
                     "item of the chain's draft catalogue (operators and admins who reach the leader firm)")
def draft_need(chain: ChainKey, node: NodeName, data: out.DraftNeed, session: SessionDep, cache: CacheDep,
               principal: Staff) -> out.DraftedNeed:
    return actions.draft_need(session=session, cache=cache, principal=principal, chain=chain, node=node, data=data)


@router.get("/leaders/{firm}/supply-rate", openapi_extra=READ, response_model=out.LeaderSupply,
            summary="One chain leader's 配套率 over its products in a chain, or over all of them "
                    "(operators who reach the firm, admins)")
def leader_supply(firm: Annotated[str, Path(max_length=40, description="enterprise code or id")],
                  session: SessionDep, cache: CacheDep, principal: Staff,
                  chain: Annotated[str | None, Query(max_length=40)] = None, region: Region = None,
                  min_tier: MinTier = "none") -> out.LeaderSupply:
    return service.leader_supply(session=session, cache=cache, principal=principal, firm=firm, chain=chain,
                                 region=region, min_tier=min_tier)


@dataclass(frozen=True)
class QuarterScope:
    chain: str | None
    region: str | None
    min_tier: Tier


def quarter_scope(chain: Annotated[str | None, Query(max_length=40, description="chain code or id; omitted = "
                                                                               "every chain the caller reads")] = None,
                  region: Region = None, min_tier: MinTier = "none") -> QuarterScope:
    return QuarterScope(chain, region, min_tier)


Scope = Annotated[QuarterScope, Depends(quarter_scope)]


@router.get("/quarters/{period}", openapi_extra=READ, response_model=out.QuarterResults,
            summary="A quarter's catalogue and need results next to the quarter before, by chain, region and tier "
                    "(operators, admins)")
def quarter_results(period: Period, session: SessionDep, principal: Staff, scope: Scope) -> out.QuarterResults:
    return quarter.results(session=session, principal=principal, period=period, **asdict(scope))


@router.post("/quarters/{period}/freeze", response_model=out.QuarterReport, status_code=201,
             summary="Freeze an ended quarter's results for a chain, region and tier as the office reports them "
                     "(operators, admins, within their reach)")
def freeze_quarter(period: Period, session: SessionDep, principal: Staff, scope: Scope) -> out.QuarterReport:
    return reports.freeze(session=session, principal=principal, period=period, **asdict(scope))


@router.get("/quarters/{period}/frozen", openapi_extra=READ, response_model=out.QuarterReport,
            summary="A quarter's results as frozen at its close (operators, admins, within their reach)")
def frozen_quarter(period: Period, session: SessionDep, principal: Staff, scope: Scope) -> out.QuarterReport:
    return reports.stored(session=session, principal=principal, period=period, **asdict(scope))
