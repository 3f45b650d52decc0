"""Read the database into the plain records the matching engine takes.

Every worker reads the whole snapshot at start-up (100,000 firms: a million capability rows, ~100,000 nodes), so
these reads go through the Core connection, streamed in batches, as plain tuples (no ORM row objects), and JSON is
decoded only where there is something in it.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import BindParameter, Connection, Select, Text, bindparam, cast, select
from sqlalchemy.orm import Session

from app.chains.repository import ChainRepository
from app.models import Capability, ChainNode, Enterprise, Industry, NodeAlias, NodeKind, RankerModel
from graph import NodeSpec
from matching import EnterpriseRecord

_BATCH = 20_000
_CURSORS = itertools.count()  # names of server-side cursors: unique within a transaction


def _stream(session: Session, stmt: Select[*tuple[Any, ...]]) -> Iterator[Any]:
    """Rows of ``stmt`` as tuples; on PostgreSQL fetched in batches from a server-side cursor, so a worker never
    holds the driver's copy of a million rows and the parsed records at once."""
    conn = session.connection()
    if conn.dialect.name == "sqlite":  # rows come from the file as they are stepped; batching only adds work
        return iter(conn.execute(stmt))
    return _raw_stream(conn, stmt)


def _raw_stream(conn: Connection, stmt: Select[*tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """The driver's own named cursor, in the session's transaction (its snapshot): SQLAlchemy's Row objects and
    result processing cost ~4x the driver's CPU on a million capability rows, for columns (ints, strings, floats)
    the driver already returns as the Python values wanted."""
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    with conn.connection.dbapi_connection.cursor(name=f"chainmatch_read_{next(_CURSORS)}") as cur:  # type: ignore[union-attr,call-arg]
        cur.itersize = _BATCH
        cur.execute(str(compiled), compiled.params)
        yield from cur


def _aliases(text: str | None) -> tuple[str, ...]:
    # Nearly every node has none; decoding "[]" a hundred thousand times is most of the node read.
    return tuple(json.loads(text)) if text and text != "[]" else ()


def load_graph_parts(session: Session) -> tuple[list[NodeSpec], list[tuple[str, str, str]]]:
    nodes = [NodeSpec(name, _aliases(aliases)) for name, aliases in
             _stream(session, select(ChainNode.name, cast(ChainNode.aliases, Text)))]
    return nodes, ChainRepository(session).all_edges()


def load_aliases(session: Session) -> list[tuple[str, str]]:
    """The alias list as the engine takes it ((alias, node name), oldest first: an alias's first node is the
    one listed products link to). Workers learn that it changed from the change log (kind "alias")."""
    return [(a, n) for a, n in session.execute(select(NodeAlias.alias, NodeAlias.node_name).order_by(NodeAlias.id))]


def load_kinds(session: Session) -> list[tuple[str, str]]:
    """The kinds list as the engine takes it ((item, category name), oldest first); it changes with the aliases
    (change-log kind "alias")."""
    return [(i, k) for i, k in session.execute(select(NodeKind.item, NodeKind.kind_name).order_by(NodeKind.id))]


def installed_model(session: Session) -> RankerModel | None:
    """The re-ranker in use: the newest installed one."""
    return session.scalar(select(RankerModel).where(RankerModel.installed.is_(True)).order_by(RankerModel.id.desc())
                          .limit(1))


_INDUSTRIES = select(Industry.id, Industry.code, Industry.parent_id)
_INDUSTRIES_SOME = _INDUSTRIES.where(Industry.id.in_(bindparam("ids", expanding=True)))


def industry_paths(session: Session, ids: Collection[int] | None = None) -> dict[int, str]:
    """Each industry's codes from broad to narrow ("110000/110100/110101"), as the engine's industry evidence wants;
    with ``ids``, those industries' only (a few rows up their parents instead of the whole table: refreshing one
    firm after a write read every industry)."""
    if ids is None:
        rows = {id_: (code, parent) for id_, code, parent in _stream(session, _INDUSTRIES)}
    else:
        rows, todo = {}, set(ids)
        while todo:  # one level of parents a query; industries are a few levels deep
            found = session.execute(_INDUSTRIES_SOME, {"ids": sorted(todo)}).all()
            rows.update({id_: (code, parent) for id_, code, parent in found})
            todo = {parent for _, _, parent in found if parent is not None and parent not in rows}
    paths: dict[int, str] = {}
    for id_ in rows if ids is None else [i for i in ids if i in rows]:
        parts: list[str] = []
        cur: int | None = id_
        seen: set[int] = set()
        while cur is not None and cur in rows and cur not in seen:
            seen.add(cur)
            parts.append(rows[cur][0])
            cur = rows[cur][1]
        paths[id_] = "/".join(reversed(parts))
    return paths


# The firms' reads: every row streamed at a build, or the few ids of a refresh, which a write makes in every worker
# (built once: building the statements cost more than running them).
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)
_FIRMS = select(Enterprise.id, Enterprise.code, Enterprise.name, Enterprise.kind, Enterprise.tier, Enterprise.province,
                Enterprise.city, Enterprise.district, Enterprise.description, Enterprise.industry_id
                ).order_by(Enterprise.id)
_CAPS = select(Capability.enterprise_id, Capability.product, Capability.revenue_share
               ).order_by(Capability.enterprise_id, Capability.id)
_FIELDS = select(Enterprise.id, Enterprise.full_name, Enterprise.province, Enterprise.city, Enterprise.district)
_SOME = {stmt: stmt.where(column.in_(_IDS)) for stmt, column in
         ((_FIRMS, Enterprise.id), (_CAPS, Capability.enterprise_id), (_FIELDS, Enterprise.id))}


def _rows(session: Session, stmt: Select[*tuple[Any, ...]], ids: Sequence[int] | None) -> Iterable[Any]:
    """Every row of ``stmt`` (streamed), or those of the firms ``ids``."""
    if ids is None:
        return _stream(session, stmt)
    return session.execute(_SOME[stmt], {"ids": list(ids)}).all()


def load_records(session: Session, ids: Sequence[int] | None = None) -> list[EnterpriseRecord]:
    products: dict[int, list[tuple[str, float]]] = defaultdict(list)
    for eid, product, share in _rows(session, _CAPS, ids):
        products[eid].append((product, float(share) if share is not None else 0.001))
    firms = _rows(session, _FIRMS, ids)  # a list for a refresh: read twice below
    # a refresh of a few firms reads the paths of their industries only
    paths = industry_paths(session, None if ids is None else {row[-1] for row in firms if row[-1] is not None})
    out = []
    for id_, code, name, kind, tier, prov, city, dist, desc, ind in firms:
        region = "/".join(p for p in (prov, city, dist) if p)
        out.append(EnterpriseRecord(id=id_, code=code, name=name, kind=kind, tier=tier, region=region,
                                    description=desc or "", products=tuple(products.get(id_, ())),
                                    industry=paths.get(ind, "") if ind is not None else ""))
    return out


def load_directory_fields(session: Session, ids: Sequence[int] | None = None) -> dict[int, tuple[str, list[str]]]:
    """Full names and region parts as stored, for the directory (the engine's records have neither)."""
    return {id_: (full or "", [p or "" for p in parts]) for id_, full, *parts in _rows(session, _FIELDS, ids)}
