"""Named dependencies: the request's session, settings, and the authenticated principal."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Annotated, Any

import anyio
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from app.core.authn import authenticate
from app.core.config import Settings
from app.core.db import WRITER, session_scope, use_primary_for_writes, wrote
from app.core.errors import Forbidden, Unauthorized
from app.core.pg_reads import idle_reader
from app.core.replica import ReadRouting
from app.core.token_check import TokenBook
from app.core.vocabulary import (
    IntegrationScope,
    RowId,  # noqa: F401 - re-exported: routers take it from the dependencies
)
from app.models import Principal

_READS = frozenset({"GET", "HEAD", "OPTIONS"})
# openapi_extra of a POST route that changes nothing (a search with a body): its session starts as a reader, so on
# SQLite it does not queue for the write lock behind every writer.
READS_ONLY_EXTENSION = "x-reads-only"
READS_ONLY = {READS_ONLY_EXTENSION: True}


def writes(request: Request) -> bool:
    """Whether the request's session starts as a writer: any method but GET/HEAD/OPTIONS, unless its route is
    declared READS_ONLY (a search with a body)."""
    extra = getattr(request.scope.get("route"), "openapi_extra", None) or {}
    return request.method not in _READS and not extra.get(READS_ONLY_EXTENSION)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """The request's session (session_scope: one transaction, committed before the response is sent).

    Async, to spare the worker-thread hop FastAPI makes to enter a plain generator dependency: a reader's session
    touches the database only at its first statement, so it is made here on the event loop; a writer's begins its
    transaction at once (a connection, on SQLite the writer queue), which may wait, so that still runs in a thread.
    Its end (commit or rollback, close) runs in a thread too, unless it is a SQLite reader's (``_local_read``)."""
    routing: ReadRouting | None = getattr(request.app.state, "read_routing", None)
    # With a replica, a client that wrote learns the primary's position (read-your-writes, app/core/replica.py).
    marked = (lambda _: routing.mark_written(request)) if routing is not None else None
    writer = writes(request)
    scope = session_scope(request.app.state.sessionmaker, writer=writer, on_commit=marked)
    session = await anyio.to_thread.run_sync(next, scope) if writer else next(scope)
    try:
        yield session
    except BaseException as exc:
        await _end(scope, exc)
        raise
    if _local_read(session):
        _resume(scope, None)
    else:
        await _end(scope, None)


def _local_read(session: Session) -> bool:
    """Whether ending the session is a SQLite reader's COMMIT, or a PostgreSQL reader's that opened no transaction
    (autocommit: pg_reads.idle_reader), and the connection's return to the pool: local calls that wait for no lock,
    cheaper than the hop to a thread. Not a writer's, nor one with changes still to flush (flushing would wait for
    the write lock), nor a PostgreSQL session with a transaction open (its COMMIT is a round trip)."""
    return (not session.info.get(WRITER) and not wrote(session)
            and not (session.new or session.dirty or session.deleted)
            and (session.get_bind().dialect.name == "sqlite" or idle_reader(session)))


async def _end(scope: Iterator[Session], error: BaseException | None) -> None:
    # As FastAPI ends a plain generator dependency: shielded from cancellation, and with a limiter of its own, so
    # an ending session never waits for a thread that a request waiting on the connection pool holds.
    with anyio.CancelScope(shield=True):
        await anyio.to_thread.run_sync(_resume, scope, error, limiter=anyio.CapacityLimiter(1))


def _resume(scope: Iterator[Session], error: BaseException | None) -> None:
    """Runs session_scope's end: commit when ``error`` is None, else rollback (re-raising ``error``, which the
    caller raises itself)."""
    if error is None:
        next(scope, None)
        return
    try:
        scope.throw(error)  # type: ignore[attr-defined]
    except BaseException as raised:
        if raised is not error:
            raise


# scope="function": the transaction commits before the response is sent, so a 2xx means the write is durable
# and the next request, on any worker, reads it; a failed commit answers with an error instead.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


async def get_read_session(request: Request, session: SessionDep) -> AsyncIterator[Session]:
    """A reading session for feeds, search and matching: the read replica's when one is configured and this client
    has no write the replica has yet to replay; else the request's own session. Async, so that without a replica
    (the default) it costs no hop to a worker thread and back; the replica's blocking calls go to a thread."""
    routing: ReadRouting | None = getattr(request.app.state, "read_routing", None)
    if routing is None or await anyio.to_thread.run_sync(routing.for_read, request) is not routing.replica:
        yield session
        return
    replica = routing.replica()
    use_primary_for_writes(replica, request.app.state.engine)
    try:
        yield replica
        await anyio.to_thread.run_sync(replica.commit)
    except BaseException:
        await anyio.to_thread.run_sync(replica.rollback)
        raise
    finally:
        await anyio.to_thread.run_sync(replica.close)


ReadSessionDep = Annotated[Session, Depends(get_read_session, scope="function")]


async def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]

_bearer = HTTPBearer(auto_error=False, description="API token: `Authorization: Bearer cm_…`")


# The OpenAPI extension a route declares its integration scope with: the route says who may call it, and the
# OpenAPI document tells integrators which scope each operation needs.
SCOPE_EXTENSION = "x-integration-scope"


def scoped(scope: IntegrationScope) -> dict[str, Any]:
    """``openapi_extra`` for a route that machine clients whose token names ``scope`` may call."""
    return {SCOPE_EXTENSION: scope}


# The declarations routers use; a route that declares none is closed to machine clients. EVENTS: event platforms
# (upsert participants, read the schedule and outcomes of the events they feed).
READ, MATCH, WEBHOOKS, EVENTS = scoped("read"), scoped("match"), scoped("webhooks"), scoped("events")


def route_scope(request: Request) -> str | None:
    """The integration scope the matched route declares (None: machine clients may not call it)."""
    extra = getattr(request.scope.get("route"), "openapi_extra", None) or {}
    scope = extra.get(SCOPE_EXTENSION)
    return scope if isinstance(scope, str) else None


def get_principal(request: Request, session: SessionDep,
                  creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Principal:
    if creds is None or creds.scheme.lower() != "bearer":
        raise Unauthorized("missing bearer token")
    return _in_scope(request, authenticate(session, creds.credentials))


def _in_scope(request: Request, principal: Principal) -> Principal:
    if principal.role == "integration":
        # Machine clients are limited to the scopes named on their token, whatever the route allows people.
        needed = route_scope(request)
        if needed is None or needed not in principal.token_scopes:
            raise Forbidden(f"this token's scopes ({', '.join(principal.token_scopes) or 'none'}) do not allow this"
                            + (f"; it needs '{needed}'" if needed else ""))
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def require_roles(*roles: str) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that lets only the named roles through (403 for the others)."""

    # async, though it awaits nothing: FastAPI runs a plain def dependency in a worker thread, a hop per request
    async def check(principal: CurrentPrincipal) -> Principal:
        return _in_roles(principal, roles)

    return check


def _in_roles(principal: Principal, roles: tuple[str, ...]) -> Principal:
    if principal.role not in roles:
        raise Forbidden(f"role '{principal.role}' may not do this; allowed: {', '.join(roles)}")
    return principal


def reading_roles(*roles: str) -> Callable[..., Awaitable[Principal]]:
    """require_roles for a route that only reads its caller (POST /match): the same checks and answers, through
    the worker's TokenBook (app/core/token_check.py), which gives a shared, read-only principal. One dependency
    instead of two, and on SQLite no worker-thread hop: the token's row is read on the event loop when that waits
    for nothing (``answers_at_once``)."""

    async def check(request: Request, session: SessionDep,
                    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Principal:
        if creds is None or creds.scheme.lower() != "bearer":
            raise Unauthorized("missing bearer token")
        book: TokenBook = request.app.state.tokens
        if answers_at_once(session):
            principal = book.principal(session, creds.credentials)
        else:
            principal = await anyio.to_thread.run_sync(book.principal, session, creds.credentials)
        return _in_roles(_in_scope(request, principal), roles)

    return check


def answers_at_once(session: Session) -> bool:
    """Whether the session's next read waits for nothing: a SQLite reader (a local file; in WAL mode a reader
    waits for no writer) on a connection it holds, or on one the pool has idle. Not PostgreSQL (a round trip), not
    a writer (the write queue), not when the pool would have to open a connection or wait for one."""
    if session.info.get(WRITER):
        return False
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return False
    if isinstance(bind, Connection) or session.in_transaction():
        return True
    idle = getattr(bind.pool, "checkedin", None)
    return idle is not None and idle() > 0


# Staff who run the programme: operators (within their regions and chains, which the access policy applies) and admins.
StaffPrincipal = Annotated[Principal, Depends(require_roles("admin", "operator"))]
