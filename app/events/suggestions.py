"""Who should meet whom, from the matching engine (the same ranking as /api/v1/match).

Each participant is read as a need: what it wants to discuss, then the titles of its firm's published needs (and
catalogue items); a participant that wrote neither asks for the suppliers of its own products (upstream scope on
its catalogue's chain nodes). Its ranking, kept to the event's other participants, says how well each fits it
(匹配度 and the engine's reason); read backwards, the same ranking tells an SME which leaders' needs it fits. The
affinities of an event are cached per index version and registration state.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.core.errors import AppError
from app.events.repository import EventRepository
from app.match_index.holder import IndexHolder
from app.matches.service import rank_query
from app.models import Event, EventParticipant
from matching import MatchQuery

POOL = 400  # firms ranked per participant before keeping the participants: deep enough for a provincial index
_CACHE: OrderedDict[tuple[Any, ...], dict[tuple[int, int], Affinity]] = OrderedDict()
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Affinity:
    """How well ``to`` fits what ``frm`` asked for."""

    match: int
    reason: dict[str, Any]


def _query(session: Session, p: EventParticipant) -> MatchQuery:
    repo = EventRepository(session)
    text = "\n".join([p.topics, *repo.published_titles(p.enterprise_id)]).strip()
    nodes: tuple[str, ...] = ()
    scope = "node"
    if not text:
        nodes = tuple(repo.product_nodes(p.enterprise_id))
        scope = "upstream"
    return MatchQuery(text=text[:5000], nodes=nodes, scope=scope, exclude=frozenset({p.enterprise_id}), limit=POOL)


def refusals(session: Session, event_id: int) -> set[tuple[int, int]]:
    """Pairs (low id, high id) where one side said 不见面."""
    return {(min(a, b), max(a, b)) for a, b in EventRepository(session).refusals(event_id)}


def affinities(session: Session, holder: IndexHolder, people: list[EventParticipant],
               sources: Iterable[EventParticipant] | None = None) -> dict[tuple[int, int], Affinity]:
    """(from participant, to participant) → Affinity for every participant ranked by a source's query."""
    by_firm = {p.enterprise_id: p for p in people}
    out: dict[tuple[int, int], Affinity] = {}
    for src in (people if sources is None else sources):
        try:
            results, _ = rank_query(holder=holder, query=_query(session, src))
        except AppError as exc:
            if exc.status >= 500:
                raise
            continue  # nothing the engine can read for this participant: it gets no suggestions from itself
        for r in results:
            other = by_firm.get(r.enterprise_id)
            if other is not None and other.id != src.id:
                out[(src.id, other.id)] = Affinity(r.match, r.explanation)
    return out


def event_affinities(session: Session, holder: IndexHolder, event: Event) -> dict[tuple[int, int], Affinity]:
    repo = EventRepository(session)
    people = repo.participants(event.id)
    stamp = repo.registration_stamp(event.id)
    version = holder.index.version_ if holder.index is not None else -1
    key = (event.id, version, len(people), stamp)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    found = affinities(session, holder, people)
    with _LOCK:
        _CACHE[key] = found
        while len(_CACHE) > 8:
            _CACHE.popitem(last=False)
    return found


def pair_matches(found: dict[tuple[int, int], Affinity]) -> dict[tuple[int, int], int]:
    """(low id, high id) → the better of the two directions' 匹配度."""
    best: dict[tuple[int, int], int] = {}
    for (a, b), aff in found.items():
        key = (min(a, b), max(a, b))
        best[key] = max(best.get(key, 0), aff.match)
    return best
