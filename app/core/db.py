"""Declarative base with explicit constraint names, engine factory, and the request-scoped session."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import orjson
from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, ORMExecuteState, Session, sessionmaker

from app.core.pg_reads import READER, READING_BIND, ping_when_idle, reading_bind
from app.core.sqlite_writers import QueuedConnection, queue_for

# How long a SQLite writer waits for another writer's lock before giving up (milliseconds).
SQLITE_BUSY_TIMEOUT_MS = 30_000
# Execution option: start the transaction as a writer (SQLite: BEGIN IMMEDIATE at its first change).
WRITER = "chainmatch_writer"
_WROTE = "chainmatch_wrote"
_PRIMARY = "chainmatch_primary"
# Statements a lazy SQLite writer runs outside its transaction; anything else begins it.
_READ_STATEMENTS = ("SELECT", "PRAGMA", "WITH", "EXPLAIN", "BEGIN", "COMMIT", "ROLLBAC", "RELEASE")
_M = TypeVar("_M")
# PostgreSQL connections a worker keeps open, and how many more it may open for a moment (the same 15 at most as
# SQLAlchemy's default 5 + 10). A worker uses up to ~10 at once under load: 6 admitted requests (app/core/
# admission.py; a writer's commit hook reads through a second one), health probes and logins, which are not
# gated, and the job runner, webhook dispatcher and index sync. With 5 kept, every connection above them was
# closed at check-in and opened anew at the next peak: 76 server processes started in 10 s of bench/load.py,
# each a fork, an authentication and SQLAlchemy's set-up queries, which the pool exists to avoid.
PG_POOL_SIZE = 10
PG_POOL_OVERFLOW = 5

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _json_loads(text: str | bytes) -> Any:
    """JSON columns are read on every feed and list (explanations, readings): orjson parses them several times
    faster than the json module (bench/load.py: 5.6 % of a loaded worker's CPU was json.loads). Values written
    before with NaN or Infinity, which orjson refuses, still read through the json module."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "factory": QueuedConnection},
                               json_deserializer=_json_loads)
        writers = queue_for(engine.url.database or "")

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            # Foreign keys are off by default in SQLite; WAL lets readers run beside the importer.
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            # Writers queue for the lock instead of failing at once with "database is locked".
            cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cur.close()
            # pysqlite's own transaction handling defers BEGIN and breaks SAVEPOINTs; let SQLAlchemy drive it.
            dbapi_conn.isolation_level = None
            dbapi_conn.writer_queue = writers

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # type: ignore[no-untyped-def]
            # A reader gets a snapshot (BEGIN). A writer begins lazily: it reads outside a transaction, each
            # statement seeing the latest commit (as under PostgreSQL's READ COMMITTED), and takes the write lock
            # only at its first change or lock() (BEGIN IMMEDIATE, after the writer queue), so it holds the lock
            # for the writing, not for the whole request. A deferred transaction could not do that: reading and
            # then writing fails at once (SQLITE_BUSY_SNAPSHOT) when another writer committed in between.
            if conn.get_execution_options().get(WRITER):
                conn.connection.dbapi_connection.lazy_writer = True
            else:
                conn.exec_driver_sql("BEGIN")

        @event.listens_for(engine, "before_cursor_execute")
        def _sqlite_first_write(conn, cursor, statement, _params, _context, _many):  # type: ignore[no-untyped-def]
            dbapi_conn = conn.connection.dbapi_connection
            if dbapi_conn.lazy_writer and not statement.lstrip()[:7].upper().startswith(_READ_STATEMENTS):
                dbapi_conn.start_writing(cursor)

        return engine
    # Fail fast when the server is unreachable (a 503 in seconds, not a hung request), and drop dead
    # connections from the pool before use so the service recovers by itself when the database is back
    # (ping_when_idle: the connections that sat idle, not every checkout; see app/core/pg_reads.py).
    engine = create_engine(url, pool_size=PG_POOL_SIZE, max_overflow=PG_POOL_OVERFLOW, pool_timeout=10,
                           pool_recycle=1800, connect_args={"connect_timeout": 5}, json_deserializer=_json_loads)
    if engine.dialect.name == "postgresql":
        ping_when_idle(engine)
    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions of ``engine``; on PostgreSQL they carry the autocommit engine a request's reading session uses
    (``session_scope``, app/core/pg_reads.py)."""
    info = {READING_BIND: reading_bind(engine)} if engine.dialect.name == "postgresql" else {}
    return sessionmaker(engine, expire_on_commit=False, info=info)


def begin_writer(session: Session) -> None:
    """Start the session's transaction as a writer (before its first statement).

    On SQLite the write lock is taken at the first change or ``lock()`` (BEGIN IMMEDIATE, after the writer queue):
    concurrent writers then wait for each other instead of failing; on PostgreSQL it changes nothing, row locks
    (``lock``) keep state changes apart there.
    """
    session.info[WRITER] = True
    if not session.in_transaction():
        session.connection(execution_options={WRITER: True})


def upgrade_to_writer(session: Session) -> None:
    """A read-only request that must write a little (a read receipt): end the read, start a writer."""
    if session.info.get(WRITER):
        return
    session.commit()
    session.info.pop(READER, None)
    primary = session.info.pop(_PRIMARY, None)
    if primary is not None:  # it read from a replica, which takes no writes, or in autocommit (PostgreSQL)
        session.bind = primary
    begin_writer(session)


def lock(session: Session, model: type[_M], row_id: Any) -> _M | None:
    """Re-read a row under SELECT … FOR UPDATE, refreshing the loaded object: the check-then-change that follows
    sees the state as of the lock, so two simultaneous state changes take effect once. SQLite ignores FOR UPDATE:
    there a writer takes the database's write lock here (BEGIN IMMEDIATE) before the row is read again."""
    dbapi_conn = session.connection().connection.dbapi_connection
    if isinstance(dbapi_conn, QueuedConnection):
        dbapi_conn.start_writing()
    return session.get(model, row_id, with_for_update=True, populate_existing=True)


def session_scope(factory: Callable[[], Session], *, writer: bool = False,
                  on_commit: Callable[[Session], None] | None = None) -> Iterator[Session]:
    """One transaction per request: commit on success, roll back on any error. ``on_commit`` runs after a commit
    that wrote something (see :func:`wrote`)."""
    session = factory()
    if writer:
        begin_writer(session)
    elif READING_BIND in session.info:
        _read_in_autocommit(session)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    else:
        if on_commit is not None and wrote(session):
            on_commit(session)
    finally:
        session.close()


def _read_in_autocommit(session: Session) -> None:
    """A reading request's session on PostgreSQL: autocommit, no BEGIN or COMMIT unless it changes something
    (app/core/pg_reads.py); ``upgrade_to_writer`` moves it back to the engine's transactions."""
    primary = session.bind
    if not isinstance(primary, Engine):  # bound to a connection (tests): keep it
        return
    session.bind = session.info[READING_BIND]
    session.info[READER] = True
    use_primary_for_writes(session, primary)


def wrote(session: Session) -> bool:
    """Whether the session has written anything (flushed objects, or an INSERT/UPDATE/DELETE statement)."""
    return bool(session.info.get(_WROTE))


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: object) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


def use_primary_for_writes(session: Session, primary: Engine) -> None:
    """A session reading from a replica that may have to write (a read receipt): ``upgrade_to_writer`` moves it to
    ``primary`` first."""
    session.info[_PRIMARY] = primary


def like_pattern(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, its own % and _ taken literally (use with escape='\\')."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
