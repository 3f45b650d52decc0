"""Targeted publication (定向发布): match one published need and put it in the feeds of the best-fitting SMEs.

Idempotent per (need, enterprise): running it again, after a crash or for a new version, adds only firms that
were not reached yet, so a resumed publication job never delivers twice.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.core.vocabulary import DEFAULT_MIN_MATCH
from app.match_index.holder import IndexHolder
from app.matches.service import rank_query
from app.models import TIERS, Catalogue, Need, Opportunity
from app.models._types import utcnow
from app.needs.impressions import log_impressions
from app.needs.reading import need_text, refresh
from app.needs.repository import NeedRepository
from app.notifications.outbox import emit
from matching import MatchQuery

TIER_ORDER = TIERS  # models list tiers from lowest to highest
# Needs go to those who could answer them: SMEs, universities and institutes, never other chain leaders.
RECEIVING_KINDS = ("sme", "university", "institute")


def tiers_at_least(required: str | None) -> tuple[str, ...]:
    if not required or required == "none":
        return ()
    return TIER_ORDER[TIER_ORDER.index(required):]


def need_query(session: Session, need: Need, *, limit: int, kinds: tuple[str, ...] = RECEIVING_KINDS,
               exclude: frozenset[int] = frozenset()) -> MatchQuery:
    nodes = tuple(NeedRepository(session).node_names(need.id))
    return MatchQuery(text=need_text(need), nodes=nodes, scope=need.scope, drop=tuple(need.removed_nodes or ()),
                      exclude=exclude | {need.poster_org_id}, kinds=kinds, tiers=tiers_at_least(need.required_tier),
                      limit=limit)


def min_match(session: Session, need: Need) -> int:
    """The need's own minimum 匹配度, else its catalogue's, else the default."""
    if need.min_match is not None:
        return need.min_match
    if need.catalogue_id is not None:
        catalogue = session.get(Catalogue, need.catalogue_id)
        if catalogue is not None and catalogue.min_match is not None:
            return catalogue.min_match
    return DEFAULT_MIN_MATCH


def deliver(session: Session, holder: IndexHolder, need: Need, *, top_n: int) -> int:
    """Deliver ``need`` to its top ``top_n`` fitting firms with at least its minimum 匹配度; returns how many firms
    were newly reached."""
    query = need_query(session, need, limit=top_n)
    if need.understanding is None:  # imported or posted while the index was being built: read it now
        refresh(holder, need, sorted(query.nodes))
    results, _ = rank_query(holder=holder, query=query)
    floor = min_match(session, need)
    results = [r for r in results if r.match >= floor]
    log_impressions(session, need.id, results, source="delivered")
    reached = NeedRepository(session).delivered_to(need.id)
    now = utcnow()
    added = 0
    for r in results:
        if r.enterprise_id in reached:
            continue
        session.add(Opportunity(need_id=need.id, enterprise_id=r.enterprise_id, score=r.score, match=r.match,
                                explanation=r.explanation, need_version=need.version, delivered_at=now))
        emit(session, event="opportunity.new", org_id=r.enterprise_id,
             payload={"need_id": need.id, "title": need.title, "kind": need.kind, "score": round(r.score, 4),
                      "match": r.match})
        added += 1
    session.flush()
    return added
