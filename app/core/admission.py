"""Admission: how many requests a worker works on at once, in two lanes: ordinary ones and costly ones.

A worker runs synchronous routes in threads that share one GIL. Left alone, 16 requests of a busy worker all
run at once: each gets a sixteenth of the CPU, a request that waits on the database waits again for the GIL
after every statement (up to one switch interval per runnable thread), and a writer holds SQLite's write lock
for as long as its slowest share of the CPU lasts, so every other writer queues behind it (bench/load.py:
enterprise search p95 193 ms, writes p95 4-5 s, at 128 requests/s). Bounding the requests in progress lets a
cheap request through quickly and a writer finish quickly; the rest wait at the door, where waiting costs
nothing. At the door ordinary requests go first: costly ones (ranking, publication, files) take longer whatever
their place in the queue, and a cheap request queued behind them would wait for nothing (shortest job first).
Costly ones are bounded on their own, and one place is always kept for them, so they never starve. Waiting is
bounded: a request that cannot get in
within ``wait_seconds`` answers 503 with Retry-After, so an overloaded worker sheds load instead of piling it up.

Routes declare their cost with ``openapi_extra=HEAVY`` (shown as ``x-cost`` in the OpenAPI document).
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator

import anyio
from fastapi import Request

from app.core.deps import writes
from app.core.errors import Busy

COST_EXTENSION = "x-cost"
HEAVY = {COST_EXTENSION: "heavy"}
# Not gated: a route that bounds its own work (the login's password-hash limiter: holding a place while waiting
# there, a login flood would fill every place and stall the API), and the health probe, which must answer while
# the worker is busy.
UNGATED = {COST_EXTENSION: "ungated"}
# The order in which waiters are let in. Writers are a kind of their own: on SQLite they queue for the one write
# lock, and one waiting there must not hold a place a reader could use.
KINDS = ("read", "write", "heavy")


class Gate:
    """One worker's places: at most ``total`` requests in progress, of which at most ``writes`` writers, at most
    ``heavy`` costly ones and at most ``total - 1`` readers (the last place is never a reader's, so writers and
    costly requests always move). Lives on the worker's event loop: every method runs on that one thread, so the
    counts need no lock."""

    def __init__(self, *, total: int, writes: int, heavy: int, wait_seconds: float) -> None:
        self.total = max(2, total)
        self.caps = {"read": self.total - 1, "write": max(1, min(writes, self.total)),
                     "heavy": max(1, min(heavy, self.total))}
        self.wait_seconds = wait_seconds
        self.running = dict.fromkeys(KINDS, 0)
        self.waiting: dict[str, deque[anyio.Event]] = {k: deque() for k in KINDS}

    def _fits(self, kind: str) -> bool:
        return sum(self.running.values()) < self.total and self.running[kind] < self.caps[kind]

    async def enter(self, kind: str) -> None:
        if not self.waiting[kind] and self._fits(kind):
            self.running[kind] += 1
            return
        turn = anyio.Event()
        self.waiting[kind].append(turn)
        try:
            with anyio.fail_after(self.wait_seconds):
                await turn.wait()
        except TimeoutError:
            if turn.is_set():  # let in just as the wait ran out: the place is ours
                return
            self.waiting[kind].remove(turn)
            raise Busy("the service is busy; try again shortly", retry_after=1) from None
        except BaseException:  # the client went away while waiting: give back or give up the place
            if turn.is_set():
                self.leave(kind)
            else:
                self.waiting[kind].remove(turn)
            raise

    def leave(self, kind: str) -> None:
        self.running[kind] -= 1
        for k in KINDS:
            while self.waiting[k] and self._fits(k):
                self.running[k] += 1  # counted here, so nobody else takes the place before the waiter wakes
                self.waiting[k].popleft().set()


def kind_of(request: Request) -> str:
    """heavy, ungated, write or read: what the route declares, else whether its session writes."""
    extra = getattr(request.scope.get("route"), "openapi_extra", None) or {}
    declared = extra.get(COST_EXTENSION)
    if declared:
        return str(declared)
    return "write" if writes(request) else "read"


async def admit(request: Request) -> AsyncIterator[None]:
    """App-wide dependency, resolved before any other: hold a place for the whole of the route's work."""
    gate: Gate | None = getattr(request.app.state, "admission", None)
    kind = kind_of(request)
    if gate is None or kind == "ungated":
        yield
        return
    await gate.enter(kind)
    try:
        yield
    finally:
        gate.leave(kind)
