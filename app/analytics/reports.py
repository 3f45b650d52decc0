"""Quarter reports frozen at the close: what the office reported stays as it was, and the next quarter compares
with it (app/analytics/quarter.py reads a frozen previous quarter when there is one).

A staff member freezes a quarter for a scope it reads (chain, region, minimum tier) once the quarter has ended;
the periodic job ``freeze_quarters`` freezes every chain's and the whole province's report (everywhere, every tier)
of the quarter just ended, so each quarter has one without anyone asking.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.analytics import quarter
from app.analytics import schemas as out
from app.analytics.repository import QuarterReportRepository
from app.chains import service as chains
from app.core.audit import record
from app.core.db import begin_writer
from app.core.errors import Conflict, NotFound
from app.jobs.context import JobContext
from app.jobs.registry import JobKind, NoParams
from app.models import Principal, QuarterReport
from app.models._types import utcnow

# The job runs as the system: it reads every chain and region, and is named as nobody in the reports.
_SYSTEM: dict[str, Any] = {"id": None, "name": "system", "role": "admin", "regions": [], "chains": []}


def _stored(report: QuarterReport) -> out.QuarterReport:
    return out.QuarterReport(frozen_at=report.frozen_at, frozen_by=report.frozen_by,  # type: ignore[arg-type]
                             results=out.QuarterResults.model_validate(report.figures))


def freeze(*, session: Session, principal: Principal, period: str, chain: str | None, region: str | None,
           min_tier: str) -> out.QuarterReport:
    _, end = quarter.bounds(period)
    if utcnow() < end:
        raise Conflict(f"{period} has not ended; it can be frozen from {end.date().isoformat()}")
    figures = quarter.results(session=session, principal=principal, period=period, chain=chain, region=region,
                              min_tier=min_tier)
    code = figures.scope.chain.code if figures.scope.chain else ""
    repo = QuarterReportRepository(session)
    if repo.get(period=period, chain_code=code, region=figures.scope.region, min_tier=min_tier) is not None:
        raise Conflict(f"the {period} report for this chain, region and tier is frozen already")
    report = repo.add(QuarterReport(period=period, chain_code=code, region=figures.scope.region, min_tier=min_tier,
                                    figures=figures.model_dump(mode="json"), frozen_at=utcnow(),
                                    frozen_by=principal.id))
    record(session, principal=principal if principal.id else None, action="quarter.freeze",
           entity="quarter_report", entity_id=report.id,
           after={"period": period, "chain": code, "region": report.region, "min_tier": min_tier})
    return _stored(report)


def stored(*, session: Session, principal: Principal, period: str, chain: str | None, region: str | None,
           min_tier: str) -> out.QuarterReport:
    """A frozen report, for callers who may read its scope (the same rules as the live results)."""
    scope = quarter.scope_of(session=session, principal=principal, chain=chain, region=region, min_tier=min_tier)
    found = QuarterReportRepository(session).get(period=period, chain_code=scope.chain.code if scope.chain else "",
                                                 region=scope.region, min_tier=min_tier)
    if found is None:
        raise NotFound(f"no frozen {period} report for this chain, region and tier")
    return _stored(found)


def freeze_ended(session: Session) -> int:
    """Freeze the quarter just ended for every chain and for all chains (everywhere, every tier) where missing."""
    now = utcnow()
    period = quarter.previous(f"{now.year}Q{(now.month - 1) // 3 + 1}")
    system = Principal(**_SYSTEM)
    repo = QuarterReportRepository(session)
    made = 0
    for code in ["", *(c.code for c in chains.list_chains(session=session))]:
        if repo.get(period=period, chain_code=code, region="", min_tier="none") is None:
            freeze(session=session, principal=system, period=period, chain=code or None, region=None,
                   min_tier="none")
            made += 1
    return made


def run_freeze(ctx: JobContext, _: NoParams) -> dict[str, int]:
    with ctx.factory() as session:
        begin_writer(session)
        made = freeze_ended(session)
        session.commit()
    return {"frozen": made}


# Hourly: a quarter's report is frozen within an hour of its close; a frozen one is never redone.
FREEZE_QUARTERS = JobKind(name="freeze_quarters", params=NoParams, handler=run_freeze, every_seconds=3600)
