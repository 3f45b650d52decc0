"""Request rate limits per client address and per API token, answering 429 with Retry-After.

Counts live in the shared counter store (app.core.counters), so every worker and machine spends one budget. A token
is charged only once it is verified (its hash matches the database's), keyed by its database id: a forged token
that merely carries a real prefix spends nothing but its sender's address budget.

Both limits are checked here, before the route and its database session: on SQLite a writing request holds the
database's write lock from its session's first statement, and a counter written meanwhile on another connection
would wait for that very lock. The verification repeats only the token lookup of app.auth.tokens.authenticate
(one indexed read, remembered per worker); authentication proper stays in the route's dependency.

A limit is a sliding window of one minute, estimated from two fixed windows (the current count plus the previous
one weighted by how much of it still overlaps), which keeps a client near its limit across a minute boundary
where a plain fixed window would let it through twice.
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from collections.abc import Callable

import anyio
from sqlalchemy.orm import Session, sessionmaker
from starlette.types import ASGIApp, Receive, Scope, Send

from app.core.authn import TOKEN_PREFIX, verified_token_id
from app.core.config import Settings
from app.core.counters import Counters

log = logging.getLogger("chainmatch.ratelimit")
WINDOW_SECONDS = 60.0
# Per-worker memories, each emptied when full: keys known to be blocked (so a client hammering past its limit
# costs no store round trip) and verified tokens (so a token is looked up once, not on every request).
_MAX_REMEMBERED = 100_000
_WARN_EVERY_SECONDS = 60.0


class RateLimits:
    def __init__(self, store: Counters, *, per_token: int, per_ip: int, verify: Callable[[str], int | None],
                 clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.per_token, self.per_ip = per_token, per_ip
        self._verify = verify
        self._clock = clock
        self._blocked: dict[str, float] = {}
        self._tokens: dict[str, int] = {}
        # The previous window's count per key: closed, so read once per window instead of on every request.
        self._previous: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()
        self._next_warning = 0.0

    @classmethod
    def from_settings(cls, store: Counters, settings: Settings, factory: sessionmaker[Session]) -> RateLimits:
        def verify(token: str) -> int | None:
            with factory() as session:
                return verified_token_id(session, token)

        return cls(store, per_token=settings.rate_limit_per_token, per_ip=settings.rate_limit_per_ip, verify=verify)

    @property
    def enabled(self) -> bool:
        return self.per_ip > 0 or self.per_token > 0

    def known_wait(self, address: str) -> float:
        """Seconds this worker already knows the address must wait (0: ask the store).

        Only the address: a request refused for its token still spends its address's budget.
        """
        return self._blocked_for("ip:" + address)

    def check(self, address: str, token: str | None) -> float:
        """Spend one request of the address's budget and, if the token is genuine, of the token's; 0 = allowed."""
        wait = self._take("ip:" + address, self.per_ip)
        if wait or not token or self.per_token <= 0:
            return wait
        token_id = self._token_id(token)
        return self._take(f"t:{token_id}", self.per_token) if token_id is not None else 0.0

    def _token_id(self, token: str) -> int | None:
        digest = _digest(token)
        token_id = self._tokens.get(digest)
        if token_id is None:
            try:
                token_id = self._verify(token)
            except Exception as exc:  # noqa: BLE001 - the route's own authentication answers for the database
                self._warn(exc)
                return None
            if token_id is not None:
                self._remember(self._tokens, digest, token_id)
        return token_id

    def _blocked_for(self, key: str) -> float:
        until = self._blocked.get(key)
        return 0.0 if until is None else max(0.0, until - self._clock())

    def _take(self, key: str, limit: int) -> float:
        if limit <= 0:
            return 0.0
        known = self._blocked_for(key)
        if known > 0:
            return known
        now = self._clock()
        window = math.floor(now / WINDOW_SECONDS)
        elapsed = now - window * WINDOW_SECONDS
        try:
            current = self.store.hit(f"rl:{key}:{window}", 2 * WINDOW_SECONDS).value
            previous = self._previous_count(key, window) if current <= limit else 0
        except Exception as exc:  # noqa: BLE001 - any store failure: let the request through, never a 500
            self._warn(exc)
            return 0.0
        if previous * (1 - elapsed / WINDOW_SECONDS) + current <= limit:
            return 0.0
        wait = _wait(limit, current, previous, elapsed)
        self._remember(self._blocked, key, now + wait)
        return wait

    def _previous_count(self, key: str, window: int) -> int:
        known = self._previous.get(key)
        if known is not None and known[0] == window:
            return known[1]
        count = self.store.peek(f"rl:{key}:{window - 1}").value
        self._remember(self._previous, key, (window, count))
        return count

    def _remember(self, memory: dict, key: str, value: object) -> None:  # type: ignore[type-arg]
        with self._lock:
            if len(memory) >= _MAX_REMEMBERED:
                memory.clear()
            memory[key] = value

    def _warn(self, exc: Exception) -> None:
        now = self._clock()
        if now >= self._next_warning:
            self._next_warning = now + _WARN_EVERY_SECONDS
            log.warning("rate limits cannot count (%s); letting requests through", exc)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _wait(limit: int, current: int, previous: int, elapsed: float) -> float:
    """Seconds until one more request fits under ``limit``, if nobody else spends the budget meanwhile."""
    w = WINDOW_SECONDS
    if current < limit and previous > 0:
        # Still in this window, once enough of the previous one has slid out.
        return max(0.0, w * (1 - (limit - current - 1) / previous) - elapsed)
    # In the next window, once enough of this one has slid out.
    return (w - elapsed) + max(0.0, w * (1 - (limit - 1) / current)) if current > 0 else w - elapsed


def _bearer(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            parts = value.decode("latin-1").split()
            if len(parts) == 2 and parts[0].lower() == "bearer" and parts[1].startswith(TOKEN_PREFIX):
                return parts[1]
    return None


class RateLimitMiddleware:
    """Both limits, before any authentication, body parsing or database session of the route."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._threads: anyio.CapacityLimiter | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limits: RateLimits | None = getattr(getattr(scope.get("app"), "state", None), "rate_limits", None)
        if scope["type"] != "http" or scope.get("path") == "/health" or limits is None or not limits.enabled:
            await self.app(scope, receive, send)
            return
        address = str((scope.get("client") or ("unknown", 0))[0])
        token = _bearer(scope)
        wait = limits.known_wait(address)
        if not wait:
            if self._threads is None:
                # Counter calls get threads of their own: they must not queue behind slow synchronous routes.
                self._threads = anyio.CapacityLimiter(16)
            wait = await anyio.to_thread.run_sync(limits.check, address, token, limiter=self._threads)
        if wait:
            retry = str(max(1, math.ceil(wait))).encode()
            body = b'{"error": {"code": "rate_limited", "message": "too many requests; retry after %s s", ' \
                   b'"details": null}}' % retry
            await send({"type": "http.response.start", "status": 429,
                        "headers": [(b"content-type", b"application/json"), (b"retry-after", retry),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)
