"""The token check of a route that only reads who is calling (POST /match): the same answer as authenticate(),
cheaper on every request after a token's first.

Every request still reads the token's row and its principal's from the database, so a revocation, an expiry, a
deactivation or a change of role, firm, regions or scopes takes effect at the next request on every worker and
every node, as it does through authenticate(). What is kept per worker is what follows that read: the row as it
was when the token was last accepted and the principal built from it. A request whose row is the same (only the
expiry, which passes with the clock, is checked again) reuses them; any other row is checked in full. The read is
one prepared statement on the session's connection, through the driver's cursor: no ORM objects, no identity map,
no statement handling (typed values are read only for a row not seen before).

The principal given out is a transient Principal shared by every request of that token, never in a session: for
reading (role, firm, regions, chains, scopes), not for changing or attaching to new rows.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from datetime import datetime
from typing import Any

from sqlalchemy import Dialect, Engine, bindparam, select
from sqlalchemy.orm import Session

from app.core.authn import TOKEN_PREFIX
from app.core.errors import Unauthorized
from app.models import ApiToken, Principal
from app.models._types import utcnow

_T, _P = ApiToken.__table__.c, Principal.__table__.c
_ROW = (select(_T.id, _T.token_hash, _T.scopes, _T.expires_at, _T.revoked_at, _P.id, _P.name, _P.role, _P.org_id,
               _P.regions, _P.chains, _P.active)
        .select_from(ApiToken.__table__.outerjoin(Principal.__table__, _P.id == _T.principal_id))
        .where(_T.prefix == bindparam("prefix")))
# Accepted tokens remembered by a worker; the memory is emptied when full (a token not found is checked in full).
_MAX_REMEMBERED = 10_000


class TokenBook:
    """A worker's memory of the tokens it accepted."""

    def __init__(self) -> None:
        # sha256 of the token -> (the driver's row, the typed row, the principal), as when it was last accepted
        self._accepted: dict[str, tuple[tuple[Any, ...] | None, tuple[Any, ...], Principal]] = {}
        self._compiled: dict[str, tuple[str, bool]] = {}  # the row's statement, per dialect
        self._lock = threading.Lock()

    def principal(self, session: Session, token: str, *, now: datetime | None = None) -> Principal:
        """The caller of ``token`` (Unauthorized as authenticate() says it), read-only."""
        parts = token.split("_")
        if len(parts) < 3 or not token.startswith(TOKEN_PREFIX):
            raise Unauthorized("malformed token")
        digest = hashlib.sha256(token.encode()).hexdigest()
        raw = self._raw_row(session, parts[1])
        known = self._accepted.get(digest)
        if known is not None and known[0] == raw:
            _not_expired(known[1], now)
            return known[2]
        found = session.connection().execute(_ROW, {"prefix": parts[1]}).first()
        row = tuple(found) if found is not None else None
        principal = _accept(row, digest, now)
        if self._raw_row(session, parts[1]) != raw:
            return principal  # changed while it was read: the next request checks it in full again
        with self._lock:
            if len(self._accepted) >= _MAX_REMEMBERED:
                self._accepted.clear()
            self._accepted[digest] = (raw, row, principal)  # type: ignore[assignment]
        return principal

    def _raw_row(self, session: Session, prefix: str) -> tuple[Any, ...] | None:
        """The row as the driver gives it (text for SQLite's dates and JSON): equal rows are equal values, which is
        all a request whose token was accepted before needs; the typed row is read only when it differs.

        On SQLite, before the session has a connection, through a pooled connection of its own in autocommit (the
        latest commit, no BEGIN or COMMIT, and a reading session that needs no statement then never connects);
        else on the session's connection, in its transaction (tests, PostgreSQL)."""
        bind = session.get_bind()
        if isinstance(bind, Engine) and bind.dialect.name == "sqlite" and not session.in_transaction():
            pooled = bind.raw_connection()
            try:
                return self._fetch(pooled.dbapi_connection, bind.dialect, prefix)
            finally:
                pooled.close()
        connection = session.connection()
        return self._fetch(connection.connection.dbapi_connection, connection.dialect, prefix)

    def _fetch(self, dbapi: Any, dialect: Dialect, prefix: str) -> tuple[Any, ...] | None:
        sql, positional = self._compiled.get(dialect.name) or self._compile(dialect)
        cursor = dbapi.cursor()
        try:
            cursor.execute(sql, (prefix,) if positional else {"prefix": prefix})
            found = cursor.fetchone()
        finally:
            cursor.close()
        return tuple(found) if found is not None else None

    def _compile(self, dialect: Dialect) -> tuple[str, bool]:
        compiled = _ROW.compile(dialect=dialect)
        if compiled.positional and list(compiled.positiontup or ()) != ["prefix"]:
            raise RuntimeError(f"unexpected parameters {compiled.positiontup}")
        self._compiled[dialect.name] = (compiled.string, bool(compiled.positional))
        return self._compiled[dialect.name]

    def __len__(self) -> int:
        return len(self._accepted)


def _accept(row: tuple[Any, ...] | None, digest: str, now: datetime | None) -> Principal:
    # The checks of authenticate(), in its order and with its messages.
    if row is None or not hmac.compare_digest(row[1], digest):
        raise Unauthorized("unknown token")
    token_id, _, scopes, _, revoked_at, pid, name, role, org_id, regions, chains, active = row
    if revoked_at is not None:
        raise Unauthorized("token revoked")
    _not_expired(row, now)
    if pid is None or not active:
        raise Unauthorized("unknown token")
    principal = Principal(id=pid, name=name, role=role, org_id=org_id, regions=list(regions or []),
                          chains=list(chains or []), active=active)
    principal.token_scopes = tuple(scopes or ())
    principal.token_id = token_id
    return principal


def _not_expired(row: tuple[Any, ...], now: datetime | None) -> None:
    expires_at = row[3]
    if expires_at is not None and expires_at <= (now or utcnow()):
        raise Unauthorized("token expired")
