"""The data the chain analytics compute on: the chain graph and the firm × node supply table, loaded through the
chains and enterprises repositories and kept per worker.

Loading them means reading every firm and every capability linked to a node (a million rows at 100,000 firms),
so each worker keeps one copy, stamped with what it was read from (counts and latest changes of firms,
capabilities, nodes and edges). A request compares the stamp (one cheap query) and reloads when the data moved
and the copy is older than ``analytics_max_age_seconds``; until then it serves the copy and says how old it is
(``as_of`` in every answer), so a figure is never shown without its date.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from app.chains.repository import ChainRepository
from app.enterprises.repository import EnterpriseRepository
from app.match_index.snapshot import load_graph_parts
from app.models._types import utcnow
from graph import ChainGraph, SupplyTable, supply_table


@dataclass(frozen=True)
class Snapshot:
    graph: ChainGraph
    table: SupplyTable
    stamp: tuple[object, ...]
    as_of: datetime
    load_seconds: float


def stamp(session: Session) -> tuple[object, ...]:
    return ChainRepository(session).graph_stamp() + EnterpriseRepository(session).supply_stamp()


def load(session: Session) -> Snapshot:
    started = time.perf_counter()
    mark = stamp(session)  # read first: a change made while loading makes the next request reload
    as_of = utcnow()
    nodes, edges = load_graph_parts(session)
    graph = ChainGraph.build(nodes, edges)
    firms, links = EnterpriseRepository(session).supply_rows()
    # A capability can only point at a stored node, so "skip" never drops one; it guards a race with an import.
    table = supply_table(graph, firms, links, on_unknown_node="skip")
    return Snapshot(graph, table, mark, as_of, time.perf_counter() - started)


class SnapshotCache:
    """One worker's copy, reloaded when stale (see module doc); requests that arrive during a load wait for it."""

    def __init__(self, max_age_seconds: float) -> None:
        self.max_age = max_age_seconds
        self._lock = threading.Lock()
        self._current: Snapshot | None = None
        self._loaded_at = 0.0
        self.loads = 0

    def get(self, session: Session) -> Snapshot:
        with self._lock:
            cur = self._current
            if cur is not None and time.monotonic() - self._loaded_at < self.max_age:
                return cur
            if cur is not None and stamp(session) == cur.stamp:
                self._loaded_at = time.monotonic()
                return cur
            self._current = load(session)
            self._loaded_at = time.monotonic()
            self.loads += 1
            return self._current


_made = threading.Lock()


def get_cache(request: Request) -> SnapshotCache:
    state = request.app.state
    cache = getattr(state, "analytics", None)
    if cache is None:
        with _made:
            cache = getattr(state, "analytics", None)
            if cache is None:
                cache = state.analytics = SnapshotCache(state.settings.analytics_max_age_seconds)
    return cache  # type: ignore[no-any-return]


CacheDep = Annotated[SnapshotCache, Depends(get_cache)]
