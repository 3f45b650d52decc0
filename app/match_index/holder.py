"""The process's in-memory match index: built once from a database snapshot, then updated per enterprise.

Two paths keep it fresh. In the process that made a change, the commit hook (match_index/freshness.py)
refreshes the changed firms (or the alias list) at once. Every process also polls ``enterprises.updated_at``
and the alias list's fingerprint twice a second, so changes made by another worker or by the CLI reach it
within a second too. An alias change re-reads only the firms whose texts hold the changed words.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.match_index.directory import Directory, Listing
from app.match_index.snapshot import (
    alias_fingerprint,
    installed_model,
    load_aliases,
    load_directory_fields,
    load_graph_parts,
    load_records,
)
from app.models import Enterprise
from app.models._types import utcnow
from graph import ChainGraph
from matching import EnterpriseRecord, MatchIndex
from matching.learner import Reranker

# Rows whose transaction committed after a later timestamp was seen are caught by looking back this far: a change
# commits at most this long after the time it was stamped with.
_LOOKBACK = timedelta(seconds=5)


class IndexHolder:
    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory
        self._lock = threading.Lock()
        self._seen: dict[int, datetime] = {}
        self._since: datetime | None = None
        self._looked_at: datetime | None = None  # when the last successful look (or the build's snapshot) began
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.graph: ChainGraph | None = None
        self.index: MatchIndex | None = None
        self.directory: Directory | None = None  # enterprise search, kept fresh with the index
        self._aliases: tuple[object, ...] = ()
        self._model_id: int | None = None
        self.reranker: Reranker | None = None  # the installed learned re-ranker (app/learning), if any
        self.reranker_info: dict[str, object] | None = None
        self.built_at: float | None = None
        self.build_seconds: float | None = None

    def build(self) -> None:
        started, looked_at = time.perf_counter(), utcnow()
        with self._factory() as session:
            since = session.scalar(select(func.max(Enterprise.updated_at)))
            recent = dict(session.execute(select(Enterprise.id, Enterprise.updated_at).where(
                Enterprise.updated_at >= since - _LOOKBACK)).all()) if since else {}
            nodes, edges = load_graph_parts(session)
            records = load_records(session)
            fields = load_directory_fields(session)
            aliases, fingerprint = load_aliases(session)
        graph = ChainGraph.build(nodes, edges)
        index = MatchIndex().fit(graph, records, aliases=aliases)
        directory = Directory(_listing(r, fields[r.id]) for r in records if r.id in fields)
        with self._lock:
            self.graph, self.index, self.directory, self._aliases = graph, index, directory, fingerprint
            self._since, self._seen, self._looked_at = since, recent, looked_at
            self.built_at, self.build_seconds = time.time(), time.perf_counter() - started
        self.refresh_model()

    def refresh(self, ids: Sequence[int]) -> None:
        """Re-read the named enterprises and replace (or drop) them in the index."""
        if self.index is None or not ids:
            return
        with self._factory() as session:
            records = {r.id: r for r in load_records(session, ids)}
            fields = load_directory_fields(session, ids)
            stamps = dict(session.execute(select(Enterprise.id, Enterprise.updated_at)
                                          .where(Enterprise.id.in_(list(ids)))).all())
        with self._lock:
            for id_ in ids:
                if id_ in records:
                    self.index.upsert(records[id_])
                    if self.directory is not None and id_ in fields:
                        self.directory.upsert(_listing(records[id_], fields[id_]))
                else:
                    self.index.remove(id_)
                    if self.directory is not None:
                        self.directory.remove(id_)
            self._seen.update(stamps)

    def refresh_aliases(self, *, force: bool = True) -> bool:
        """Take up the alias list if it changed since the index last read it; returns whether it did."""
        if self.index is None:
            return False
        with self._factory() as session:
            if not force and alias_fingerprint(session) == self._aliases:
                return False
            aliases, fingerprint = load_aliases(session)
        with self._lock:
            if fingerprint == self._aliases:
                return False
            self.index.set_aliases(aliases)
            self._aliases = fingerprint
        return True

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
        """Pick up enterprises changed since the last look (by any process); returns how many were refreshed."""
        floor = self.window_start()
        if self.index is None or floor is None:
            return 0
        looked_at = utcnow()
        with self._factory() as session:
            rows = session.execute(select(Enterprise.id, Enterprise.updated_at)
                                   .where(Enterprise.updated_at >= floor)).all()
        self.refresh_aliases(force=False)
        self.refresh_model()
        changed = [id_ for id_, stamp in rows if self._seen.get(id_) != stamp]
        if rows:
            self._since = max(self._since or floor, max(stamp for _, stamp in rows))
        self.refresh(changed)
        self._looked_at = looked_at
        # Forget what has fallen out of the look-back window, so the map stays small.
        self._seen = {i: s for i, s in self._seen.items() if s >= floor}
        return len(changed)

    def window_start(self) -> datetime | None:
        """The oldest change stamp the next look reads from.

        Whatever committed before the previous look began was seen by it, and a change stamped earlier than that
        look minus the margin cannot still be in flight. Bounded by the newest stamp alone, the window stayed put
        after a bulk import (100,000 firms stamped within a second) and every worker re-read them all twice a
        second until the next change.
        """
        if self._looked_at is None:
            return None
        return max(self._since or self._looked_at, self._looked_at) - _LOOKBACK

    def start_sync(self, interval: float = 0.5) -> None:
        def loop() -> None:
            while not self._stop.wait(interval):
                try:
                    self.sync_once()
                except Exception:  # noqa: BLE001 - a failed poll is retried on the next tick
                    continue

        self._thread = threading.Thread(target=loop, name="index-sync", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)

    def status(self) -> dict[str, object]:
        if self.index is None:
            return {"ready": False}
        return {"ready": True, "version": self.index.version_, "enterprises": self.index.size,
                "build_seconds": round(self.build_seconds or 0.0, 3), "reranker": self.reranker_info}


def _listing(record: EnterpriseRecord, fields: tuple[str, list[str]]) -> Listing:
    full_name, region = fields
    return Listing.of(record.id, names=[record.name, full_name], products=[p for p, _ in record.products],
                      kind=record.kind, tier=record.tier, region=region)
