"""Reads that may go to a streaming read replica (feeds, search, matching), and read-your-writes.

After a request that wrote, the client is handed the primary's WAL position (``X-Chainmatch-Position`` header and
a cookie of the same value that lives ``read_your_writes_seconds``). A read that brings a position is served by
the replica only once the replica has replayed past it, else by the primary: a person who has just written reads
their own write, whichever node answers, and everyone else reads the replica. A client that sends no position
reads the replica as it is (at most its replication lag behind).
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass

from fastapi import Request
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

HEADER = "X-Chainmatch-Position"
COOKIE = "cm_position"
_LSN = re.compile(r"^[0-9A-F]{1,8}/[0-9A-F]{1,8}$")
# After the replica fails a position check, reads go to the primary for this long before it is tried again.
_BACKOFF_SECONDS = 5.0


def _lsn(value: str | None) -> str | None:
    value = (value or "").strip().upper()
    return value if _LSN.match(value) else None


@dataclass
class ReadRouting:
    primary: sessionmaker[Session]
    replica: sessionmaker[Session]
    window_seconds: float
    cookie_secure: bool = True
    _down_until: float = 0.0

    def for_read(self, request: Request) -> sessionmaker[Session]:
        """The replica, unless this client wrote something the replica has not replayed yet (or it is down)."""
        if time.monotonic() < self._down_until:
            return self.primary
        wanted = _lsn(request.headers.get(HEADER)) or _lsn(request.cookies.get(COOKIE))
        if wanted is None:
            return self.replica
        try:
            with self.replica() as session:
                caught_up = session.scalar(text("SELECT pg_last_wal_replay_lsn() >= CAST(:lsn AS pg_lsn)"),
                                           {"lsn": wanted})
        except Exception:  # noqa: BLE001 - the primary answers while the replica is unreachable
            log.warning("read replica unreachable; reading from the primary", exc_info=True)
            self._down_until = time.monotonic() + _BACKOFF_SECONDS
            return self.primary
        return self.replica if caught_up else self.primary

    def mark_written(self, request: Request) -> None:
        """After a committed write: remember the primary's position for the response."""
        with self.primary() as session:
            request.state.write_position = session.scalar(text("SELECT pg_current_wal_lsn()::text"))

    def cookie(self, position: str) -> str:
        secure = "; Secure" if self.cookie_secure else ""
        age = max(1, int(self.window_seconds))
        return f"{COOKIE}={position}; Max-Age={age}; Path=/; HttpOnly; SameSite=lax{secure}"


class PositionMiddleware:
    """Hands a client that wrote the primary's position (header and cookie), once its transaction committed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        routing: ReadRouting | None = getattr(scope["app"].state, "read_routing", None) \
            if scope["type"] == "http" else None
        if routing is None:  # no replica (the default): no position to hand out, no wrapper around every send
            await self.app(scope, receive, send)
            return

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                position = scope.get("state", {}).get("write_position")
                if position:
                    headers = MutableHeaders(scope=message)
                    headers.append(HEADER, position)
                    headers.append("Set-Cookie", routing.cookie(position))
            await send(message)

        await self.app(scope, receive, stamped)


def make_routing(primary: sessionmaker[Session], replica_engine: Engine | None, *, window_seconds: float,
                 cookie_secure: bool) -> ReadRouting | None:
    if replica_engine is None:
        return None
    return ReadRouting(primary, sessionmaker(replica_engine, expire_on_commit=False), window_seconds, cookie_secure)
