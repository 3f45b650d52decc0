"""Counters shared by every worker and machine: Redis when configured, the database otherwise.

Rate limits and login throttling count here instead of in a worker's memory, so N workers do not give a
client N times its budget. A counter is a number with a window: the first hit opens it for ``ttl`` seconds
(or every hit re-opens it, with ``extend``) and it reads as zero once the window has closed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from app.core.config import Settings
from app.core.counters.database import DbCounters, counter_engine
from app.core.counters.types import Count, StoreUnavailable

__all__ = ["Count", "CounterStores", "Counters", "FallbackCounters", "StoreUnavailable", "open_stores"]


class Counters(Protocol):
    def hit(self, key: str, ttl: float, *, extend: bool = False) -> Count:
        """Add one and return the count and the seconds its window has left; atomic across processes."""
        ...

    def peek(self, key: str) -> Count: ...

    def clear(self, *keys: str) -> None: ...


class FallbackCounters:
    """The primary store (Redis) while it answers, the fallback (the database) while it does not."""

    def __init__(self, primary: Counters, fallback: Counters) -> None:
        self.primary, self.fallback = primary, fallback

    def hit(self, key: str, ttl: float, *, extend: bool = False) -> Count:
        try:
            return self.primary.hit(key, ttl, extend=extend)
        except StoreUnavailable:
            return self.fallback.hit(key, ttl, extend=extend)

    def peek(self, key: str) -> Count:
        try:
            return self.primary.peek(key)
        except StoreUnavailable:
            return self.fallback.peek(key)

    def clear(self, *keys: str) -> None:
        with contextlib.suppress(StoreUnavailable):
            self.primary.clear(*keys)
        # Counts taken while the primary was down live in the fallback: clear them there too.
        self.fallback.clear(*keys)


@dataclass
class CounterStores:
    # Rate limits: may raise StoreUnavailable (Redis down); their callers let the request through.
    limits: Counters
    # Login throttling: never Redis alone; falls back to the database so a Redis outage opens no door.
    logins: Counters
    close: Callable[[], None]


def open_stores(settings: Settings, *, session_factory: sessionmaker[Session] | None = None) -> CounterStores:
    """The stores for this process; tests pass their session factory so counts roll back with the test."""
    engine = None
    bind = session_factory.kw.get("bind") if session_factory is not None else None
    if bind is None:
        # A pool of its own: a request holding its connection while waiting for a counter's connection from the
        # same pool could starve it; and the counter's transaction stays short and separate from the request's.
        engine = bind = counter_engine(settings.database_url)
    database = DbCounters(bind, prefix=settings.counter_prefix)
    closers: list[Callable[[], None]] = [engine.dispose] if engine is not None else []
    limits: Counters = database
    logins: Counters = database
    if settings.redis_url:
        from app.core.counters.redis_store import RedisCounters

        shared = RedisCounters(settings.redis_url, prefix=settings.counter_prefix)
        closers.append(shared.close)
        limits, logins = shared, FallbackCounters(shared, database)

    def close() -> None:
        for fn in closers:
            fn()

    return CounterStores(limits=limits, logins=logins, close=close)
