"""The webhook dispatcher: fan-out and signed deliveries with retries (deadline reminders are a periodic job).

``run_once(now)`` does one round and never raises; ``start()``/``stop()`` run rounds in a daemon thread. Several
dispatchers (one per server worker) may run against the same database: fan-out claims notifications with a
conditional UPDATE, and each delivery is claimed (leased) in its own short transaction before the HTTP call, so
no delivery is attempted twice at once. No transaction is held open during an HTTP call.

Delivery is at least once: a dispatcher that dies after a receiver answered but before the result was written
retries when the lease runs out, so receivers should ignore a repeated X-Chainmatch-Delivery.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy.orm import Session, sessionmaker

from app.core.db import begin_writer
from app.models import WebhookDelivery
from app.models._types import utcnow
from app.webhooks.delivery_repository import DeliveryRepository
from app.webhooks.fanout import fan_out
from app.webhooks.guard import GuardedTransport
from app.webhooks.ownership import stop_reason
from app.webhooks.sender import Outcome, blocked_reason, body_of, headers_for, send

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BASE_DELAY = timedelta(seconds=30)


def backoff(attempts: int, base: timedelta = BASE_DELAY) -> timedelta:
    """Wait after the ``attempts``-th failed attempt: 30 s, 60 s, 120 s, … (30 s × 2^(attempts-1))."""
    return base * (2 ** max(attempts - 1, 0))


class RunReport(Counter[str]):
    """What one round did, by outcome: dispatched, queued, delivered, skipped, retrying, failed, errors."""

    def __getattr__(self, name: str) -> int:
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]


# A delivery's status after an attempt, and the outcome it counts as.
_COUNTED = {"delivered": "delivered", "failed": "failed", "pending": "retrying"}


@dataclass(frozen=True)
class _Claimed:
    delivery_id: int
    url: str
    headers: dict[str, str]
    body: bytes


SKIPPED = "skipped"  # claimed and settled without an attempt: the owner may no longer receive it


class Dispatcher:
    def __init__(self, session_factory: sessionmaker[Session], *, interval: float = 5.0, timeout: float = 5.0,
                 batch: int = 200, max_attempts: int = MAX_ATTEMPTS, base_delay: timedelta = BASE_DELAY,
                 allow_private: bool = False, trust_env: bool = False,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.session_factory = session_factory
        self.interval = interval
        self.timeout = timeout
        self.batch = batch
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        # Loopback and private addresses are refused unless allowed (tests, demos, an intranet deployment).
        self.allow_private = allow_private
        # Proxy variables of the server's environment are ignored unless asked for: deliveries go where they say.
        self.trust_env = trust_env
        self.transport = transport
        # Longer than the slowest attempt can take (connect, write and read timeouts), so a lease never runs out
        # while its attempt is still going.
        self.lease = timedelta(seconds=max(60.0, 4 * timeout))
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- one round -------------------------------------------------------------------------------------------

    def run_once(self, now: datetime | None = None) -> RunReport:
        """Fan out, then attempt the deliveries due at ``now`` (naive UTC; default: the clock)."""
        now = now or utcnow()
        report = RunReport()
        self._guarded(report, "fan-out", lambda: self._fan_out(now, report))
        due: list[int] = []
        self._guarded(report, "due deliveries", lambda: due.extend(self._due(now)))
        if due:
            self._guarded(report, "deliveries", lambda: self._deliver_all(due, now, report))
        return report

    def _guarded(self, report: RunReport, what: str, step: Callable[[], object]) -> None:
        try:
            step()
        except Exception:  # noqa: BLE001 - the loop must survive a bad row or a lost database connection
            report["errors"] += 1
            log.exception("webhook dispatcher: %s failed", what)

    def _fan_out(self, now: datetime, report: RunReport) -> None:
        with self.session_factory() as session:
            begin_writer(session)  # SQLite: a writer waits for the lock; a stale reader would fail
            while True:
                dispatched, queued = fan_out(session, now=now, batch=self.batch)
                report["dispatched"] += dispatched
                report["queued"] += queued
                if dispatched < self.batch:
                    break
            session.commit()

    def _due(self, now: datetime) -> list[int]:
        with self.session_factory() as session:
            return DeliveryRepository(session).due(now, self.batch)

    def _deliver_all(self, due: list[int], now: datetime, report: RunReport) -> None:
        transport = self.transport
        if transport is None and not self.allow_private and not self.trust_env:
            # Connect only to the addresses just checked (DNS rebinding). Behind an environment proxy it is the
            # proxy that connects, so there the check before sending is what we have, and the proxy must filter.
            transport = GuardedTransport()
        with httpx.Client(timeout=self.timeout, follow_redirects=False, trust_env=self.trust_env,
                          transport=transport) as client:
            for delivery_id in due:
                if self._stop.is_set() and self._thread is not None:
                    break  # shutting down: what is left stays pending and is picked up next time
                self._guarded(report, f"delivery {delivery_id}",
                              functools.partial(self._deliver_one, client, delivery_id, now, report))

    def _deliver_one(self, client: httpx.Client, delivery_id: int, now: datetime, report: RunReport) -> None:
        claimed = self._claim(delivery_id, now)
        if claimed is None:
            return
        if isinstance(claimed, str):  # SKIPPED
            report["skipped"] += 1
            return
        blocked = None if self.allow_private else blocked_reason(claimed.url)
        if blocked is not None:
            outcome = Outcome(False, None, blocked)
        else:
            outcome = send(client, url=claimed.url, headers=claimed.headers, body=claimed.body)
        status = self._record(delivery_id, outcome, now)
        if status in _COUNTED:
            report[_COUNTED[status]] += 1

    def _claim(self, delivery_id: int, now: datetime) -> _Claimed | str | None:
        """Lease the delivery and build its request; SKIPPED (settled, nothing to send) when the owner lost access."""
        with self.session_factory() as session:
            begin_writer(session)  # SQLite: a writer waits for the lock; a stale reader would fail
            repo = DeliveryRepository(session)
            row = repo.with_context(delivery_id)
            if row is None:
                return None
            delivery, hook, note = row
            if not repo.lease(delivery_id, now, now + self.lease):
                session.rollback()
                return None  # another dispatcher has it, or it was settled meanwhile
            # Checked now, not at fan-out: a token revoked a moment ago stops this delivery on every worker.
            stop = stop_reason(session, hook, note, now)
            if stop is not None:
                delivery.status, delivery.last_error = SKIPPED, f"not sent: {stop}"
                session.commit()
                return SKIPPED
            body = body_of(notification_id=note.id, event=note.event, created_at=note.created_at,
                           payload=dict(note.payload or {}))
            claimed = _Claimed(delivery_id=delivery.id, url=hook.url, body=body,
                               headers=headers_for(secret=hook.secret, event=note.event, delivery_id=delivery.id,
                                                   body=body))
            session.commit()
            return claimed

    def _record(self, delivery_id: int, outcome: Outcome, now: datetime) -> str | None:
        with self.session_factory() as session:
            begin_writer(session)  # SQLite: a writer waits for the lock; a stale reader would fail
            delivery = session.get(WebhookDelivery, delivery_id)
            if delivery is None or delivery.status != "pending":
                return None  # the webhook was deleted while the attempt was in flight
            delivery.attempts += 1
            delivery.last_status_code = outcome.status_code
            delivery.last_error = outcome.error
            if outcome.ok:
                delivery.status = "delivered"
                delivery.delivered_at = now
            elif delivery.attempts >= self.max_attempts:
                delivery.status = "failed"
            else:
                delivery.next_attempt_at = now + backoff(delivery.attempts, self.base_delay)
            status = delivery.status
            session.commit()
            return status

    # --- the background thread --------------------------------------------------------------------------------

    def start(self) -> None:
        """Run rounds every ``interval`` seconds in a daemon thread (idempotent)."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="chainmatch-webhooks", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the thread to finish its current attempt and wait for it (at most ``timeout`` seconds)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(self.interval)
