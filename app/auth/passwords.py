"""Password hashing for people who log in to the web pages (argon2id, via argon2-cffi), and its bound.

Each argon2 check takes ~64 MB and a few hundred milliseconds of CPU. Run on the request threadpool, a flood
of logins ran forty at once, took a worker from 0.25 to 1 GB and starved every other route; the HashGate runs
a few at a time on threads of its own and turns away what would wait too long.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from functools import cache
from typing import TypeVar

import anyio
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
MIN_LENGTH = 10
T = TypeVar("T")


def hash_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise ValueError(f"a password has at least {MIN_LENGTH} characters")
    return _hasher.hash(password)


@cache
def _unknown_user_hash() -> str:
    return _hasher.hash("no such user: this hash is only ever checked, never matched")


def verify_password(stored: str | None, password: str) -> bool:
    """One argon2 check, whether or not the user exists, so a missing user is not told apart by timing."""
    try:
        if not stored:
            _hasher.verify(_unknown_user_hash(), password)
            return False
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


class Busy(Exception):
    """Too many password checks are waiting already; try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"password checks are busy; retry after {retry_after} s")
        self.retry_after = retry_after


class HashGate:
    """At most ``concurrency`` hashes at a time in this process; at most ``queue`` waiting, each ``wait_seconds``."""

    def __init__(self, *, concurrency: int, queue: int, wait_seconds: float) -> None:
        self.concurrency, self.queue, self.wait_seconds = max(1, concurrency), max(0, queue), wait_seconds
        self._slots = anyio.CapacityLimiter(self.concurrency)
        # The worker threads are borrowed under a limiter of their own: a slot holder never waits for a thread.
        self._threads = anyio.CapacityLimiter(self.concurrency)
        self._seconds_per_hash = 0.3

    def full(self) -> bool:
        return self._slots.available_tokens == 0 and self._slots.statistics().tasks_waiting >= self.queue

    def retry_after(self) -> int:
        return max(1, math.ceil((self.queue / self.concurrency + 1) * self._seconds_per_hash))

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        """Run ``fn(*args)`` on a worker thread once a slot is free; raises Busy rather than wait too long."""
        if self.full():
            raise Busy(self.retry_after())
        with anyio.move_on_after(self.wait_seconds) as waited:
            await self._slots.acquire()
        if waited.cancelled_caught:
            raise Busy(self.retry_after())
        try:
            started = time.perf_counter()
            result = await anyio.to_thread.run_sync(fn, *args, limiter=self._threads)
            self._seconds_per_hash = 0.8 * self._seconds_per_hash + 0.2 * (time.perf_counter() - started)
            return result
        finally:
            self._slots.release()
