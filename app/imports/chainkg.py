"""Import a chainkg folder into the database: idempotent, all-or-nothing, bulk.

The folder is read and validated completely (``graph.chainkg.read_chainkg``) before the first write,
and every write happens in the caller's one transaction, so a failure leaves the database as it was.
A second run of the same folder finds nothing to insert or change and reports zeros.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, insert, select, text, update
from sqlalchemy.orm import Session

from app.core.bulk import insert_rows
from app.core.changes import log_changes
from app.models import Capability, ChainNode, Enterprise, Industry, IndustryUpstream, NodeEdge
from graph import edges_from_relations
from graph.chainkg import ChainKG, Problem

Progress = Callable[[str, int, int], None]  # (step, done, total)
_BATCH = 20_000


@dataclass
class ImportSummary:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())


def _table(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


def _insert(session: Session, model: Any, rows: Sequence[dict[str, Any]], step: str, progress: Progress) -> None:
    insert_rows(session, _table(model), rows, step, progress)  # COPY on PostgreSQL


def _update(session: Session, model: Any, rows: Sequence[dict[str, Any]]) -> None:
    # Bulk UPDATE by primary key: the ORM groups these into executemany.
    for i in range(0, len(rows), _BATCH):
        session.execute(update(model), list(rows[i : i + _BATCH]))


def _noop(step: str, done: int, total: int) -> None:
    return None


def import_chainkg(session: Session, kg: ChainKG, *, progress: Progress = _noop) -> ImportSummary:
    summary = ImportSummary(problems=list(kg.problems))
    industry_ids = _import_industries(session, kg, summary, progress)
    node_ids = _import_nodes(session, kg.product_names(), summary, progress)
    _import_edges(session, kg, node_ids, summary, progress)
    enterprise_ids, touched = _import_enterprises(session, kg, industry_ids, summary, progress)
    touched |= _import_capabilities(session, kg, enterprise_ids, node_ids, summary, progress)
    session.flush()
    # Core inserts bypass the ORM's change listener: number the changes here, in the import's transaction.
    log_changes(session, "enterprise", sorted(touched))
    if summary.created["nodes"] or summary.created["edges"]:
        log_changes(session, "graph", [None])
    return summary


# What a bulk import fills: the tables whose row counts it can change by orders of magnitude.
_LOADED = (Industry, IndustryUpstream, ChainNode, NodeEdge, Enterprise, Capability)


def analyze_imported(session: Session) -> None:
    """On PostgreSQL, refresh the planner's statistics of the tables an import filled (after its commit).

    Without them the planner guesses from the sizes it last saw (none, or a few thousand rows) until autovacuum
    gets round to the tables (never, where it is off): on the 100,000-firm load data a need's node names (20 rows)
    were joined by hashing all 95,560 chain nodes, 60-70 ms of the database's CPU for every SME feed and needs
    list page, and a profile's capabilities the same way (bench/route_cost.py --pg-url).
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    for model in _LOADED:
        session.execute(text(f"ANALYZE {_table(model).name}"))
    session.commit()


def _levels(kg: ChainKG) -> dict[str, int]:
    parents = {i.code: i.parent_code for i in kg.industries}
    levels: dict[str, int] = {}
    for code in parents:
        depth, cur, seen = 1, parents[code], {code}
        while cur is not None and cur not in seen:
            seen.add(cur)
            depth, cur = depth + 1, parents.get(cur)
        levels[code] = depth
    return levels


def _import_industries(session: Session, kg: ChainKG, summary: ImportSummary, progress: Progress) -> dict[str, int]:
    existing = {code: (id_, name, parent) for id_, code, name, parent in session.execute(
        select(Industry.id, Industry.code, Industry.name, Industry.parent_id))}
    ids = {code: v[0] for code, v in existing.items()}
    levels = _levels(kg)
    created = updated = 0
    # Parents before children, so each child's parent id is known when it is written.
    for ind in sorted(kg.industries, key=lambda i: levels[i.code]):
        parent_id = ids.get(ind.parent_code) if ind.parent_code else None
        if ind.code not in existing:
            res = session.execute(insert(_table(Industry)).values(
                code=ind.code, name=ind.name, parent_id=parent_id, level=levels[ind.code]))
            ids[ind.code] = res.inserted_primary_key[0]  # type: ignore[attr-defined]
            created += 1
        elif existing[ind.code][1:] != (ind.name, parent_id):
            session.execute(update(Industry).where(Industry.id == ids[ind.code]).values(
                name=ind.name, parent_id=parent_id, level=levels[ind.code]))
            updated += 1
    progress("industries", len(kg.industries), len(kg.industries))
    have = set(session.execute(select(IndustryUpstream.industry_id, IndustryUpstream.upstream_id)))
    new_links = {(ids[d], ids[u]) for d, u in kg.industry_upstream} - have
    _insert(session, IndustryUpstream, [{"industry_id": d, "upstream_id": u} for d, u in sorted(new_links)],
            "industry links", progress)
    summary.created["industries"], summary.updated["industries"] = created, updated
    summary.created["industry_links"] = len(new_links)
    return ids


def _import_nodes(session: Session, names: Iterable[str], summary: ImportSummary,
                  progress: Progress) -> dict[str, int]:
    ids = dict(session.execute(select(ChainNode.name, ChainNode.id)).all())
    new = [{"name": n, "aliases": [], "kind": "product"} for n in names if n not in ids]
    _insert(session, ChainNode, new, "nodes", progress)
    if new:
        ids = dict(session.execute(select(ChainNode.name, ChainNode.id)).all())
    summary.created["nodes"] = len(new)
    return ids


def _import_edges(session: Session, kg: ChainKG, node_ids: dict[str, int], summary: ImportSummary,
                  progress: Progress) -> None:
    have: set[tuple[int, int, str]] = {
        (s, d, t) for s, d, t in session.execute(select(NodeEdge.src_id, NodeEdge.dst_id, NodeEdge.type))}
    new = []
    for src, dst, typ in edges_from_relations(kg.relations):
        key = (node_ids[src], node_ids[dst], typ)
        if key not in have:
            have.add(key)
            new.append({"src_id": key[0], "dst_id": key[1], "type": typ})
    _insert(session, NodeEdge, new, "edges", progress)
    summary.created["edges"] = len(new)


def _import_enterprises(session: Session, kg: ChainKG, industry_ids: dict[str, int], summary: ImportSummary,
                        progress: Progress) -> tuple[dict[str, int], set[int]]:
    cols = (Enterprise.name, Enterprise.full_name, Enterprise.exchange, Enterprise.listed_on,
            Enterprise.industry_id)
    existing = {row[1]: (row[0], tuple(row[2:])) for row in session.execute(
        select(Enterprise.id, Enterprise.code, *cols))}
    industry_of = {c: industry_ids[i] for c, i in kg.company_industries}
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for c in kg.companies:
        values = (c.short_name, c.full_name, c.exchange, c.listed_on, industry_of.get(c.code))
        if c.code not in existing:
            new.append({"code": c.code, "name": values[0], "full_name": values[1], "exchange": values[2],
                        "listed_on": values[3], "industry_id": values[4], "kind": "sme", "tier": "none",
                        "province": "", "city": "", "district": "", "description": "", "certifications": []})
        elif existing[c.code][1] != values:
            changed.append({"id": existing[c.code][0], "name": values[0], "full_name": values[1],
                            "exchange": values[2], "listed_on": values[3], "industry_id": values[4]})
    _insert(session, Enterprise, new, "enterprises", progress)
    _update(session, Enterprise, changed)
    summary.created["enterprises"], summary.updated["enterprises"] = len(new), len(changed)
    ids = dict(session.execute(select(Enterprise.code, Enterprise.id)).all())
    return ids, {ids[row["code"]] for row in new} | {row["id"] for row in changed}


def _import_capabilities(session: Session, kg: ChainKG, enterprise_ids: dict[str, int], node_ids: dict[str, int],
                         summary: ImportSummary, progress: Progress) -> set[int]:
    """Returns the firms whose capabilities were added or changed."""
    existing = {(e, p): (i, s, n) for i, e, p, s, n in session.execute(
        select(Capability.id, Capability.enterprise_id, Capability.product, Capability.revenue_share,
               Capability.node_id))}
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    touched: set[int] = set()
    for cp in kg.company_products:
        eid, nid = enterprise_ids[cp.company_code], node_ids[cp.product]
        share = round(cp.revenue_share, 6)
        old = existing.get((eid, cp.product))
        if old is None:
            touched.add(eid)
            new.append({"enterprise_id": eid, "product": cp.product, "node_id": nid, "revenue_share": share,
                        "source": "imported"})
        elif old[1] is None or abs(old[1] - share) > 1e-9 or old[2] != nid:
            changed.append({"id": old[0], "revenue_share": share, "node_id": nid})
            touched.add(eid)
    _insert(session, Capability, new, "capabilities", progress)
    _update(session, Capability, changed)
    summary.created["capabilities"], summary.updated["capabilities"] = len(new), len(changed)
    return touched
