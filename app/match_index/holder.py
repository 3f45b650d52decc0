"""The process's match index: opened from the newest snapshot (mapped, shared with the machine's other workers)
or fitted on the database, then kept fresh from the change log.

Two paths keep it fresh. In the process that made a change, the commit hook (match_index/freshness.py)
refreshes the changed firms (or the alias list) at once. Every process also follows the change log
(match_index/feed.py), woken by a notification, so changes made by another worker, node or the CLI reach it within
a second; an alias change re-reads only the firms whose texts hold the changed words. A newer snapshot (after a
graph change, or the periodic rebuild) replaces the index once it has caught up.

The enterprise directory (in-memory search, directory.py) and the installed re-ranker ride along: the directory is
built from the index's records once it has caught up and follows the same refreshes; the re-ranker is looked up at
every sync.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from app.match_index import snapshots
from app.match_index.directory import Directory
from app.match_index.feed import ChangeFeed
from app.match_index.listings import directory_columns, listing
from app.match_index.snapshot import installed_model, load_aliases, load_directory_fields, load_kinds, load_records
from app.match_index.snapshots import Origin
from graph import ChainGraph
from matching import MatchIndex
from matching.learner import Reranker
from matching.prior import default_prior

log = logging.getLogger(__name__)


class IndexHolder:
    def __init__(self, factory: sessionmaker[Session], *, snapshot_dir: str | Path | None = None) -> None:
        self._factory = factory
        self.snapshot_dir = Path(snapshot_dir) if snapshot_dir else None
        self._lock = threading.Lock()
        self._sync_lock = threading.Lock()  # one reader of the change log at a time
        self.graph: ChainGraph | None = None
        self.index: MatchIndex | None = None
        self.directory: Directory | None = None  # enterprise search, kept fresh with the index
        self.origin: Origin | None = None
        self._feed: ChangeFeed | None = None
        self.graph_changed = False  # the chain graph changed since this index was built: a new snapshot is due
        self._model_id: int | None = None
        self.reranker: Reranker | None = None  # the installed learned re-ranker (app/learning), if any
        self.reranker_info: dict[str, object] | None = None
        self.built_at: float | None = None
        self.build_seconds: float | None = None

    def build(self) -> None:
        with snapshots.collector_paused():  # see there: millions of objects that live on, no cycles
            self._build()

    def _build(self) -> None:
        started = time.perf_counter()
        if self.snapshot_dir is not None:
            index, origin = snapshots.open_newest(self._factory, self.snapshot_dir)
        else:
            index, origin = snapshots.read_database(self._factory)
        self._install(index, origin)
        self.catch_up()  # an old snapshot: the log since it, a batch at a time, before serving
        self._build_directory(index)
        self.built_at, self.build_seconds = time.time(), time.perf_counter() - started

    def rebind(self, factory: sessionmaker[Session]) -> None:
        """Read through ``factory`` from now on: a forked worker's own engine, not the supervisor's."""
        self._factory = factory

    def catch_up(self) -> None:
        """The change log since the index's position, then the re-ranker: after a build, and in a worker forked
        from a holder the pre-fork supervisor built a while ago."""
        started = time.perf_counter()
        while self.sync_once():
            pass
        self.refresh_model()
        log.info("caught up with the change log in %.2f s", time.perf_counter() - started)

    def _install(self, index: MatchIndex, origin: Origin) -> None:
        with self._lock:
            self.index, self.graph, self.origin = index, index.graph_, origin
            self._feed = ChangeFeed(origin)
            self.graph_changed = False

    def _build_directory(self, index: MatchIndex) -> None:
        """The directory from the index's records (caught up) and the fields the engine does not keep. A firm
        changed meanwhile is in the log after the feed's position: the next sync re-reads it into both."""
        with self._factory() as session:
            fields = load_directory_fields(session)
        with self._lock:
            columns = directory_columns(index, fields)
        directory = Directory(columns)
        with self._lock:
            self.directory = directory

    def refresh(self, ids: Sequence[int]) -> None:
        """Re-read the named enterprises and replace (or drop) them in the index and the directory."""
        if self.index is not None and ids:
            self._apply(self.index, ids)

    def _apply(self, index: MatchIndex, ids: Sequence[int]) -> None:
        with self._factory() as session:
            records = {r.id: r for r in load_records(session, ids)}
            fields = load_directory_fields(session, ids)
        with self._lock:
            directory = self.directory
            for id_ in ids:
                if id_ in records:
                    index.upsert(records[id_])
                    if directory is not None and id_ in fields:
                        directory.upsert(listing(records[id_], fields[id_]))
                else:
                    index.remove(id_)
                    if directory is not None:
                        directory.remove(id_)

    def refresh_aliases(self, index: MatchIndex | None = None) -> int:
        """Take up the alias and kinds lists as they are now; returns how many firms were re-read (none when no
        alias changed: a kind changes what a need seeks, not what any firm's texts say)."""
        index = index or self.index
        if index is None:
            return 0
        with self._factory() as session:
            aliases, kinds = load_aliases(session), load_kinds(session)
        with self._lock:
            index.set_kinds(kinds)
            return index.set_aliases(aliases)

    def refresh_model(self) -> None:
        """Take up the installed re-ranker if another one was installed (or none is any more)."""
        with self._factory() as session:
            row = installed_model(session)
        if (row.id if row else None) == self._model_id:
            return
        self.reranker = Reranker.from_params(row.params) if row else None
        self.reranker_info = {"id": row.id, "kind": row.kind, "evaluation": row.evaluation} if row else None
        self._model_id = row.id if row else None

    def sync_once(self) -> int:
        """Apply the change log since the last look (changes by any process); returns how many firms were
        refreshed. Switches to a newer snapshot first when one has appeared."""
        if self.index is None:
            return 0
        with self._sync_lock:
            self._maybe_switch()
            feed = self._feed
            assert feed is not None
            with self._factory() as session:
                changes = feed.read(session)
            if changes.graph:
                self.graph_changed = True
            if changes.aliases:
                self.refresh_aliases()
            self.refresh(changes.firms)
            if self.directory is not None:  # not while catching up in build(), which looks once at the end
                self.refresh_model()
            return len(changes.firms)

    def _maybe_switch(self) -> None:
        if self.snapshot_dir is None or self.origin is None:
            return
        found = snapshots.newest(self.snapshot_dir)
        if found is None or found[0] <= self.origin.version:
            return
        try:
            index, origin = snapshots.open_path(found[1])
        except Exception:  # noqa: BLE001 - a damaged or vanished snapshot: keep the current index
            log.warning("could not open snapshot %s", found[1], exc_info=True)
            return
        feed = ChangeFeed(origin)
        with self._factory() as session:
            changes = feed.read(session)
        if changes.aliases:
            self.refresh_aliases(index)
        if changes.firms:
            self._apply(index, changes.firms)
        with self._lock:
            # Versions only grow, so a reader comparing index_version sees the switch as a change.
            index.version_ = max(index.version_, (self.index.version_ if self.index else 0) + 1)
            self.index, self.graph, self.origin, self._feed = index, index.graph_, origin, feed
            self.graph_changed = False
        log.info("switched to snapshot %s", found[1])

    def status(self) -> dict[str, object]:
        if self.index is None:
            return {"ready": False}
        origin = self.origin
        return {"ready": True, "version": self.index.version_, "enterprises": self.index.size,
                "build_seconds": round(self.build_seconds or 0.0, 3),
                "snapshot": origin.version if origin else 0,
                "position": self._feed.position if self._feed else 0, "graph_changed": self.graph_changed,
                "reranker": self.reranker_info, "prior": _prior_info(self.index)}


def _prior_info(index: MatchIndex) -> dict[str, object] | None:
    """The prior re-ranker the engine applies to needs read as sentences (matching/prior.py), with the figures it
    was kept on; None when it is off or its trees are absent."""
    trees = default_prior() if index.config.prior_depth else None
    if trees is None:
        return None
    return {"depth": index.config.prior_depth, "features": len(trees.features), "trees": int(trees.feature.shape[0]),
            "figures": trees.meta.get("figures", {})}

