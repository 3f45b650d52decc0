"""Queries over catalogues, their items (needs with catalogue_id set) and their history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from app.core.pagination import count_rows
from app.models import Catalogue, CatalogueEvent, Chain, ChainNode, Enterprise, Need, Opportunity


@dataclass
class CatalogueFilter:
    visible: ColumnElement[bool]  # what the caller may see (app.access.catalogues.visible_clause)
    chain_id: int | None = None
    period: str | None = None
    statuses: Sequence[str] = ()


class CatalogueRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, catalogue_id: int) -> Catalogue | None:
        return self.session.get(Catalogue, catalogue_id)

    def exists(self, chain_id: int, period: str) -> bool:
        stmt = select(Catalogue.id).where(Catalogue.chain_id == chain_id, Catalogue.period == period)
        return self.session.scalar(stmt) is not None

    def search(self, f: CatalogueFilter, *, limit: int, offset: int) -> tuple[list[Catalogue], int]:
        stmt = select(Catalogue).where(f.visible)
        if f.chain_id is not None:
            stmt = stmt.where(Catalogue.chain_id == f.chain_id)
        if f.period:
            stmt = stmt.where(Catalogue.period == f.period)
        if f.statuses:
            stmt = stmt.where(Catalogue.status.in_(list(f.statuses)))
        total = count_rows(self.session, stmt)
        rows = self.session.scalars(stmt.order_by(Catalogue.period.desc(), Catalogue.id.desc())
                                    .limit(limit).offset(offset))
        return list(rows), total

    def chains(self, ids: Sequence[int]) -> dict[int, Chain]:
        if not ids:
            return {}
        return {c.id: c for c in self.session.scalars(select(Chain).where(Chain.id.in_(list(set(ids)))))}

    def items(self, catalogue_id: int, visible: ColumnElement[bool]) -> list[Need]:
        """The catalogue's needs among those ``visible`` (app.access.needs.visible_clause) selects."""
        stmt = select(Need).where(Need.catalogue_id == catalogue_id, visible).order_by(Need.id)
        return list(self.session.scalars(stmt))

    def draft_items(self, catalogue_id: int) -> list[Need]:
        stmt = select(Need).where(Need.catalogue_id == catalogue_id, Need.status == "draft").order_by(Need.id)
        return list(self.session.scalars(stmt))

    def item_ids(self, catalogue_id: int) -> list[int]:
        return list(self.session.scalars(select(Need.id).where(Need.catalogue_id == catalogue_id)
                                         .order_by(Need.id)))

    def delivered(self, catalogue_id: int) -> int:
        stmt = (select(func.count()).select_from(Opportunity).join(Need, Need.id == Opportunity.need_id)
                .where(Need.catalogue_id == catalogue_id, Opportunity.delivered_at.is_not(None)))
        return self.session.scalar(stmt) or 0

    def responses(self, catalogue_ids: Sequence[int]) -> dict[int, dict[str, int]]:
        """Per need of these catalogues: delivered, seen, interested, invited and selected firms (one query)."""
        if not catalogue_ids:
            return {}
        delivered = Opportunity.delivered_at.is_not(None)
        counted = {"delivered": delivered, "seen": Opportunity.seen_at.is_not(None),
                   "interested": Opportunity.sme_status == "interested",
                   "invited": Opportunity.poster_status == "invited",
                   "selected": Opportunity.poster_status == "selected"}
        stmt = (select(Opportunity.need_id, *(func.count().filter(c) for c in counted.values()))
                .join(Need, Need.id == Opportunity.need_id)
                .where(Need.catalogue_id.in_(list(catalogue_ids))).group_by(Opportunity.need_id))
        return {row[0]: dict(zip(counted, row[1:], strict=True)) for row in self.session.execute(stmt)}

    def events(self, catalogue_id: int) -> list[CatalogueEvent]:
        stmt = select(CatalogueEvent).where(CatalogueEvent.catalogue_id == catalogue_id).order_by(CatalogueEvent.id)
        return list(self.session.scalars(stmt))

    def nodes_by_name(self, names: Sequence[str]) -> dict[str, int]:
        if not names:
            return {}
        stmt = select(ChainNode.name, ChainNode.id).where(ChainNode.name.in_(list(set(names))))
        return {name: id_ for name, id_ in self.session.execute(stmt)}

    def posters(self, keys: Sequence[str]) -> tuple[dict[str, Enterprise], dict[str, list[Enterprise]]]:
        """Enterprises whose code, or short name, is one of ``keys``: by code, and by name (names may repeat)."""
        if not keys:
            return {}, {}
        wanted = list(set(keys))
        by_code: dict[str, Enterprise] = {}
        by_name: dict[str, list[Enterprise]] = {}
        stmt = select(Enterprise).where(Enterprise.code.in_(wanted) | Enterprise.name.in_(wanted))
        for e in self.session.scalars(stmt.order_by(Enterprise.id)):
            if e.code in wanted:
                by_code[e.code] = e
            if e.name in wanted:
                by_name.setdefault(e.name, []).append(e)
        return by_code, by_name
