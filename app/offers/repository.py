"""Queries over offers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.core.db import like_pattern
from app.core.pagination import count_rows
from app.models import AuditEntry, ChainNode, Enterprise, Offer


class OfferRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def search(self, *, q: str | None, kind: str | None, node: str | None, limit: int,
               offset: int) -> tuple[list[Offer], int]:
        stmt = select(Offer).where(Offer.status == "published")
        if q:
            pattern = like_pattern(q)
            stmt = stmt.where(or_(Offer.title.ilike(pattern, escape="\\"),
                                  Offer.description.ilike(pattern, escape="\\")))
        if kind:
            stmt = stmt.where(Offer.kind == kind)
        if node is None:
            total = count_rows(self.session, stmt)
            return list(self.session.scalars(stmt.order_by(Offer.id).limit(limit).offset(offset))), total
        # Node lists are JSON, queried alike on SQLite and PostgreSQL only in Python; offers are few per filter.
        hits = [o for o in self.session.scalars(stmt.order_by(Offer.id)) if node in (o.nodes or [])]
        return hits[offset:offset + limit], len(hits)

    def known_nodes(self, names: Sequence[str]) -> set[str]:
        if not names:
            return set()
        return set(self.session.scalars(select(ChainNode.name).where(ChainNode.name.in_(list(names)))))

    def orgs(self, ids: Sequence[int]) -> dict[int, Enterprise]:
        if not ids:
            return {}
        return {e.id: e for e in self.session.scalars(select(Enterprise).where(Enterprise.id.in_(list(set(ids)))))}

    def published_with_orgs(self) -> list[tuple[Offer, Enterprise]]:
        stmt = (select(Offer, Enterprise).join(Enterprise, Enterprise.id == Offer.org_id)
                .where(Offer.status == "published").order_by(Offer.id))
        return [(row[0], row[1]) for row in self.session.execute(stmt)]

    def fingerprint(self) -> tuple[int, int, datetime | None]:
        """(count, max id, last write): changes whenever an offer is added, edited or deleted.

        Offers have no updated_at column, so the last audited offer write stands in for it (every offer write
        is audited in its own transaction).
        """
        count, top = self.session.execute(select(func.count(), func.max(Offer.id))
                                          .where(Offer.status == "published")).one()
        last = self.session.scalar(select(func.max(AuditEntry.at)).where(AuditEntry.entity == "offer"))
        return int(count or 0), int(top or 0), last
