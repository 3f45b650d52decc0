"""Queries over the industry tree and its supply links."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Enterprise, Industry, IndustryUpstream


class IndustryRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def all(self) -> list[Industry]:
        return list(self.session.scalars(select(Industry).order_by(Industry.code)))

    def by_code(self, code: str) -> Industry | None:
        return self.session.scalar(select(Industry).where(Industry.code == code))

    def subtree_ids(self, industry_id: int) -> list[int]:
        """The industry and every industry below it, level by level."""
        ids, frontier = [industry_id], [industry_id]
        while frontier:
            frontier = list(self.session.scalars(select(Industry.id).where(Industry.parent_id.in_(frontier))))
            ids.extend(frontier)
        return ids

    def children(self, industry_id: int) -> list[Industry]:
        return list(self.session.scalars(select(Industry).where(Industry.parent_id == industry_id)
                                         .order_by(Industry.code)))

    def upstream(self, industry_id: int) -> list[Industry]:
        stmt = (select(Industry).join(IndustryUpstream, IndustryUpstream.upstream_id == Industry.id)
                .where(IndustryUpstream.industry_id == industry_id).order_by(Industry.code))
        return list(self.session.scalars(stmt))

    def downstream(self, industry_id: int) -> list[Industry]:
        stmt = (select(Industry).join(IndustryUpstream, IndustryUpstream.industry_id == Industry.id)
                .where(IndustryUpstream.upstream_id == industry_id).order_by(Industry.code))
        return list(self.session.scalars(stmt))

    def enterprise_count(self, industry_ids: list[int]) -> int:
        return self.session.scalar(select(func.count()).where(Enterprise.industry_id.in_(industry_ids))) or 0
