"""The index holder built once by the pre-fork supervisor (app/core/prefork.py) and shared by the workers it forks.

The supervisor builds it (snapshot or database read, graph, analyzer, linker, directory) and leaves no database
connection open; each forked worker's lifespan takes it, rebinds it to its own engine and catches up with the
change log from the holder's position.
"""

from __future__ import annotations

from app.core.config import Settings
from app.core.db import make_engine, make_sessionmaker
from app.match_index import snapshots
from app.match_index.holder import IndexHolder

_preloaded: IndexHolder | None = None


def build(settings: Settings) -> None:
    """Build the holder in this (the supervisor's) process, replacing the one built before."""
    global _preloaded
    if not settings.build_index:
        return
    engine = make_engine(settings.database_url)
    holder = IndexHolder(make_sessionmaker(engine), snapshot_dir=settings.snapshot_dir)
    holder.build()
    engine.dispose()  # no connection crosses the fork: each worker rebinds the holder to an engine of its own
    _preloaded = holder


def stale() -> bool:
    """Whether a newer snapshot than the preloaded holder's has appeared (the periodic index.snapshot job, or
    `chainmatch index build`). Each worker switches to it by itself within a second, into memory of its own; the
    supervisor then preloads it and replaces the workers by forks that share it again."""
    holder = _preloaded
    if holder is None or holder.snapshot_dir is None or holder.origin is None:
        return False
    found = snapshots.newest(holder.snapshot_dir)
    return found is not None and found[0] > holder.origin.version


def take() -> IndexHolder | None:
    """The holder the supervisor built before forking this worker (once), else None."""
    global _preloaded
    holder, _preloaded = _preloaded, None
    return holder
