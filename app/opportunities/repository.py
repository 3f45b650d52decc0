"""Queries over one firm's feed: delivered opportunities joined with their published needs."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

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
        count, page = _feed_statements(bool(f.kind), f.chain_id is not None, f.min_match > 0,
                                       f.deadline_before is not None)
        params = {"org_id": org_id, "kind": f.kind, "chain_id": f.chain_id, "min_match": f.min_match,
                  "deadline": f.deadline_before}
        total = self.session.scalar(count, params) or 0
        rows = self.session.execute(page, params | {"limit": limit, "offset": offset})
        return [(o, n) for o, n in rows], total


@functools.cache
def _feed_statements(kind: bool, chain: bool, min_match: bool, deadline: bool) -> tuple[Select, Select]:  # type: ignore[type-arg]
    """The count and the page of a feed with these filters, built once per combination: every SME's feed request
    runs them, and building the statements cost more Python time than the database took to answer."""
    stmt = (select(Opportunity, Need).join(Need, Need.id == Opportunity.need_id)
            .where(Opportunity.enterprise_id == bindparam("org_id"), Opportunity.delivered_at.is_not(None),
                   Opportunity.sme_status != "dismissed", Need.status == "published"))
    if kind:
        stmt = stmt.where(Need.kind == bindparam("kind"))
    if chain:
        stmt = (stmt.join(Catalogue, Catalogue.id == Need.catalogue_id)
                .where(Catalogue.chain_id == bindparam("chain_id")))
    if min_match:
        stmt = stmt.where(or_(Opportunity.match.is_(None), Opportunity.match >= bindparam("min_match")))
    if deadline:
        stmt = stmt.where(Need.deadline.is_not(None), Need.deadline <= bindparam("deadline"))
    # 匹配度 first: it means the same for every need, where raw scores of two needs do not compare
    ordered = stmt.order_by(func.coalesce(Opportunity.match, -1).desc(),
                            func.coalesce(Opportunity.score, -1.0).desc(), Need.id.desc())
    return (stmt.with_only_columns(func.count()).order_by(None),
            ordered.limit(bindparam("limit")).offset(bindparam("offset")))
