"""Counters in the rate_counters table: one atomic upsert per hit (INSERT … ON CONFLICT DO UPDATE … RETURNING).

On PostgreSQL the table lives in the service's database (migration 0005_throttle), reached through a pool of its
own. On SQLite it lives in a file beside the database (``chainmatch.db`` → ``chainmatch.counters.db``): SQLite
has one write lock per file, and a writing request holds it from its first statement to its commit (BEGIN
IMMEDIATE), so counters in the same file would make every request, reads included, queue behind every write.
The side file holds nothing but short-lived counts; it is made on start and may be deleted at any time.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import Table, bindparam, case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.schema import CreateIndex, CreateTable

from app.core.counters.types import Count
from app.models import RateCounter

log = logging.getLogger("chainmatch.counters")
_TABLE = cast(Table, RateCounter.__table__)
# Dead rows (closed windows) are deleted at most this often by each process, on the back of a hit.
PRUNE_EVERY_SECONDS = 60.0


def _hit_statement(dialect: str, *, extend: bool) -> Any:
    """The upsert, built once with bound parameters (k, now, end): a hit is on every request's path."""
    c = _TABLE.c
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(_TABLE)
    closed = c.window_end_ms <= bindparam("now")
    return insert.values(key=bindparam("k"), count=1, window_end_ms=bindparam("end")).on_conflict_do_update(
        index_elements=[c.key], set_={
            "count": case((closed, 1), else_=c.count + 1),
            "window_end_ms": bindparam("end") if extend else case((closed, bindparam("end")), else_=c.window_end_ms),
        }).returning(c.count, c.window_end_ms)


_PEEK = select(_TABLE.c.count, _TABLE.c.window_end_ms).where(_TABLE.c.key == bindparam("k"),
                                                             _TABLE.c.window_end_ms > bindparam("now"))


class DbCounters:
    """Counters through ``bind``: an engine (each call its own committed transaction) or, in tests, a connection
    already inside the test's transaction (each call a savepoint, rolled back with the test)."""

    def __init__(self, bind: Engine | Connection, *, prefix: str = "", clock: Callable[[], float] = time.time) -> None:
        self._bind = bind
        self._prefix = prefix
        self._clock = clock
        self._hit = {extend: _hit_statement(bind.dialect.name, extend=extend) for extend in (False, True)}
        self._next_prune = 0.0
        self._prune_lock = threading.Lock()

    def hit(self, key: str, ttl: float, *, extend: bool = False) -> Count:
        now = self._ms()
        end = now + max(1, int(ttl * 1000))
        # Its own short transaction: committed at once, never part of (or rolled back with) the request's.
        with self._transaction() as conn:
            count, window_end = conn.execute(self._hit[extend], {"k": self._prefix + key, "now": now,
                                                                 "end": end}).one()
        self._maybe_prune(now)
        return Count(int(count), max(0.0, (window_end - now) / 1000))

    def peek(self, key: str) -> Count:
        now = self._ms()
        with self._transaction() as conn:
            row = conn.execute(_PEEK, {"k": self._prefix + key, "now": now}).first()
        return Count(0, 0.0) if row is None else Count(int(row[0]), (row[1] - now) / 1000)

    def clear(self, *keys: str) -> None:
        if not keys:
            return
        with self._transaction() as conn:
            conn.execute(delete(_TABLE).where(_TABLE.c.key.in_([self._prefix + k for k in keys])))

    def prune(self) -> int:
        """Delete the rows whose window has closed (of every prefix); returns how many."""
        with self._transaction() as conn:
            result = conn.execute(delete(_TABLE).where(_TABLE.c.window_end_ms <= self._ms()))
        return int(result.rowcount or 0)

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        if isinstance(self._bind, Engine):
            with self._bind.begin() as conn:
                yield conn
        else:
            with self._bind.begin_nested():
                yield self._bind

    def _maybe_prune(self, now_ms: int) -> None:
        if now_ms / 1000 < self._next_prune or not self._prune_lock.acquire(blocking=False):
            return
        try:
            self._next_prune = now_ms / 1000 + PRUNE_EVERY_SECONDS
            self.prune()
        except SQLAlchemyError as exc:
            # Pruning is housekeeping: a busy database only delays it to the next round.
            log.warning("pruning rate counters failed: %s", exc)
        finally:
            self._prune_lock.release()

    def _ms(self) -> int:
        return int(self._clock() * 1000)


def side_file(database: str) -> str:
    """The counters' SQLite file for a SQLite database file (``x.db`` → ``x.counters.db``)."""
    return (database[:-3] if database.endswith(".db") else database) + ".counters.db"


def counter_engine(database_url: str) -> Engine:
    """The engine counters use for this service database (see the module's docstring for SQLite)."""
    from app.core.db import make_engine

    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return make_engine(database_url)
    engine = make_engine(url.set(database=side_file(url.database)).render_as_string(hide_password=False))
    # IF NOT EXISTS: several workers start at once and each makes sure the table is there.
    with engine.begin() as conn:
        conn.execute(CreateTable(_TABLE, if_not_exists=True))
        for index in _TABLE.indexes:
            conn.execute(CreateIndex(index, if_not_exists=True))
    return engine
