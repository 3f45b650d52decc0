"""HTTP helpers of bench/faults.py: one answer as a plain record, the error-envelope check, thread fan-out."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import httpx

from bench.common.stats import pct

TIMEOUT = 30.0


@dataclass
class Answer:
    status: int  # 0: no answer (connection refused or dropped, timeout)
    seconds: float
    body: Any = None  # parsed JSON when the answer was JSON
    error: str = ""  # the transport error, when status is 0
    sent: float = 0.0  # time.monotonic() when the request left

    @property
    def envelope(self) -> bool:
        """The house error shape: {"error": {"code", "message", "details"}}."""
        err = self.body.get("error") if isinstance(self.body, dict) else None
        return isinstance(err, dict) and {"code", "message", "details"} <= err.keys()

    def kind(self, judge: bool = True) -> str:
        """A short label for tables: 201, 404, 500 (not the envelope), dropped …; judge=False for web pages."""
        if self.status == 0:
            return self.error or "no answer"
        if self.status >= 400 and judge:
            return f"{self.status}{'' if self.envelope else ' (not the envelope)'}"
        return str(self.status)


def client(base: str, token: str | None = None, *, fresh: bool = False, local: str | None = None,
           timeout: float = TIMEOUT) -> httpx.Client:
    """fresh: a new TCP connection per request, so consecutive requests land on any worker the kernel picks.
    local: the source address (another loopback address, so per-IP limits tell two clients apart)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    limits = httpx.Limits(max_keepalive_connections=0) if fresh else httpx.Limits()
    transport = httpx.HTTPTransport(local_address=local) if local else None
    return httpx.Client(base_url=base, headers=headers, timeout=timeout, limits=limits, transport=transport)


def call(c: httpx.Client, method: str, path: str, **kw: Any) -> Answer:
    sent = time.monotonic()
    t = time.perf_counter()
    try:
        r = c.request(method, path, **kw)
    except httpx.TimeoutException:
        return Answer(0, time.perf_counter() - t, error="timeout", sent=sent)
    except httpx.HTTPError as exc:
        return Answer(0, time.perf_counter() - t, error=f"dropped ({type(exc).__name__})", sent=sent)
    body: Any = None
    if r.headers.get("content-type", "").startswith("application/json"):
        try:
            body = r.json()
        except ValueError:
            body = None
    return Answer(r.status_code, time.perf_counter() - t, body, sent=sent)


def settled(c: httpx.Client, method: str, path: str, *, within: float = 10.0, **kw: Any) -> Answer:
    """call(), repeated while it answers 404: a setup step must not trip over a write that the server
    acknowledged before committing it (the read-your-writes fault is measured by its own scenario)."""
    until = time.monotonic() + within
    while True:
        a = call(c, method, path, **kw)
        if a.status != 404 or time.monotonic() > until:
            return a
        time.sleep(0.05)


def together(fns: Iterable[Callable[[], Any]], timeout: float = 60.0) -> list[Any]:
    """Run the callables in threads released at the same instant (a barrier); their results in order."""
    fns = list(fns)
    barrier = threading.Barrier(len(fns))
    out: list[Any] = [None] * len(fns)

    def run(i: int, fn: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout)
            out[i] = fn()
        except Exception as exc:  # noqa: BLE001 - one broken request must not hang the others
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i, fn), daemon=True) for i, fn in enumerate(fns)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout)
    return out


def kinds(answers: Iterable[Answer], judge: bool = True) -> str:
    """'201: 997, 500 (not the envelope): 3' style summary, most frequent first."""
    counts = Counter(a.kind(judge) for a in answers)
    return ", ".join(f"{k}: {n}" for k, n in counts.most_common()) or "none"


def jsonable(value: Any) -> Any:
    """Counters keyed by tuples and the like, made writable as JSON."""
    if isinstance(value, dict):
        return {k if isinstance(k, str | int | float | bool) or k is None else str(k): jsonable(v)
                for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    return value


def ms(xs: list[float], q: float) -> float | None:
    return round(pct(xs, q) * 1000, 1) if xs else None


def fmt_ms(xs: list[float], qs: tuple[int, ...] = (50, 95)) -> str:
    if not xs:
        return "n/a"
    return " / ".join(f"{pct(xs, q) * 1000:.0f}" for q in qs) + " ms"
