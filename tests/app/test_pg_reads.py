"""PostgreSQL round trips (app/core/pg_reads.py): a request's reading session opens no transaction unless it changes
something, and what it changes still commits or rolls back as one; pooled connections are pinged only after
sitting idle, and a dead one is still replaced."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.core import pg_reads
from app.core.db import make_engine, make_sessionmaker, session_scope, upgrade_to_writer
from app.core.deps import _local_read
from tests.conftest import fresh_database

IDLE, INTRANS = 0, 2  # psycopg.pq.TransactionStatus


@pytest.fixture()
def pg(tmp_path: Path) -> Iterator[tuple[Engine, sessionmaker[Session]]]:
    url, drop = fresh_database(tmp_path, "postgresql")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (id int PRIMARY KEY, v text)"))
        conn.execute(text("INSERT INTO t VALUES (1, 'a'), (2, 'b')"))
    yield engine, make_sessionmaker(engine)
    engine.dispose()
    drop()  # type: ignore[operator]


def _status(session: Session) -> int:
    return int(session.connection().connection.dbapi_connection.pgconn.transaction_status)  # type: ignore[union-attr]


def _values(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.scalars(text("SELECT v FROM t ORDER BY id")))


def test_a_reading_session_opens_no_transaction_and_ends_locally(pg: tuple[Engine, sessionmaker[Session]]) -> None:
    _, factory = pg
    scope = session_scope(factory)
    session = next(scope)
    assert session.execute(text("SELECT count(*) FROM t")).scalar() == 2
    assert _status(session) == IDLE  # no BEGIN went out (before: INTRANS, and a COMMIT to send at the end)
    assert _local_read(session)  # so the request ends it on the event loop, without a thread hop
    next(scope, None)


def test_a_writer_session_keeps_its_transaction(pg: tuple[Engine, sessionmaker[Session]]) -> None:
    _, factory = pg
    scope = session_scope(factory, writer=True)
    session = next(scope)
    session.execute(text("SELECT count(*) FROM t"))
    assert _status(session) == INTRANS
    assert not _local_read(session)
    next(scope, None)


def test_what_a_reading_session_changes_is_one_transaction(pg: tuple[Engine, sessionmaker[Session]]) -> None:
    engine, factory = pg
    scope = session_scope(factory)
    session = next(scope)
    session.execute(text("SELECT v FROM t"))
    session.execute(text("UPDATE t SET v = 'x' WHERE id = 1"))
    assert _status(session) == INTRANS and not _local_read(session)
    session.execute(text("UPDATE t SET v = 'y' WHERE id = 2"))
    assert _values(engine) == ["a", "b"]  # nothing visible before the commit
    with pytest.raises(RuntimeError):
        scope.throw(RuntimeError("the request failed"))  # type: ignore[attr-defined]
    assert _values(engine) == ["a", "b"]  # both changes rolled back

    scope = session_scope(factory)
    session = next(scope)
    session.execute(text("UPDATE t SET v = 'x' WHERE id = 1"))
    session.execute(text("UPDATE t SET v = 'y' WHERE id = 2"))
    next(scope, None)
    assert _values(engine) == ["x", "y"]


def test_a_row_lock_in_a_reading_session_is_held_until_its_end(pg: tuple[Engine, sessionmaker[Session]]) -> None:
    engine, factory = pg
    scope = session_scope(factory)
    session = next(scope)
    session.execute(text("SELECT v FROM t WHERE id = 1 FOR UPDATE"))
    with engine.connect() as other, pytest.raises(OperationalError):
        other.execute(text("SELECT v FROM t WHERE id = 1 FOR UPDATE NOWAIT"))
    next(scope, None)
    with engine.connect() as other:
        assert other.execute(text("SELECT v FROM t WHERE id = 1 FOR UPDATE NOWAIT")).scalar() == "a"


def test_upgrade_to_writer_moves_a_reading_session_to_a_transaction(pg: tuple[Engine, sessionmaker[Session]]) -> None:
    engine, factory = pg
    scope = session_scope(factory)
    session = next(scope)
    session.execute(text("SELECT v FROM t"))
    upgrade_to_writer(session)
    session.execute(text("SELECT v FROM t"))
    assert _status(session) == INTRANS and not _local_read(session)
    session.execute(text("UPDATE t SET v = 'z' WHERE id = 1"))
    next(scope, None)
    assert _values(engine) == ["z", "b"]


def test_plain_reads() -> None:
    assert pg_reads.plain_read("SELECT a FROM t WHERE id = %(id)s")
    assert pg_reads.plain_read("  select count(*) from t")
    for statement in ("UPDATE t SET v = 1", "SELECT v FROM t FOR UPDATE", "SELECT v FROM t FOR NO KEY UPDATE",
                      "SELECT pg_notify(%(channel)s, '')", "SELECT pg_advisory_xact_lock(1)", "SELECT nextval('s')",
                      "WITH d AS (DELETE FROM t RETURNING id) SELECT id FROM d", "SELECT * INTO u FROM t"):
        assert not pg_reads.plain_read(statement), statement


def _pings(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    pings: list[object] = []
    real = engine.dialect.do_ping

    def counted(dbapi_conn: Any) -> bool:
        pings.append(dbapi_conn)
        return bool(real(dbapi_conn))

    monkeypatch.setattr(engine.dialect, "do_ping", counted)
    return pings


def test_only_an_idle_connection_is_pinged(pg: tuple[Engine, sessionmaker[Session]],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    engine, _ = pg
    pings = _pings(engine, monkeypatch)
    for _ in range(5):  # back to back, as under load: no ping (before: one per checkout)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    assert pings == []
    monkeypatch.setattr(pg_reads, "IDLE_PING_SECONDS", 0.0)
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    assert len(pings) == 1


def _terminate(engine: Engine, pid: object) -> None:
    """End a pooled connection's server process from outside the pool (as a database restart would)."""
    admin = create_engine(engine.url)
    with admin.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()


def test_a_dead_idle_connection_is_replaced_at_checkout(pg: tuple[Engine, sessionmaker[Session]],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    engine, _ = pg
    with engine.connect() as conn:
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
    _terminate(engine, pid)
    monkeypatch.setattr(pg_reads, "IDLE_PING_SECONDS", 0.0)  # the pooled connection counts as idle
    with engine.connect() as conn:  # the ping finds it dead: a new connection, no error
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar() != pid


def test_a_connection_that_died_a_moment_ago_fails_once_then_the_pool_recovers(
        pg: tuple[Engine, sessionmaker[Session]], monkeypatch: pytest.MonkeyPatch) -> None:
    engine, _ = pg
    monkeypatch.setattr(pg_reads, "IDLE_PING_SECONDS", 60.0)  # it was used a moment ago: not pinged
    with engine.connect() as conn:
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
    _terminate(engine, pid)
    with pytest.raises(OperationalError) as failed, engine.connect() as conn:
        conn.execute(text("SELECT pg_backend_pid()")).scalar()
    assert failed.value.connection_invalidated  # a disconnect: the error handlers answer 503
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1


def test_a_worker_keeps_the_connections_a_loaded_moment_needs(pg: tuple[Engine, sessionmaker[Session]]) -> None:
    engine, _ = pg

    def peak() -> set[int]:
        conns = [engine.connect() for _ in range(8)]  # 6 admitted requests, a commit hook, a background thread
        pids = {int(c.execute(text("SELECT pg_backend_pid()")).scalar_one()) for c in conns}
        for c in conns:
            c.close()
        return pids

    first = peak()
    assert peak() == first  # the same server processes: none closed at check-in and opened again (before: 3 were)
