"""The process's in-memory match index: built once from a database snapshot, then updated per enterprise."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

from sqlalchemy.orm import Session, sessionmaker

from app.matches.repository import load_graph_parts, load_records
from graph import ChainGraph
from matching import MatchIndex


class IndexHolder:
    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory
        self._lock = threading.Lock()
        self.graph: ChainGraph | None = None
        self.index: MatchIndex | None = None
        self.built_at: float | None = None
        self.build_seconds: float | None = None

    def build(self) -> None:
        started = time.perf_counter()
        with self._factory() as session:
            nodes, edges = load_graph_parts(session)
            records = load_records(session)
        graph = ChainGraph.build(nodes, edges)
        index = MatchIndex().fit(graph, records)
        with self._lock:
            self.graph, self.index = graph, index
            self.built_at, self.build_seconds = time.time(), time.perf_counter() - started

    def refresh(self, ids: Sequence[int]) -> None:
        """Re-read the named enterprises and replace (or drop) them in the index."""
        if self.index is None:
            return
        with self._factory() as session:
            records = {r.id: r for r in load_records(session, ids)}
        with self._lock:
            for id_ in ids:
                if id_ in records:
                    self.index.upsert(records[id_])
                else:
                    self.index.remove(id_)

    def status(self) -> dict[str, object]:
        if self.index is None:
            return {"ready": False}
        return {"ready": True, "version": self.index.version_, "enterprises": self.index.size,
                "build_seconds": round(self.build_seconds or 0.0, 3)}
