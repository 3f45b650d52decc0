"""Snapshots of the match index on disk: built once (by `chainmatch index build`, the ``index.snapshot`` job or
the first worker of a machine that finds none), mapped by every worker.

A snapshot folder ``<snapshot_dir>/v<version>-p<position>`` holds the arrays and manifest of
:mod:`matching.snapshot`; the manifest adds ``version`` (one more than the newest before it), ``position`` (the
change log's last entry the data includes) and ``taken_at``. It is written under a temporary name and renamed
when complete, so a reader never sees half of one. Older snapshots are pruned; a worker still mapping one keeps
its files (Linux frees them with the last mapping).
"""

from __future__ import annotations

import fcntl
import gc
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

from app.match_index.snapshot import load_aliases, load_graph_parts, load_kinds, load_records
from app.models import ChangeLog
from app.models._types import utcnow
from graph import ChainGraph
from matching import MatchIndex
from matching.snapshot import SnapshotError, load_index, read_manifest, save_index

KEEP = 3  # snapshots kept in a folder: the newest and two a slow worker may still be loading
# Entries this recent that the index's read already saw are listed with it (Origin.seen), so the feed's look-back
# (feed.LOOKBACK, 30 s) re-reads only those of transactions still open then: a bulk import logs all its firms at
# its end, and without the list every worker started on a snapshot taken just after it re-read every firm.
SEEN_WINDOW = timedelta(seconds=60)


@dataclass(frozen=True)
class Origin:
    """Where an index stands in the change log: every entry up to ``position`` is in it, and entries written
    from ``taken_at`` on by transactions that were still open are looked at again (see feed.ChangeFeed)."""

    position: int
    taken_at: datetime
    version: int = 0  # 0: built in memory, not from a snapshot
    path: str | None = None
    seen: tuple[tuple[int, int], ...] = ()  # ranges (first, last) of recent entries the index already includes

    def includes(self, entry: int) -> bool:
        return any(lo <= entry <= hi for lo, hi in self.seen)


def _ranges(ids: list[int]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for i in sorted(ids):
        if out and i == out[-1][1] + 1:
            out[-1] = (out[-1][0], i)
        else:
            out.append((i, i))
    return tuple(out)


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for a bulk build (restored as it was after).

    A build makes millions of small objects that live on (records, product tuples, strings) and makes no cycles
    worth collecting; the collector walked the growing heap again and again: 12 % of a 100,000-firm build's CPU.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def read_database(factory: sessionmaker[Session]) -> tuple[MatchIndex, Origin]:
    """Fit an index on the database as of one moment, and the change-log position of that moment."""
    with collector_paused():
        return _read_database(factory)


def _read_database(factory: sessionmaker[Session]) -> tuple[MatchIndex, Origin]:
    with factory() as session:
        if not isinstance(factory.kw.get("bind"), Connection):  # a test's shared connection is one snapshot already
            # One consistent view on PostgreSQL for the position and all the rows (SQLite reads one anyway).
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"}
                               if session.get_bind().dialect.name == "postgresql" else {})
        taken_at = utcnow()
        position = session.scalar(select(func.coalesce(func.max(ChangeLog.id), 0))) or 0
        seen = _ranges(list(session.scalars(select(ChangeLog.id).where(ChangeLog.created_at >= taken_at - SEEN_WINDOW,
                                                                        ChangeLog.id <= position))))
        nodes, edges = load_graph_parts(session)
        records = load_records(session)
        aliases, kinds = load_aliases(session), load_kinds(session)
    graph = ChainGraph.build(nodes, edges)
    return (MatchIndex().fit(graph, records, aliases=aliases, kinds=kinds),
            Origin(position=int(position), taken_at=taken_at, seen=seen))


def changes_since(factory: sessionmaker[Session], position: int) -> tuple[int, int]:
    """Entries of the change log after ``position``: all of them, and those that changed the chain graph."""
    with factory() as session:
        since = select(func.count()).select_from(ChangeLog).where(ChangeLog.id > position)
        return (session.scalar(since) or 0), (session.scalar(since.where(ChangeLog.kind == "graph")) or 0)


def _versions(folder: Path) -> list[tuple[int, Path]]:
    found = []
    for child in folder.glob("v*-p*"):
        if (child / "manifest.json").is_file():
            try:
                found.append((int(child.name[1:].split("-p")[0]), child))
            except ValueError:
                continue
    return sorted(found)


def newest(folder: str | os.PathLike[str]) -> tuple[int, Path] | None:
    versions = _versions(Path(folder))
    return versions[-1] if versions else None


def write(index: MatchIndex, origin: Origin, folder: str | os.PathLike[str]) -> Path:
    """Save ``index`` as the folder's next version; returns the new snapshot's path."""
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".tmp-{uuid.uuid4().hex}"
    try:
        with _locked(root, "write"):
            last = newest(root)
            version = (last[0] if last else 0) + 1
            save_index(index, tmp, version=version, position=origin.position, seen=[list(r) for r in origin.seen],
                       taken_at=origin.taken_at.isoformat(), created_at=utcnow().isoformat())
            final = root / f"v{version:06d}-p{origin.position}"
            tmp.rename(final)
            for _, old in _versions(root)[:-KEEP]:
                shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def build(factory: sessionmaker[Session], folder: str | os.PathLike[str]) -> tuple[Path, dict[str, Any]]:
    """Read the database and write a new snapshot; returns its path and timings."""
    started = time.perf_counter()
    with collector_paused():  # over the fit and the write (read_database pauses it over the fit alone)
        index, origin = _read_database(factory)
        fitted = time.perf_counter()
        path = write(index, origin, folder)
    size = sum(f.stat().st_size for f in path.iterdir())
    return path, {"path": str(path), "position": origin.position, "enterprises": index.size, "bytes": size,
                  "fit_seconds": round(fitted - started, 2), "write_seconds": round(time.perf_counter() - fitted, 2)}


def open_path(path: Path) -> tuple[MatchIndex, Origin]:
    manifest = read_manifest(path)
    index = load_index(path)
    return index, Origin(position=int(manifest["position"]), taken_at=datetime.fromisoformat(manifest["taken_at"]),
                         version=int(manifest["version"]), path=str(path),
                         seen=tuple((int(lo), int(hi)) for lo, hi in manifest.get("seen", ())))


def open_newest(factory: sessionmaker[Session], folder: str | os.PathLike[str]) -> tuple[MatchIndex, Origin]:
    """Map the newest snapshot; with none (or a damaged one) the first worker of the machine builds one while the
    others wait for it, so a machine builds once however many workers start together."""
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    opened = _open_newest(root)
    if opened is not None:
        return opened
    with _locked(root, "build"):
        opened = _open_newest(root)  # another worker may have built it while this one waited
        if opened is not None:
            return opened
        index, origin = read_database(factory)
        path = write(index, origin, root)
    # Map the written files rather than keep the fitted copy: the memory is then the page cache's, shared.
    del index
    return open_path(path)


def _open_newest(root: Path) -> tuple[MatchIndex, Origin] | None:
    found = newest(root)
    if found is None:
        return None
    try:
        return open_path(found[1])
    except SnapshotError:  # damaged: build a new one
        return None


@contextmanager
def _locked(root: Path, name: str) -> Iterator[None]:
    with (root / f".{name}.lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
