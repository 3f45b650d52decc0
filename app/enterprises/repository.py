"""Queries over enterprises and their capabilities."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, CompoundSelect, Select, bindparam, delete, exists, func, select, union
from sqlalchemy.orm import QueryableAttribute, Session

from app.core.db import like_pattern
from app.core.pagination import count_rows
from app.core.schemas import parse_id
from app.models import Capability, ChainNode, Enterprise, Industry


@dataclass(frozen=True)
class EnterpriseFilter:
    q: str | None = None
    kinds: Sequence[str] = ()
    tiers: Sequence[str] = ()
    region: str | None = None
    node_id: int | None = None
    industry_ids: Sequence[int] | None = None



def _contains(session: Session, col: QueryableAttribute[str], pattern: str) -> ColumnElement[bool]:
    # SQLite's LIKE already ignores ASCII case, as its lower() does; ilike's lower(col) LIKE lower(?) only costs a
    # function call per row there. PostgreSQL keeps ILIKE, which its trigram indexes serve.
    if session.get_bind().dialect.name == "sqlite":
        return col.like(pattern, escape="\\")
    return col.ilike(pattern, escape="\\")


# Built once, with an expanding IN list: every match answer and search page runs it. On the table's columns and
# run on the session's connection: plain rows need none of the ORM's statement handling, which cost more Python
# time than the query itself.
_FIRMS = Enterprise.__table__.c
_SUMMARIES = select(_FIRMS.id, _FIRMS.code, _FIRMS.name, _FIRMS.kind, _FIRMS.tier, _FIRMS.province, _FIRMS.city,
                    _FIRMS.district).where(_FIRMS.id.in_(bindparam("ids", expanding=True)))


class EnterpriseRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _text_matches(self, q: str) -> CompoundSelect[int]:
        """Ids of firms whose name, full name or a product contains ``q`` (any case).

        Products are matched through chain nodes: there are far fewer node names than capability rows (every
        firm lists ~10 products, mostly the same few thousand), and a linked capability's product is its node's
        name (both writers, the chainkg import and profile edits, link by exact name). The product is checked
        again on the few rows found, and unlinked capabilities (node_id NULL, found by the node_id index), which
        no node covers, are matched row by row.
        """
        pattern = like_pattern(q)

        def contains(col: QueryableAttribute[str]) -> ColumnElement[bool]:
            return _contains(self.session, col, pattern)

        nodes = select(ChainNode.id).where(contains(ChainNode.name))
        return union(
            select(Enterprise.id).where(contains(Enterprise.name)),
            select(Enterprise.id).where(contains(Enterprise.full_name)),
            select(Capability.enterprise_id).where(Capability.node_id.in_(nodes), contains(Capability.product)),
            select(Capability.enterprise_id).where(Capability.node_id.is_(None), contains(Capability.product)),
        )

    def _filtered(self, f: EnterpriseFilter) -> Select[Enterprise]:
        stmt = select(Enterprise)
        if f.q:
            stmt = stmt.where(Enterprise.id.in_(self._text_matches(f.q)))
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

    def search(self, f: EnterpriseFilter, *, limit: int, offset: int) -> tuple[list[int], int]:
        """The ids of the page (by id) and the total of the firms the filter admits."""
        stmt = self._filtered(f)
        # One pass over the matches gives both the page's ids and the total (a window count), instead of a
        # count query and a page query that each evaluate the text match over every firm.
        page = self.session.execute(stmt.with_only_columns(Enterprise.id, func.count().over())
                                    .order_by(Enterprise.id).limit(limit).offset(offset)).all()
        if page:
            total = page[0][1]
        elif offset == 0:
            total = 0
        else:  # past the end: the window saw no row, so count apart
            total = count_rows(self.session, stmt)
        return [id_ for id_, _ in page], total

    def get(self, key: str) -> Enterprise | None:
        found = self.session.scalar(select(Enterprise).where(Enterprise.code == key))
        if found is None and (id_ := parse_id(key)) is not None:
            found = self.session.get(Enterprise, id_)
        return found

    def by_ids(self, ids: Sequence[int]) -> dict[int, Enterprise]:
        if not ids:
            return {}
        return {e.id: e for e in self.session.scalars(select(Enterprise).where(Enterprise.id.in_(list(set(ids)))))}

    def summaries(self, ids: Sequence[int]) -> dict[int, dict[str, object]]:
        """Firms as EnterpriseSummary dicts, from one query of plain columns (no ORM rows to build)."""
        if not ids:
            return {}
        rows = self.session.connection().execute(_SUMMARIES, {"ids": list(ids)}).all()
        return {r.id: {"id": r.id, "code": r.code, "name": r.name, "kind": r.kind, "tier": r.tier,
                       "region": "/".join(p for p in (r.province, r.city, r.district) if p)} for r in rows}

    def capabilities(self, enterprise_id: int) -> list[tuple[Capability, ChainNode | None]]:
        stmt = (select(Capability, ChainNode).outerjoin(ChainNode, ChainNode.id == Capability.node_id)
                .where(Capability.enterprise_id == enterprise_id)
                .order_by(Capability.revenue_share.desc(), Capability.product))
        return [(c, n) for c, n in self.session.execute(stmt)]

    def ids_for_keys(self, keys: Sequence[str]) -> tuple[set[int], list[str]]:
        rows = self.session.execute(select(Enterprise.id, Enterprise.code).where(Enterprise.code.in_(keys))).all()
        found = {code: id_ for id_, code in rows}
        ids: set[int] = set(found.values())
        numeric = [i for k in keys if k not in found and (i := parse_id(k)) is not None]
        if numeric:
            ids |= set(self.session.scalars(select(Enterprise.id).where(Enterprise.id.in_(numeric))))
        known = set(found) | {str(i) for i in ids}
        return ids, [k for k in keys if k not in known]

    def products(self, enterprise_id: int) -> list[str]:
        return sorted(self.session.scalars(select(Capability.product).where(Capability.enterprise_id == enterprise_id)))

    def clear_capabilities(self, enterprise_id: int) -> None:
        self.session.execute(delete(Capability).where(Capability.enterprise_id == enterprise_id))

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

    def supply_rows(self) -> tuple[list[tuple[int, str, str, str]], list[tuple[int, str, float | None, str]]]:
        """Every firm as (id, region, tier, kind), and every capability linked to a chain node as (firm id, node
        name, revenue share, source): what the chain analytics build their supply table from. Core tuples, not
        ORM rows: at scale these are a million capabilities."""
        conn = self.session.connection()
        firms = [(i, "/".join(p for p in (a, b, c) if p), t, k) for i, a, b, c, t, k in conn.execute(
            select(Enterprise.id, Enterprise.province, Enterprise.city, Enterprise.district, Enterprise.tier,
                   Enterprise.kind))]
        links = [(f, n, s, src) for f, n, s, src in conn.execute(
            select(Capability.enterprise_id, ChainNode.name, Capability.revenue_share, Capability.source)
            .join(ChainNode, ChainNode.id == Capability.node_id))]
        return firms, links

    def supply_stamp(self) -> tuple[object, ...]:
        """Changes when a firm or a capability is added, changed or removed (every capability change stamps its
        firm's updated_at, and a replaced capability gets a new id)."""
        stmt = select(func.count(Enterprise.id), func.max(Enterprise.updated_at),
                      select(func.max(Capability.id)).scalar_subquery())
        return tuple(self.session.execute(stmt).one())
