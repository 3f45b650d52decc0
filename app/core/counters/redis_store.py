"""Counters in Redis: INCR and PEXPIRE in one Lua script, so a hit is atomic across workers and machines."""

from __future__ import annotations

import logging
import threading
import time

import redis

from app.core.counters.types import Count, StoreUnavailable

log = logging.getLogger("chainmatch.counters")

# Opens the window on the first hit (or on every hit with extend); a key without a TTL is repaired, never immortal.
_HIT = """
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if n == 1 or ARGV[2] == '1' or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}
"""
# After a failure, calls fail fast for this long instead of each waiting for a timeout of its own.
RETRY_AFTER_FAILURE_SECONDS = 5.0
TIMEOUT_SECONDS = 0.5


class RedisCounters:
    def __init__(self, url: str, *, prefix: str = "") -> None:
        self._client = redis.Redis.from_url(url, socket_timeout=TIMEOUT_SECONDS,
                                            socket_connect_timeout=TIMEOUT_SECONDS)
        self._hit = self._client.register_script(_HIT)
        self._prefix = prefix
        self._down_until = 0.0
        self._lock = threading.Lock()

    def hit(self, key: str, ttl: float, *, extend: bool = False) -> Count:
        self._check()
        try:
            n, ms = self._hit(keys=[self._prefix + key], args=[max(1, int(ttl * 1000)), "1" if extend else "0"])
        except redis.RedisError as exc:
            raise self._failed(exc) from exc
        return Count(int(n), int(ms) / 1000)

    def peek(self, key: str) -> Count:
        self._check()
        try:
            pipe = self._client.pipeline(transaction=True)
            pipe.get(self._prefix + key)
            pipe.pttl(self._prefix + key)
            value, ms = pipe.execute()
        except redis.RedisError as exc:
            raise self._failed(exc) from exc
        if value is None or int(ms) <= 0:
            return Count(0, 0.0)
        return Count(int(value), int(ms) / 1000)

    def clear(self, *keys: str) -> None:
        if not keys:
            return
        self._check()
        try:
            self._client.delete(*(self._prefix + k for k in keys))
        except redis.RedisError as exc:
            raise self._failed(exc) from exc

    def close(self) -> None:
        self._client.close()

    def _check(self) -> None:
        if time.monotonic() < self._down_until:
            raise StoreUnavailable("redis is unavailable (recent failure)")

    def _failed(self, exc: Exception) -> StoreUnavailable:
        with self._lock:
            first = time.monotonic() >= self._down_until
            self._down_until = time.monotonic() + RETRY_AFTER_FAILURE_SECONDS
        if first:
            log.warning("redis counter store unavailable (%s); rate limits let requests through and login "
                        "throttling counts in the database until it answers again", exc)
        return StoreUnavailable(str(exc))
