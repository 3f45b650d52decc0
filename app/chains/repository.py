"""Queries over chain nodes, typed edges and chains."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, aliased

from app.core.db import like_pattern
from app.core.pagination import count_rows
from app.core.schemas import parse_id
from app.models import Capability, Chain, ChainMember, ChainNode, NodeEdge


class ChainRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def search_nodes(self, q: str | None, *, limit: int, offset: int) -> tuple[list[ChainNode], int]:
        stmt = select(ChainNode)
        if q:
            stmt = stmt.where(ChainNode.name.ilike(like_pattern(q), escape="\\"))
        total = count_rows(self.session, stmt)
        # Exact and short names first: a search for 锂电池 should show 锂电池 before 锂电池隔膜.
        ordered = stmt.order_by((ChainNode.name != (q or "")), func.length(ChainNode.name), ChainNode.name)
        return list(self.session.scalars(ordered.limit(limit).offset(offset))), total

    def neighbours(self, node_id: int, *, as_source: bool, type_: str, limit: int = 500) -> list[ChainNode]:
        other = aliased(ChainNode)
        mine, theirs = (NodeEdge.src_id, NodeEdge.dst_id) if as_source else (NodeEdge.dst_id, NodeEdge.src_id)
        stmt = (select(other).join(NodeEdge, theirs == other.id).where(mine == node_id, NodeEdge.type == type_)
                .order_by(other.name).limit(limit))
        return list(self.session.scalars(stmt))

    def maker_counts(self, node_ids: Sequence[int]) -> dict[int, int]:
        if not node_ids:
            return {}
        stmt = (select(Capability.node_id, func.count(func.distinct(Capability.enterprise_id)))
                .where(Capability.node_id.in_(list(node_ids))).group_by(Capability.node_id))
        return {n: c for n, c in self.session.execute(stmt) if n is not None}

    def chains_of(self, node_id: int) -> list[str]:
        stmt = select(Chain.name).join(ChainMember, ChainMember.chain_id == Chain.id).where(
            ChainMember.node_id == node_id).order_by(Chain.name)
        return list(self.session.scalars(stmt))

    def node_by_key(self, key: str) -> ChainNode | None:
        """A node by its name, or else by its id written as a number."""
        node = self.session.scalar(select(ChainNode).where(ChainNode.name == key))
        if node is None and (id_ := parse_id(key)) is not None:
            node = self.session.get(ChainNode, id_)
        return node

    def add_members(self, chain_id: int, node_ids: Sequence[int]) -> None:
        self.session.execute(insert(ChainMember), [{"chain_id": chain_id, "node_id": i} for i in node_ids])

    def existing_codes(self, codes: Sequence[str]) -> list[str]:
        return list(self.session.scalars(select(Chain.code).where(Chain.code.in_(codes)))) if codes else []

    def get_chain(self, key: str) -> Chain | None:
        found = self.session.scalar(select(Chain).where(Chain.code == key))
        if found is None and (id_ := parse_id(key)) is not None:
            found = self.session.get(Chain, id_)
        return found

    def list_chains(self) -> list[Chain]:
        return list(self.session.scalars(select(Chain).order_by(Chain.id)))

    def member_ids(self, chain_id: int) -> list[int]:
        return list(self.session.scalars(select(ChainMember.node_id).where(ChainMember.chain_id == chain_id)))

    def member_count(self, chain_id: int) -> int:
        return self.session.scalar(select(func.count()).where(ChainMember.chain_id == chain_id)) or 0

    def nodes(self, ids: Sequence[int]) -> list[ChainNode]:
        return list(self.session.scalars(select(ChainNode).where(ChainNode.id.in_(list(ids))).order_by(ChainNode.id)))

    def edges_among(self, ids: Sequence[int]) -> list[NodeEdge]:
        idset = list(ids)
        stmt = select(NodeEdge).where(NodeEdge.src_id.in_(idset), NodeEdge.dst_id.in_(idset)).order_by(NodeEdge.id)
        return list(self.session.scalars(stmt))

    def all_edges(self) -> list[tuple[str, str, str]]:
        src, dst = aliased(ChainNode), aliased(ChainNode)
        stmt = (select(src.name, dst.name, NodeEdge.type).join(src, src.id == NodeEdge.src_id)
                .join(dst, dst.id == NodeEdge.dst_id))
        # ~100,000 edges at scale, read at every worker's start: Core tuples, not ORM rows.
        return [(a, b, t) for a, b, t in self.session.connection().execute(stmt)]

    def nodes_by_key(self, keys: Sequence[str | int]) -> tuple[list[ChainNode], list[str]]:
        """The nodes named (or numbered) by ``keys``, in order and without repeats, and the keys naming nothing."""
        names = [k.strip() for k in keys if isinstance(k, str)]
        ids = [i for i in (parse_id(k) for k in keys) if i is not None]
        # a query only for a kind of key given (a match names its nodes: the lookup by id would find nothing)
        by_name = {n.name: n for n in self.session.scalars(select(ChainNode).where(ChainNode.name.in_(names)))} \
            if names else {}
        by_id = {n.id: n for n in self.session.scalars(select(ChainNode).where(ChainNode.id.in_(ids)))} if ids else {}
        found: dict[int, ChainNode] = {}
        unknown: list[str] = []
        for key in keys:
            node = by_name.get(key.strip()) if isinstance(key, str) else None
            if node is None and (id_ := parse_id(key)) is not None:
                node = by_id.get(id_)
            if node is None:
                unknown.append(key.strip() if isinstance(key, str) else str(key))
            else:
                found.setdefault(node.id, node)
        return list(found.values()), unknown

    def node_ids_by_name(self, names: Sequence[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        names = list(names)
        for i in range(0, len(names), 900):
            stmt = select(ChainNode.name, ChainNode.id).where(ChainNode.name.in_(names[i:i + 900]))
            out.update(dict(self.session.execute(stmt).all()))
        return out

    def member_names(self, chain_id: int) -> list[str]:
        stmt = (select(ChainNode.name).join(ChainMember, ChainMember.node_id == ChainNode.id)
                .where(ChainMember.chain_id == chain_id).order_by(ChainNode.name))
        return list(self.session.scalars(stmt))

    def graph_stamp(self) -> tuple[object, ...]:
        """Changes when a node or an edge is added or removed."""
        stmt = select(func.count(ChainNode.id), func.max(ChainNode.id),
                      select(func.count(NodeEdge.id)).scalar_subquery(),
                      select(func.max(NodeEdge.id)).scalar_subquery())
        return tuple(self.session.execute(stmt).one())

    def chains_of_nodes(self, node_ids: Sequence[int]) -> dict[int, set[int]]:
        found: dict[int, set[int]] = {}
        stmt = select(ChainMember.node_id, ChainMember.chain_id).where(ChainMember.node_id.in_(list(node_ids)))
        for node_id, chain_id in self.session.execute(stmt):
            found.setdefault(node_id, set()).add(chain_id)
        return found
