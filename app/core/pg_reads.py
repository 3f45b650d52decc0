"""PostgreSQL round trips a request does not need: a reader's BEGIN and COMMIT, and a ping at every pool checkout.

**Readers without a transaction.** Under READ COMMITTED (PostgreSQL's default, which the service uses) every
statement takes its own snapshot, inside a transaction or not, and a plain SELECT takes no lock a transaction
would keep; so a transaction around a reader's statements adds nothing to what it reads and costs two round
trips (BEGIN before the first statement, COMMIT at the end), a quarter to a half of a search's or a match's.
A request's reading session therefore runs on its connection in autocommit (``reading_bind``). Should it change
anything after all (a read receipt without ``upgrade_to_writer``, a row lock, a ``pg_notify``), a BEGIN goes
out just before that statement, so what it writes still commits or rolls back as one, at the session's commit or
rollback (psycopg commits or rolls back whatever transaction the server has open, autocommit or not).

**Ping only the connections that sat idle.** ``pool_pre_ping`` sends a query at every checkout, 1-3 per request,
so that a connection the server dropped (a restart) is replaced before use. A connection checked in a moment ago
was alive then; one that sat in the pool for ``IDLE_PING_SECONDS`` or longer is pinged as before. A connection
that dies within that moment fails its request with a disconnect error, which answers 503 (core/errors.py) and
makes the pool replace every connection opened before it (SQLAlchemy invalidates the pool's older connections on
a disconnect), so the service recovers by itself, as with the ping.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

# Execution option of a reading session's connection (autocommit, BEGIN before its first change).
READER = "chainmatch_pg_reader"
# Session.info key of the autocommit engine a request's reading session is bound to (see make_sessionmaker).
READING_BIND = "chainmatch_reading_bind"
# A pooled connection idle for longer is pinged at checkout; one used more recently is trusted.
IDLE_PING_SECONDS = 1.0
_CHECKED_IN = "chainmatch_checked_in"
# Statements (after SELECT) that change something or lock, and so need the transaction a plain read does not.
_NOT_PLAIN = ("FOR UPDATE", "FOR SHARE", "FOR NO KEY UPDATE", "FOR KEY SHARE", "PG_NOTIFY", "PG_ADVISORY",
              "NEXTVAL", "SETVAL", "SET_CONFIG", "INTO ")
_IDLE = 0  # psycopg.pq.TransactionStatus.IDLE: no transaction open on the server


def plain_read(statement: str) -> bool:
    """Whether a statement only reads (a SELECT that locks nothing, notifies nothing and calls no sequence)."""
    text = statement.lstrip()
    if text[:6].upper() != "SELECT":
        return False
    upper = text.upper()
    return not any(word in upper for word in _NOT_PLAIN)


def reading_bind(engine: Engine) -> Engine:
    """The engine a PostgreSQL request's reading session is bound to: the same pool, each connection in autocommit
    while it serves the session (SQLAlchemy restores the default when it goes back to the pool)."""
    reads = engine.execution_options(isolation_level="AUTOCOMMIT", **{READER: True})

    @event.listens_for(reads, "before_cursor_execute")
    def _begin_before_changing(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if conn.connection.dbapi_connection.pgconn.transaction_status == _IDLE and not plain_read(statement):
            cursor.execute("BEGIN")

    return reads


def idle_reader(session: Session) -> bool:
    """Whether ending ``session`` sends nothing to the server: a reading session in autocommit that has opened no
    transaction (it changed nothing), so its commit and its connection's return to the pool are local calls."""
    if not session.info.get(READER):
        return False
    if session.get_transaction() is None:
        return True  # it never ran a statement
    # The transaction began with its first statement, so its connection exists: no checkout here.
    dbapi_conn = session.connection().connection.dbapi_connection
    return bool(dbapi_conn is not None and dbapi_conn.pgconn.transaction_status == _IDLE)


def ping_when_idle(engine: Engine) -> None:
    """Instead of ``pool_pre_ping``: ping at checkout only a connection idle for IDLE_PING_SECONDS or longer; a dead
    one is replaced (DisconnectionError makes the pool discard it and connect anew)."""

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_conn: Any, record: Any) -> None:
        record.info[_CHECKED_IN] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get(_CHECKED_IN)
        if returned is None or time.monotonic() - returned < IDLE_PING_SECONDS:
            return  # new (it just connected) or used a moment ago
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError(f"stale pooled connection: {error}") from error
