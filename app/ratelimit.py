"""Per-token and per-IP request rate limits (token buckets), answering 429 with Retry-After.

Buckets live in the worker's memory: with N workers a client gets up to N times the limit, which is the
price of needing nothing beside the database; a shared store (Redis) is the step up when that matters.
"""

from __future__ import annotations

import math
import threading
import time

from starlette.types import ASGIApp, Receive, Scope, Send

_MAX_KEYS = 100_000


class _Buckets:
    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self._state: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str, now: float) -> float:
        """Spend one request; returns 0 when allowed, else the seconds until one is available."""
        with self._lock:
            tokens, last = self._state.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens < 1.0:
                self._state[key] = (tokens, now)
                return (1.0 - tokens) / self.rate
            if len(self._state) >= _MAX_KEYS and key not in self._state:
                # Forget full buckets first: they carry no state worth keeping.
                self._state = {k: v for k, v in self._state.items() if v[0] < self.capacity}
            self._state[key] = (tokens - 1.0, now)
            return 0.0


def _token_key(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            parts = value.decode("latin-1").split()
            if len(parts) == 2 and parts[1].startswith("cm_"):
                # The prefix names the token without its secret; a forged prefix only spends that bucket.
                return "t:" + parts[1].split("_")[1][:16] if parts[1].count("_") >= 2 else None
    return None


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, *, per_token: int, per_ip: int) -> None:
        self.app = app
        self.tokens = _Buckets(per_token) if per_token > 0 else None
        self.ips = _Buckets(per_ip) if per_ip > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") == "/health":
            await self.app(scope, receive, send)
            return
        now = time.monotonic()
        wait = 0.0
        if self.ips is not None:
            client = scope.get("client") or ("unknown", 0)
            wait = self.ips.take("ip:" + str(client[0]), now)
        key = _token_key(scope)
        if not wait and self.tokens is not None and key is not None:
            wait = self.tokens.take(key, now)
        if wait:
            retry = str(max(1, math.ceil(wait)))
            body = b'{"error": {"code": "rate_limited", "message": "too many requests; retry after %s s", ' \
                   b'"details": null}}' % retry.encode()
            await send({"type": "http.response.start", "status": 429,
                        "headers": [(b"content-type", b"application/json"), (b"retry-after", retry.encode()),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)
