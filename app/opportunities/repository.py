"""Queries over one firm's feed: delivered opportunities joined with their published needs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from app.core.pagination import count_rows
from app.models import Catalogue, Chain, Need, Opportunity
from app.models._types import utcnow


@dataclass(frozen=True)
class FeedFilter:
    kind: str | None = None
    chain_id: int | None = None
    deadline_before: date | None = None
    min_match: int = 0  # 匹配度; deliveries from before 匹配度 was kept (none) are shown


class FeedRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def mark_seen(self, ids: Sequence[int]) -> None:
        # Only where nobody marked the item seen in the meantime: the first time seen is kept.
        self.session.execute(update(Opportunity).where(Opportunity.id.in_(ids), Opportunity.seen_at.is_(None))
                             .values(seen_at=utcnow()).execution_options(synchronize_session=False))

    def chain_id(self, code: str) -> int | None:
        return self.session.scalar(select(Chain.id).where(Chain.code == code))

    def feed(self, org_id: int, f: FeedFilter, *, limit: int,
             offset: int) -> tuple[list[tuple[Opportunity, Need]], int]:
        stmt = (select(Opportunity, Need).join(Need, Need.id == Opportunity.need_id)
                .where(Opportunity.enterprise_id == org_id, Opportunity.delivered_at.is_not(None),
                       Opportunity.sme_status != "dismissed", Need.status == "published"))
        if f.kind:
            stmt = stmt.where(Need.kind == f.kind)
        if f.chain_id is not None:
            stmt = stmt.join(Catalogue, Catalogue.id == Need.catalogue_id).where(Catalogue.chain_id == f.chain_id)
        if f.min_match > 0:
            stmt = stmt.where(or_(Opportunity.match.is_(None), Opportunity.match >= f.min_match))
        if f.deadline_before is not None:
            stmt = stmt.where(Need.deadline.is_not(None), Need.deadline <= f.deadline_before)
        total = count_rows(self.session, stmt)
        # 匹配度 first: it means the same for every need, where raw scores of two needs do not compare
        ordered = stmt.order_by(func.coalesce(Opportunity.match, -1).desc(),
                                func.coalesce(Opportunity.score, -1.0).desc(), Need.id.desc())
        rows = self.session.execute(ordered.limit(limit).offset(offset))
        return [(o, n) for o, n in rows], total
