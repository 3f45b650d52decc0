"""Password hashing for people who log in to the web pages (argon2id, via argon2-cffi), and its bound.

Each argon2 check takes ~64 MB and a few hundred milliseconds of CPU. Run on the request threadpool, a flood
of logins ran forty at once, took a worker from 0.25 to 1 GB and starved every other route; the HashGate runs
a few at a time on threads of its own and turns away what would wait too long. Those threads (and the lane
threads argon2 starts from them, which inherit it) run at a lower CPU priority, so while a flood keeps them
busy the rest of the API still gets the processor first: logins slow down, everything else does not.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import TypeVar

import anyio
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
MIN_LENGTH = 10
# Niceness of the hashing threads (0 normal, 19 lowest): the scheduler weighs a thread at +10 about a tenth of one at 0.
HASH_NICENESS = 10
T = TypeVar("T")
log = logging.getLogger(__name__)


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
        # As many threads as slots, so a slot holder never waits for a thread; they are this gate's alone
        # because their priority is lowered for good.
        self._threads = ThreadPoolExecutor(self.concurrency, thread_name_prefix="argon2", initializer=_lower_priority)
        weakref.finalize(self, self._threads.shutdown, wait=False)
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
            result = await asyncio.get_running_loop().run_in_executor(self._threads, fn, *args)
            self._seconds_per_hash = 0.8 * self._seconds_per_hash + 0.2 * (time.perf_counter() - started)
            return result
        finally:
            self._slots.release()


def _lower_priority() -> None:
    try:
        # On Linux the priority of PRIO_PROCESS with a thread id is that thread's own.
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASH_NICENESS)
    except (OSError, AttributeError) as exc:
        log.warning("cannot lower the priority of password hashing threads: %s", exc)
