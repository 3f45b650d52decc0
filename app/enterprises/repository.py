"""Queries over enterprises and their capabilities."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session

from app.db import like_pattern
from app.models import Capability, ChainNode, Enterprise, Industry
from app.schemas_common import parse_id


@dataclass(frozen=True)
class EnterpriseFilter:
    q: str | None = None
    kinds: Sequence[str] = ()
    tiers: Sequence[str] = ()
    region: str | None = None
    node_id: int | None = None
    industry_ids: Sequence[int] | None = None



class EnterpriseRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _filtered(self, f: EnterpriseFilter) -> Select[Enterprise]:
        stmt = select(Enterprise)
        if f.q:
            pattern = like_pattern(f.q)
            makes = exists().where(Capability.enterprise_id == Enterprise.id,
                                   Capability.product.ilike(pattern, escape="\\"))
            stmt = stmt.where(or_(Enterprise.name.ilike(pattern, escape="\\"),
                                  Enterprise.full_name.ilike(pattern, escape="\\"), makes))
        if f.kinds:
            stmt = stmt.where(Enterprise.kind.in_(f.kinds))
        if f.tiers:
            stmt = stmt.where(Enterprise.tier.in_(f.tiers))
        if f.region:
            parts = [p for p in f.region.split("/") if p]
            for col, part in zip((Enterprise.province, Enterprise.city, Enterprise.district), parts, strict=False):
                stmt = stmt.where(col == part)
        if f.node_id is not None:
            stmt = stmt.where(exists().where(Capability.enterprise_id == Enterprise.id,
                                             Capability.node_id == f.node_id))
        if f.industry_ids is not None:
            stmt = stmt.where(Enterprise.industry_id.in_(f.industry_ids))
        return stmt

    def search(self, f: EnterpriseFilter, *, limit: int, offset: int) -> tuple[list[Enterprise], int]:
        stmt = self._filtered(f)
        total = self.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        rows = self.session.scalars(stmt.order_by(Enterprise.id).limit(limit).offset(offset)).all()
        return list(rows), total

    def get(self, key: str) -> Enterprise | None:
        found = self.session.scalar(select(Enterprise).where(Enterprise.code == key))
        if found is None and (id_ := parse_id(key)) is not None:
            found = self.session.get(Enterprise, id_)
        return found

    def by_ids(self, ids: Sequence[int]) -> dict[int, Enterprise]:
        if not ids:
            return {}
        return {e.id: e for e in self.session.scalars(select(Enterprise).where(Enterprise.id.in_(list(set(ids)))))}

    def capabilities(self, enterprise_id: int) -> list[tuple[Capability, ChainNode | None]]:
        stmt = (select(Capability, ChainNode).outerjoin(ChainNode, ChainNode.id == Capability.node_id)
                .where(Capability.enterprise_id == enterprise_id)
                .order_by(Capability.revenue_share.desc(), Capability.product))
        return [(c, n) for c, n in self.session.execute(stmt)]

    def industry_path(self, industry_id: int) -> list[Industry]:
        path: list[Industry] = []
        cur = self.session.get(Industry, industry_id)
        while cur is not None and len(path) < 5:
            path.insert(0, cur)
            cur = self.session.get(Industry, cur.parent_id) if cur.parent_id else None
        return path

    def node_ids_by_name(self, names: Sequence[str]) -> dict[str, int]:
        if not names:
            return {}
        rows = self.session.execute(select(ChainNode.name, ChainNode.id).where(ChainNode.name.in_(list(names))))
        return dict(rows.all())

    def code_exists(self, code: str) -> bool:
        return self.session.scalar(select(Enterprise.id).where(Enterprise.code == code)) is not None
