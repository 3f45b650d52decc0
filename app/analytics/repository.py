"""Queries on the analytics domain's own table: quarter reports frozen at the quarter's close."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import QuarterReport


class QuarterReportRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, *, period: str, chain_code: str, region: str, min_tier: str) -> QuarterReport | None:
        return self.session.scalar(select(QuarterReport).where(
            QuarterReport.period == period, QuarterReport.chain_code == chain_code, QuarterReport.region == region,
            QuarterReport.min_tier == min_tier))

    def add(self, report: QuarterReport) -> QuarterReport:
        self.session.add(report)
        self.session.flush()
        return report
