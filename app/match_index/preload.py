"""The index holder built once by the pre-fork supervisor (app/core/prefork.py) and shared by the workers it forks.

The supervisor builds it (snapshot or database read, graph, analyzer, linker, directory) and leaves no database
connection open; each forked worker's lifespan takes it, rebinds it to its own engine and catches up with the
change log from the holder's position.
"""

from __future__ import annotations

import time

from app.core.config import Settings
from app.core.db import make_engine, make_sessionmaker
from app.match_index.holder import IndexHolder

_preloaded: IndexHolder | None = None


def build(settings: Settings) -> float:
    """Build the holder in this (the supervisor's) process; returns the seconds it took (0 when the service
    builds no index)."""
    global _preloaded
    if not settings.build_index:
        return 0.0
    started = time.perf_counter()
    engine = make_engine(settings.database_url)
    holder = IndexHolder(make_sessionmaker(engine), snapshot_dir=settings.snapshot_dir)
    holder.build()
    engine.dispose()  # no connection crosses the fork: each worker rebinds the holder to an engine of its own
    _preloaded = holder
    return time.perf_counter() - started


def take() -> IndexHolder | None:
    """The holder the supervisor built before forking this worker (once), else None."""
    global _preloaded
    holder, _preloaded = _preloaded, None
    return holder
