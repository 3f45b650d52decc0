"""Queries over needs, their chain nodes, versions and the opportunity rows that tie them to firms."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, Select, bindparam, delete, func, or_, select
from sqlalchemy.orm import Session

from app.chains.repository import ChainRepository
from app.core.db import like_pattern
from app.core.pagination import count_rows
from app.enterprises.repository import EnterpriseRepository
from app.models import (
    AuditEntry,
    Catalogue,
    ChainNode,
    Enterprise,
    Impression,
    Need,
    NeedNode,
    NeedVersion,
    Opportunity,
)


@dataclass(frozen=True)
class NeedFilter:
    visible: ColumnElement[bool]  # what the caller may see (app.access.needs.visible_clause)
    kind: str | None = None
    status: str | None = None
    q: str | None = None
    poster_org_id: int | None = None
    published_only: bool = False


# Audit actions that answer a delivery: the firm's interest, the poster's invitation or selection.
# (An accepted answer to an interest invites; a rejected one leaves the status "rejected", which is never counted.)
_ANSWER_ACTIONS = {"opportunity.interest": "interest", "candidate.invited": "invite", "candidate.selected": "invite",
                   "interest.answer": "invite"}


@dataclass(frozen=True)
class PublishedNeed:
    need_id: int
    kind: str
    catalogue_id: int | None
    chains: frozenset[int]


@dataclass(frozen=True)
class Delivery:
    need_id: int
    enterprise_id: int
    region: str
    tier: str
    delivered_at: datetime | None  # never None here: only delivered rows are read
    seen_at: datetime | None
    sme_status: str
    poster_status: str
    interested_at: datetime | None
    invited_at: datetime | None


# Built once (with an expanding IN list): every list and feed page runs it, and building a statement costs more
# Python time than the database takes to answer it.
_NODE_NAMES = (select(NeedNode.need_id, ChainNode.id, ChainNode.name).join(ChainNode, ChainNode.id == NeedNode.node_id)
               .where(NeedNode.need_id.in_(bindparam("ids", expanding=True))).order_by(ChainNode.name))


class NeedRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, need_id: int) -> Need | None:
        return self.session.get(Need, need_id)

    def search(self, f: NeedFilter, *, limit: int, offset: int) -> tuple[list[Need], int]:
        total = count_rows(self.session, self._filtered(f))
        return list(self.session.scalars(self.page_statement(f, limit=limit, offset=offset))), total

    def page_statement(self, f: NeedFilter, *, limit: int, offset: int) -> Select:  # type: ignore[type-arg]
        """The list's page: newest first (ix_needs_status_id serves the order of a list by status)."""
        return self._filtered(f).order_by(Need.id.desc()).limit(limit).offset(offset)

    def _filtered(self, f: NeedFilter) -> Select:  # type: ignore[type-arg]
        stmt = select(Need).where(f.visible)
        if f.kind:
            stmt = stmt.where(Need.kind == f.kind)
        if f.status:
            stmt = stmt.where(Need.status == f.status)
        if f.published_only:
            stmt = stmt.where(Need.status == "published")
        if f.poster_org_id is not None:
            stmt = stmt.where(Need.poster_org_id == f.poster_org_id)
        if f.q:
            pattern = like_pattern(f.q)
            stmt = stmt.where(or_(Need.title.ilike(pattern, escape="\\"),
                                  Need.description.ilike(pattern, escape="\\")))
        return stmt

    def nodes_of(self, need_ids: Sequence[int]) -> dict[int, list[ChainNode]]:
        found: dict[int, list[ChainNode]] = {i: [] for i in need_ids}
        if not need_ids:
            return found
        stmt = (select(NeedNode.need_id, ChainNode).join(ChainNode, ChainNode.id == NeedNode.node_id)
                .where(NeedNode.need_id.in_(list(need_ids))).order_by(ChainNode.name))
        for need_id, node in self.session.execute(stmt):
            found[need_id].append(node)
        return found

    def node_names_of(self, need_ids: Sequence[int]) -> dict[int, list[tuple[int, str]]]:
        """Each need's chain nodes as (id, name), by name: what a need's presentation shows of them."""
        found: dict[int, list[tuple[int, str]]] = {i: [] for i in need_ids}
        if need_ids:
            for need_id, node_id, name in self.session.execute(_NODE_NAMES, {"ids": list(need_ids)}):
                found[need_id].append((node_id, name))
        return found

    def set_nodes(self, need_id: int, node_ids: Sequence[int]) -> None:
        self.session.execute(delete(NeedNode).where(NeedNode.need_id == need_id))
        self.session.add_all([NeedNode(need_id=need_id, node_id=n) for n in dict.fromkeys(node_ids)])
        self.session.flush()

    def node_names(self, need_id: int) -> list[str]:
        return list(self.session.scalars(select(ChainNode.name).join(NeedNode, NeedNode.node_id == ChainNode.id)
                                         .where(NeedNode.need_id == need_id).order_by(ChainNode.name)))

    def delivered_to(self, need_id: int) -> set[int]:
        """The firms a need has been delivered to (its opportunities belong to the need aggregate)."""
        return set(self.session.scalars(select(Opportunity.enterprise_id).where(Opportunity.need_id == need_id)))

    def impressed(self, need_id: int, source: str, enterprise_ids: Sequence[int]) -> set[int]:
        """Of ``enterprise_ids``, the firms already logged as an impression of the need from ``source``."""
        return set(self.session.scalars(select(Impression.enterprise_id).where(
            Impression.need_id == need_id, Impression.source == source,
            Impression.enterprise_id.in_(list(enterprise_ids)))))

    def published_closing(self, first: date, last: date) -> list[Need]:
        return list(self.session.scalars(select(Need).where(Need.status == "published", Need.deadline.is_not(None),
                                                            Need.deadline >= first, Need.deadline <= last)
                                         .order_by(Need.id)))

    def interested(self, need_ids: Sequence[int]) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for need_id, org_id in self.session.execute(
                select(Opportunity.need_id, Opportunity.enterprise_id)
                .where(Opportunity.need_id.in_(need_ids), Opportunity.sme_status == "interested")
                .order_by(Opportunity.enterprise_id)):
            out.setdefault(need_id, []).append(org_id)
        return out

    def poster_ids(self, need_ids: Sequence[int]) -> set[int]:
        return set(self.session.scalars(select(Need.poster_org_id).where(Need.id.in_(need_ids))))

    def enterprises(self, ids: Sequence[int]) -> dict[int, Enterprise]:
        return EnterpriseRepository(self.session).by_ids(ids)

    def enterprise_summaries(self, ids: Sequence[int]) -> dict[int, dict[str, object]]:
        """Plain columns of these firms (no ORM rows): what a need shows of its poster."""
        return EnterpriseRepository(self.session).summaries(sorted(set(ids)))

    def enterprise_by_key(self, key: str) -> Enterprise | None:
        return EnterpriseRepository(self.session).get(key)

    def has_version(self, need_id: int, version: int) -> bool:
        stmt = select(NeedVersion.id).where(NeedVersion.need_id == need_id, NeedVersion.version == version)
        return self.session.scalar(stmt) is not None

    def versions(self, need_id: int) -> list[NeedVersion]:
        stmt = select(NeedVersion).where(NeedVersion.need_id == need_id).order_by(NeedVersion.version)
        return list(self.session.scalars(stmt))

    def changed_since_many(self, since: dict[int, int]) -> dict[int, list[str]]:
        """changed_since for several needs at once ({need id: version} -> {need id: fields}), in one query."""
        found: dict[int, dict[str, None]] = {need_id: {} for need_id in since}
        if not since:
            return {}
        stmt = (select(NeedVersion.need_id, NeedVersion.version, NeedVersion.changed_fields)
                .where(NeedVersion.need_id.in_(list(since))).order_by(NeedVersion.need_id, NeedVersion.version))
        for need_id, version, changed in self.session.execute(stmt):
            if version > since[need_id]:
                found[need_id].update(dict.fromkeys(changed or []))
        return {need_id: list(fields) for need_id, fields in found.items()}

    def opportunity(self, need_id: int, enterprise_id: int) -> Opportunity | None:
        return self.session.scalar(select(Opportunity).where(Opportunity.need_id == need_id,
                                                             Opportunity.enterprise_id == enterprise_id))

    def opportunities(self, need_id: int, enterprise_ids: Sequence[int]) -> dict[int, Opportunity]:
        if not enterprise_ids:
            return {}
        stmt = select(Opportunity).where(Opportunity.need_id == need_id,
                                         Opportunity.enterprise_id.in_(list(enterprise_ids)))
        return {o.enterprise_id: o for o in self.session.scalars(stmt)}

    def engaged_orgs(self, need_id: int) -> list[int]:
        """Firms that have the need in their feed or said they are interested (not those who dismissed it)."""
        stmt = (select(Opportunity.enterprise_id)
                .where(Opportunity.need_id == need_id, Opportunity.sme_status != "dismissed",
                       or_(Opportunity.delivered_at.is_not(None), Opportunity.sme_status == "interested"))
                .order_by(Opportunity.enterprise_id))
        return list(self.session.scalars(stmt))

    def interests(self, need_id: int, *, limit: int, offset: int) -> tuple[list[tuple[Opportunity, Enterprise]], int]:
        stmt = (select(Opportunity, Enterprise).join(Enterprise, Enterprise.id == Opportunity.enterprise_id)
                .where(Opportunity.need_id == need_id, Opportunity.sme_status == "interested"))
        total = count_rows(self.session, stmt)
        rows = self.session.execute(stmt.order_by(Opportunity.updated_at, Opportunity.id).limit(limit).offset(offset))
        return [(o, e) for o, e in rows], total

    # Quarter results (app/analytics/quarter.py): what was published in a period and what became of it.

    def published_between(self, start: datetime, end: datetime) -> list[PublishedNeed]:
        """Needs first published in [start, end), each with its chains: its catalogue's chain, or the chains
        holding one of its nodes."""
        stmt = (select(Need.id, Need.kind, Need.catalogue_id, Catalogue.chain_id)
                .outerjoin(Catalogue, Catalogue.id == Need.catalogue_id)
                .where(Need.published_at >= start, Need.published_at < end).order_by(Need.id))
        rows = self.session.execute(stmt).all()
        nodes: dict[int, list[int]] = {}
        if rows:
            stmt2 = select(NeedNode.need_id, NeedNode.node_id).where(
                NeedNode.need_id.in_(select(Need.id).where(Need.published_at >= start, Need.published_at < end)))
            for need_id, node_id in self.session.execute(stmt2):
                nodes.setdefault(need_id, []).append(node_id)
        of_node = ChainRepository(self.session).chains_of_nodes(sorted({n for ns in nodes.values() for n in ns}))
        out = []
        for need_id, kind, catalogue_id, chain_id in rows:
            chains = {chain_id} if chain_id is not None else {
                c for n in nodes.get(need_id, ()) for c in of_node.get(n, ())}
            out.append(PublishedNeed(need_id, kind, catalogue_id, frozenset(chains)))
        return out

    def deliveries_of(self, need_ids: Sequence[int]) -> list[Delivery]:
        """The targeted deliveries of these needs, each with the reached firm's place and tier and the first time
        the firm said it was interested and the poster invited (or selected) it, from the audit log."""
        out: list[Delivery] = []
        for i in range(0, len(need_ids), 500):
            part = list(need_ids[i:i + 500])
            stmt = (select(Opportunity.id, Opportunity.need_id, Opportunity.enterprise_id, Enterprise.province,
                           Enterprise.city, Enterprise.district, Enterprise.tier, Opportunity.delivered_at,
                           Opportunity.seen_at, Opportunity.sme_status, Opportunity.poster_status)
                    .join(Enterprise, Enterprise.id == Opportunity.enterprise_id)
                    .where(Opportunity.need_id.in_(part), Opportunity.delivered_at.is_not(None)))
            rows = self.session.execute(stmt).all()
            firsts = self._first_actions([str(r[0]) for r in rows])
            for opp_id, need_id, firm, a, b, c, tier, delivered, seen, sme, poster in rows:
                place = "/".join(p for p in (a, b, c) if p)
                out.append(Delivery(need_id, firm, place, tier, delivered, seen, sme, poster,
                                    firsts.get((str(opp_id), "interest")), firsts.get((str(opp_id), "invite"))))
        return out

    def _first_actions(self, opp_ids: list[str]) -> dict[tuple[str, str], datetime]:
        if not opp_ids:
            return {}
        stmt = (select(AuditEntry.entity_id, AuditEntry.action, func.min(AuditEntry.at))
                .where(AuditEntry.entity == "opportunity", AuditEntry.entity_id.in_(opp_ids),
                       AuditEntry.action.in_(_ANSWER_ACTIONS))
                .group_by(AuditEntry.entity_id, AuditEntry.action))
        found: dict[tuple[str, str], datetime] = {}
        for opp_id, action, at in self.session.execute(stmt):
            key = (opp_id, _ANSWER_ACTIONS[action])
            found[key] = min(found.get(key, at), at)
        return found
