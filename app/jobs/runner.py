"""The job runner: takes queued jobs, and running jobs whose worker died (stale heartbeat), and runs them; and
enqueues the periodic kinds once per period.

All state lives in the jobs table, so a restarted process resumes where the dead one stopped. ``run_once`` is
synchronous (tests and benchmarks call it); ``JobRunner`` is the daemon thread the app starts in lifespan.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.core.db import begin_writer
from app.jobs.context import DEFAULT_BATCH, JobContext, JobLost
from app.jobs.registry import NoParams, Registry
from app.jobs.repository import JobRepository
from app.jobs.service import MAX_ATTEMPTS, enqueue
from app.match_index.holder import IndexHolder
from app.models import Job
from app.models._types import utcnow

log = logging.getLogger(__name__)

# Finished periodic jobs are kept this long (to be seen in the job list), then pruned.
PERIODIC_KEEP = timedelta(days=1)
# How often the end of a job is retried when the database is briefly unreachable, and the pause between tries.
FINISH_TRIES = (0.0, 0.5, 1.0, 2.0, 4.0)
_T = TypeVar("_T")


def heartbeat_every(stale_seconds: float) -> float:
    """A live job beats several times per stale period, so one slow beat never makes it look dead."""
    return stale_seconds / 4


class Heartbeat:
    """Keeps a running job's heartbeat fresh from a side thread while its handler works (a handler may spend
    long stretches in the engine between progress writes); notices when another worker has taken it over."""

    def __init__(self, factory: sessionmaker[Session], job_id: int, attempt: int, every: float) -> None:
        self.factory, self.job_id, self.attempt, self.every = factory, job_id, attempt, every
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"job-{job_id}-heartbeat", daemon=True)

    def __enter__(self) -> Heartbeat:
        # A factory bound to one connection (a test's transaction) cannot be shared with a thread; with a stale
        # period of 0 every job is takeable anyway, so a beat could not keep it.
        if self.every > 0 and not isinstance(self.factory.kw.get("bind"), Connection):
            self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
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


def schedule_periodic(factory: sessionmaker[Session], registry: Registry, now: datetime | None = None) -> int:
    """Enqueue each periodic kind once per period; of several workers racing, the unique key lets one win."""
    now = now or utcnow()
    made = 0
    for kind in registry.periodic():
        every = float(kind.every_seconds or 0)
        key = f"{kind.name}@{int(now.timestamp() // every)}"
        try:
            with factory() as session:
                begin_writer(session)
                repo = JobRepository(session)
                if repo.has_key(key):
                    continue
                enqueue(session=session, kind=kind.name, params=NoParams(), principal=None, key=key)
                repo.prune_periodic(kind.name, before=now - PERIODIC_KEEP)
                session.commit()
                made += 1
        except IntegrityError:
            continue  # another worker enqueued this period's run first
    return made


def run_once(factory: sessionmaker[Session], registry: Registry, *, index: IndexHolder | None = None,
             stale_seconds: float = 10.0, batch_size: int = DEFAULT_BATCH, limit: int = 10) -> int:
    """Run every job that can be taken now (up to ``limit``); returns how many were run. Kinds that use the match
    index stay queued until ``index`` is built."""
    ready = index is not None and index.index is not None
    waiting = [] if ready else [k.name for k in registry.kinds.values() if k.uses_index]
    ran = 0
    for claimed in _claims(factory, waiting=waiting, stale_seconds=stale_seconds, limit=limit):
        if claimed is not None:
            _execute(factory, registry, index, *claimed, stale_seconds=stale_seconds, batch_size=batch_size)
            ran += 1
    return ran


def _claims(factory: sessionmaker[Session], *, waiting: list[str], stale_seconds: float,
            limit: int) -> Iterator[tuple[int, int] | None]:
    """Jobs taken one at a time, as (id, attempt); None for a job another worker was quicker to."""
    with factory() as session:
        postgres = session.get_bind().dialect.name == "postgresql"
        ids = [] if postgres else JobRepository(session).candidates(
            stale_before=utcnow() - timedelta(seconds=stale_seconds), waiting=waiting, limit=limit)
    if postgres:
        for _ in range(limit):
            with factory() as session:
                begin_writer(session)
                claimed = JobRepository(session).claim_next(
                    stale_before=utcnow() - timedelta(seconds=stale_seconds), waiting=waiting)
                session.commit()
            if claimed is None:
                return
            yield claimed
        return
    for job_id in ids:
        with factory() as session:
            begin_writer(session)
            attempt = JobRepository(session).claim(job_id, stale_before=utcnow() - timedelta(seconds=stale_seconds))
            session.commit()
        yield None if attempt is None else (job_id, attempt)


def _execute(factory: sessionmaker[Session], registry: Registry, index: IndexHolder | None, job_id: int,
             attempt: int, *, stale_seconds: float, batch_size: int) -> None:
    with factory() as session:
        job = session.get(Job, job_id)
        assert job is not None
        name, params, done, partial = job.kind, dict(job.params or {}), job.done, dict(job.result or {})
        last_error = job.error
    if attempt > MAX_ATTEMPTS:
        reason = f"gave up after {MAX_ATTEMPTS} attempts" + (f"; last error: {last_error}" if last_error else "")
        _finish(factory, job_id, attempt, status="failed", error=reason)
        return
    kind = registry.get(name)
    ctx = JobContext(factory=factory, job_id=job_id, attempt=attempt, done=done, batch_size=batch_size,
                     result=partial, index_holder=index if kind is not None and kind.uses_index else None)
    try:
        with Heartbeat(factory, job_id, attempt, heartbeat_every(stale_seconds)) as beat:
            ctx.lost = beat.lost
            if kind is None:
                raise RuntimeError(f"no handler for job kind {name!r}")
            result = kind.run(ctx, params)
    except JobLost:
        log.warning("job %s was taken over by another worker", job_id)
        return
    except Exception as exc:  # noqa: BLE001 - any failure of the job's work is recorded on the job
        log.exception("job %s failed", job_id)
        _finish(factory, job_id, attempt, status="failed", error=f"{type(exc).__name__}: {exc}")
        return
    _finish(factory, job_id, attempt, status="done", result=result)


class JobRunner:
    """A daemon thread polling the jobs table; every process runs one, the claim keeps them apart."""

    def __init__(self, factory: sessionmaker[Session], registry: Registry, index: IndexHolder | None = None, *,
                 poll_seconds: float = 1.0, stale_seconds: float = 10.0) -> None:
        self.factory, self.registry, self.index = factory, registry, index
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
                schedule_periodic(self.factory, self.registry)
                run_once(self.factory, self.registry, index=self.index, stale_seconds=self.stale_seconds)
            except Exception:  # noqa: BLE001 - the loop must survive a database hiccup
                log.exception("job runner iteration failed")
            self._wake.wait(self.poll_seconds)
            self._wake.clear()
