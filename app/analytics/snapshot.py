"""The data the chain analytics compute on: the chain graph and the firm × node supply table, loaded through the
chains and enterprises repositories and kept per worker, with the chain analyses computed on it.

Loading them means reading every firm and every capability linked to a node (a million rows at 100,000 firms,
about 6 s of CPU), so each worker keeps one copy, stamped with what it was read from (counts and latest changes of
firms, capabilities, nodes and edges). Once the copy is older than ``analytics_max_age_seconds``, the next request
compares the stamp (one query); when the data moved, a side thread loads a new copy while requests keep being
answered from the old one, which every answer dates (``as_of``). Only the first load of a worker is waited for.
With a maximum age of 0 (tests) every request checks the stamp and reloads in the request itself.

A copy is immutable, so a chain's analysis for one region and tier is computed once per copy and kept (the most
recent :data:`MEMO_SIZE`), which makes a page viewed again, or the chains overview, a lookup.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from app.chains import service as chains
from app.enterprises import service as enterprises
from app.match_index.snapshot import load_graph_parts
from app.models._types import utcnow
from graph import ChainGraph, SupplyTable, supply_table

log = logging.getLogger(__name__)
MEMO_SIZE = 256


@dataclass
class Snapshot:
    graph: ChainGraph
    table: SupplyTable
    stamp: tuple[object, ...]
    as_of: datetime
    load_seconds: float
    _memo: OrderedDict[Hashable, Any] = field(default_factory=OrderedDict, repr=False)
    _memo_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def memo(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per key for this copy (two simultaneous first calls may both compute; same result)."""
        with self._memo_lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
        value = compute()
        with self._memo_lock:
            self._memo[key] = value
            while len(self._memo) > MEMO_SIZE:
                self._memo.popitem(last=False)
        return value


def stamp(session: Session) -> tuple[object, ...]:
    return chains.graph_stamp(session=session) + enterprises.supply_stamp(session=session)


def load(session: Session) -> Snapshot:
    started = time.perf_counter()
    mark = stamp(session)  # read first: a change made while loading makes the next check reload
    as_of = utcnow()
    nodes, edges = load_graph_parts(session)
    graph = ChainGraph.build(nodes, edges)
    firms, links = enterprises.supply_rows(session=session)
    # A capability can only point at a stored node, so "skip" never drops one; it guards a race with an import.
    table = supply_table(graph, firms, links, on_unknown_node="skip")
    return Snapshot(graph, table, mark, as_of, time.perf_counter() - started)


class SnapshotCache:
    """One worker's copy (see module doc). ``factory`` opens the side thread's own session."""

    def __init__(self, max_age_seconds: float, factory: sessionmaker[Session] | None = None) -> None:
        self.max_age = max_age_seconds
        self._factory = factory
        self._lock = threading.Lock()
        self._current: Snapshot | None = None
        self._checked_at = 0.0
        self._loading: threading.Thread | None = None
        self.loads = 0

    def get(self, session: Session) -> Snapshot:
        with self._lock:
            cur = self._current
            if cur is not None and time.monotonic() - self._checked_at < self.max_age:
                return cur
            if cur is not None and stamp(session) == cur.stamp:
                self._checked_at = time.monotonic()
                return cur
            if cur is None or self.max_age <= 0 or self._factory is None:
                return self._install(load(session))
            self._checked_at = time.monotonic()  # checked again after max_age, by then loaded
            if self._loading is None or not self._loading.is_alive():
                self._loading = threading.Thread(target=self._reload, name="analytics-reload", daemon=True)
                self._loading.start()
            return cur

    def _install(self, snap: Snapshot) -> Snapshot:
        self._current = snap
        self._checked_at = time.monotonic()
        self.loads += 1
        return snap

    def _reload(self) -> None:
        assert self._factory is not None
        try:
            with self._factory() as session:
                snap = load(session)
        except Exception:  # noqa: BLE001 - the old copy keeps serving; the next check tries again
            log.exception("reloading the analytics snapshot failed")
            return
        with self._lock:
            self._install(snap)

    def wait(self, timeout: float | None = None) -> None:
        """Until a side-thread load in progress is done (tests, benchmarks)."""
        thread = self._loading
        if thread is not None:
            thread.join(timeout)


_made = threading.Lock()


def get_cache(request: Request) -> SnapshotCache:
    state = request.app.state
    cache = getattr(state, "analytics", None)
    if cache is None:
        with _made:
            cache = getattr(state, "analytics", None)
            if cache is None:
                cache = state.analytics = SnapshotCache(state.settings.analytics_max_age_seconds, state.sessionmaker)
    return cache  # type: ignore[no-any-return]


CacheDep = Annotated[SnapshotCache, Depends(get_cache)]
