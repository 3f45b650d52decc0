"""Following the change log: which firms changed since this worker last looked, and a thread that looks when
woken (PostgreSQL LISTEN/NOTIFY, or Redis pub/sub when configured) and at a slow poll otherwise.

Numbers are handed out when a transaction inserts its entries, not when it commits, so a later number can be
visible before an earlier one: the feed remembers the numbers it has seen above its floor and waits for a gap up to
``GAP_WAIT`` (a transaction still open) before giving it up (one that rolled back). Replaying an entry is harmless
(the holder re-reads the firm as it is now), so catching up after a restart or a missed notification is just
reading from the last position.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.core.changes import CHANNEL
from app.match_index.snapshots import Origin
from app.models import ChangeLog

log = logging.getLogger(__name__)

GAP_WAIT = 30.0  # seconds a missing number is waited for (longer than any write transaction of the service)
LOOKBACK = timedelta(seconds=GAP_WAIT)
_BATCH = 50_000
_TICK = 0.5  # longest wait for a notification before looking at the stop flag
# Shortest time between two reads woken by notifications: a worker that was just woken gathers what comes in the
# next moment into one read. Under bench/load.py every profile write (~7 a second) woke both workers' read of the
# log and of the firm separately (4 % of a loaded worker's GIL time on PostgreSQL, where SQLite's poll reads every
# 0.5 s); the index still trails another worker's change by less than the poll interval.
MIN_WAKE_GAP = 0.2


class Changes(NamedTuple):
    """What one read of the log found: firms to re-read, and whether the chain graph or the alias list changed."""

    firms: list[int]
    graph: bool = False
    aliases: bool = False


class ChangeFeed:
    def __init__(self, origin: Origin) -> None:
        self.floor = origin.position  # every entry up to here has been applied
        self._origin = origin
        self._above: set[int] = set()  # applied entries above the floor (a gap lies below them)
        self._gaps: dict[int, float] = {}  # missing number -> when it was first missed
        self._first = True

    @property
    def position(self) -> int:
        return max(self._above, default=self.floor)

    def read(self, session: Session) -> Changes:
        """Firms changed since the last read, and whether the chain graph or the alias list changed."""
        stmt = select(ChangeLog.id, ChangeLog.kind, ChangeLog.entity_id)
        if self._first:
            # Transactions open when the index was read may have numbers below its position: look again.
            stmt = stmt.where((ChangeLog.id > self.floor) | (ChangeLog.created_at >= self._origin.taken_at - LOOKBACK))
        else:
            stmt = stmt.where(ChangeLog.id > self.floor)
        rows = session.execute(stmt.order_by(ChangeLog.id).limit(_BATCH)).all()
        self._first = False
        firms: set[int] = set()
        graph = aliases = False
        for id_, kind, entity in rows:
            if id_ in self._above or (id_ <= self.floor and self._origin.includes(id_)):
                continue
            if id_ > self.floor:
                self._above.add(id_)
            if kind == "graph":
                graph = True
            elif kind == "alias":
                aliases = True
            elif entity is not None:
                firms.add(int(entity))
        self._advance(time.monotonic())
        return Changes(sorted(firms), graph, aliases)

    def _advance(self, now: float) -> None:
        while self._above:
            nxt = self.floor + 1
            if nxt in self._above:
                self._above.discard(nxt)
                self._gaps.pop(nxt, None)
                self.floor = nxt
            elif now - self._gaps.setdefault(nxt, now) > GAP_WAIT:
                del self._gaps[nxt]  # rolled back: the number will never be seen
                self.floor = nxt
            else:
                return


class Waker:
    """Calls ``on_wake`` when the change log may have grown: on each notification, and every ``poll_seconds``
    whatever happens (the catch-up for notifications missed while disconnected). One daemon thread."""

    def __init__(self, on_wake: Callable[[], object], *, database_url: str, redis_url: str | None,
                 notify: str, poll_seconds: float) -> None:
        self.on_wake, self.poll_seconds = on_wake, poll_seconds
        self.database_url, self.redis_url = database_url, redis_url
        self.mode = notify if notify != "auto" else (
            "postgres" if database_url.startswith("postgresql") else "poll")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="index-feed", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _wake(self) -> None:
        try:
            self.on_wake()
        except Exception:  # noqa: BLE001 - retried at the next wake
            log.warning("reading the change log failed", exc_info=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if self.mode == "postgres":
                    self._listen_postgres()
                elif self.mode == "redis" and self.redis_url:
                    self._listen_redis()
                else:
                    self._wake()
                    self._stop.wait(self.poll_seconds)
            except Exception:  # noqa: BLE001 - reconnect after a pause; the poll catches up meanwhile
                log.warning("change notifications lost (%s); reconnecting", self.mode, exc_info=True)
                self._wake()
                self._stop.wait(min(self.poll_seconds, 2.0))

    def _listen_postgres(self) -> None:
        import psycopg

        url = make_url(self.database_url).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            self._wake()  # whatever was written while not listening
            last = time.monotonic()
            while not self._stop.is_set():
                # Short waits, so stop() is honoured at once; a burst of notifications is one read.
                got = any(True for _ in conn.notifies(timeout=min(self.poll_seconds, _TICK), stop_after=1))
                if got:
                    gap = MIN_WAKE_GAP - (time.monotonic() - last)
                    for _ in conn.notifies(timeout=max(gap, 0.0)):  # what arrives before the gap ends: one read
                        pass
                if got or time.monotonic() - last >= self.poll_seconds:
                    self._wake()
                    last = time.monotonic()

    def _listen_redis(self) -> None:
        import redis

        client = redis.Redis.from_url(str(self.redis_url), socket_timeout=self.poll_seconds + 5)
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(CHANNEL)
        try:
            self._wake()
            last = time.monotonic()
            while not self._stop.is_set():
                got = pubsub.get_message(timeout=min(self.poll_seconds, _TICK)) is not None
                while pubsub.get_message(timeout=0.0) is not None:
                    pass
                if got or time.monotonic() - last >= self.poll_seconds:
                    self._wake()
                    last = time.monotonic()
        finally:
            pubsub.close()
            client.close()


def redis_publisher(redis_url: str) -> Callable[[], None]:
    """A commit hook that tells every node's Waker over Redis (for deployments that wake through Redis)."""
    import redis

    client = redis.Redis.from_url(redis_url, socket_timeout=1.0)

    def publish() -> None:
        try:
            client.publish(CHANNEL, "")
        except Exception:  # noqa: BLE001 - the slow poll catches up
            log.warning("publishing a change notification to Redis failed", exc_info=True)

    return publish
