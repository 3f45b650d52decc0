"""The job runner: takes queued jobs, and running jobs whose worker died (stale heartbeat), and runs them.

All state lives in the jobs table, so a restarted process resumes where the dead one stopped. ``run_once`` is
synchronous (tests and benchmarks call it); ``JobRunner`` is the daemon thread the app starts in lifespan.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from sqlalchemy.orm import Session, sessionmaker

from app.db import begin_writer
from app.jobs.repository import JobRepository
from app.jobs.service import DEFAULT_BATCH, HANDLERS, MAX_ATTEMPTS, JobContext, JobLost
from app.matches.index_holder import IndexHolder
from app.models import Job
from app.models._types import utcnow

log = logging.getLogger(__name__)

# Modules that register job handlers; imported lazily so app.jobs does not depend on the domains using it.
HANDLER_MODULES = ("app.catalogues.publishing",)
# How often the end of a job is retried when the database is briefly unreachable, and the pause between tries.
FINISH_TRIES = (0.0, 0.5, 1.0, 2.0, 4.0)
_T = TypeVar("_T")


def heartbeat_every(stale_seconds: float) -> float:
    """A live job beats several times per stale period, so one slow beat never makes it look dead."""
    return max(0.05, stale_seconds / 4)


class Heartbeat:
    """Keeps a running job's heartbeat fresh from a side thread while its handler works (a handler may spend
    long stretches in the engine between progress writes); notices when another worker has taken it over."""

    def __init__(self, factory: sessionmaker[Session], job_id: int, attempt: int, every: float) -> None:
        self.factory, self.job_id, self.attempt, self.every = factory, job_id, attempt, every
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"job-{job_id}-heartbeat", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            try:
                with self.factory() as session:
                    begin_writer(session)
                    alive = JobRepository(session).beat(self.job_id, self.attempt)
                    session.commit()
                if not alive:
                    self.lost.set()
                    return
            except Exception:  # noqa: BLE001 - a missed beat is retried; a long outage lets the job go stale
                log.warning("heartbeat of job %s failed", self.job_id, exc_info=True)


def _with_retries(what: str, fn: Callable[[], _T]) -> _T | None:
    """Recording a job's end must survive a short database outage; after the last try the job goes stale and
    is taken over, so its end is still recorded by someone."""
    for pause in FINISH_TRIES:
        time.sleep(pause)
        try:
            return fn()
        except Exception:  # noqa: BLE001 - retried, then logged
            log.warning("%s failed; retrying", what, exc_info=True)
    log.error("%s failed %d times; the job will be taken over when its heartbeat is stale", what, len(FINISH_TRIES))
    return None


def _finish(factory: sessionmaker[Session], job_id: int, attempt: int, **values: object) -> None:
    def write() -> bool:
        with factory() as session:
            begin_writer(session)
            done = JobRepository(session).finish(job_id, attempt, **values)  # type: ignore[arg-type]
            session.commit()
            return done

    _with_retries(f"recording the end of job {job_id}", write)


def _load_handlers() -> None:
    for name in HANDLER_MODULES:
        importlib.import_module(name)


def run_once(factory: sessionmaker[Session], holder: IndexHolder, *, stale_seconds: float = 10.0,
             batch_size: int = DEFAULT_BATCH, limit: int = 10) -> int:
    """Run every job that can be taken now (up to ``limit``); returns how many were run."""
    _load_handlers()
    ran = 0
    with factory() as session:
        ids = JobRepository(session).candidates(stale_before=utcnow() - timedelta(seconds=stale_seconds),
                                                limit=limit)
    for job_id in ids:
        if _run_one(factory, holder, job_id, stale_seconds=stale_seconds, batch_size=batch_size):
            ran += 1
    return ran


def _run_one(factory: sessionmaker[Session], holder: IndexHolder, job_id: int, *, stale_seconds: float,
             batch_size: int) -> bool:
    with factory() as session:
        begin_writer(session)
        repo = JobRepository(session)
        attempt = repo.claim(job_id, stale_before=utcnow() - timedelta(seconds=stale_seconds))
        session.commit()
        if attempt is None:
            return False  # another worker was quicker
        job = session.get(Job, job_id)
        assert job is not None
        kind, params, done, partial = job.kind, dict(job.params or {}), job.done, dict(job.result or {})
        last_error = job.error
    if attempt > MAX_ATTEMPTS:
        reason = f"gave up after {MAX_ATTEMPTS} attempts" + (f"; last error: {last_error}" if last_error else "")
        _finish(factory, job_id, attempt, status="failed", error=reason)
        return True
    handler = HANDLERS.get(kind)
    ctx = JobContext(factory=factory, holder=holder, job_id=job_id, attempt=attempt, params=params, done=done,
                     batch_size=batch_size, result=partial)
    try:
        with Heartbeat(factory, job_id, attempt, heartbeat_every(stale_seconds)) as beat:
            ctx.lost = beat.lost
            if handler is None:
                raise RuntimeError(f"no handler for job kind {kind!r}")
            result = handler(ctx)
    except JobLost:
        log.warning("job %s was taken over by another worker", job_id)
        return True
    except Exception as exc:  # noqa: BLE001 - any failure of the job's work is recorded on the job
        log.exception("job %s failed", job_id)
        _finish(factory, job_id, attempt, status="failed", error=f"{type(exc).__name__}: {exc}")
        return True
    _finish(factory, job_id, attempt, status="done", result=result)
    return True


class JobRunner:
    """A daemon thread polling the jobs table; every process runs one, the claim keeps them apart."""

    def __init__(self, factory: sessionmaker[Session], holder: IndexHolder, *, poll_seconds: float = 1.0,
                 stale_seconds: float = 10.0) -> None:
        self.factory, self.holder = factory, holder
        self.poll_seconds, self.stale_seconds = poll_seconds, stale_seconds
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="chainmatch-jobs", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                # Wait for the index: a publication job needs it, and failing it on start-up would be wasteful.
                if self.holder.index is not None:
                    run_once(self.factory, self.holder, stale_seconds=self.stale_seconds)
            except Exception:  # noqa: BLE001 - the loop must survive a database hiccup
                log.exception("job runner iteration failed")
            self._wake.wait(self.poll_seconds)
            self._wake.clear()
