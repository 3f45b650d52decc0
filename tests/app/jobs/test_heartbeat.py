"""Jobs beat while they work, are taken over soon after their worker dies, and always end done or failed;
periodic jobs are enqueued once per period however many workers race for it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.core.db import make_engine, make_sessionmaker
from app.core.migrations import upgrade
from app.jobs.context import JobContext
from app.jobs.registry import JobKind, NoParams, Registry
from app.jobs.runner import MAX_ATTEMPTS, run_once, schedule_periodic
from app.jobs.service import enqueue
from app.models import Job
from app.models._types import utcnow
from tests.conftest import fresh_database

STALE = 0.6


@pytest.fixture()
def factory(backend: str, tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    # A real engine on a database of its own: the heartbeat thread needs connections of its own.
    url, drop = fresh_database(tmp_path, backend)
    upgrade(url)
    engine = make_engine(url)
    yield make_sessionmaker(engine)
    engine.dispose()
    drop()  # type: ignore[operator]


def kinds(**handlers: Any) -> Registry:
    return Registry.of(JobKind(name=name, params=NoParams, handler=fn) for name, fn in handlers.items())


def queued(factory: sessionmaker[Session], kind: str) -> int:
    with factory() as session:
        job = enqueue(session=session, kind=kind, params=NoParams(), principal=None)
        session.commit()
        return job.id


def job(factory: sessionmaker[Session], job_id: int) -> Job:
    with factory() as session:
        found = session.get(Job, job_id)
        assert found is not None
        return found


def test_a_long_quiet_job_is_not_taken_over(factory: sessionmaker[Session]) -> None:
    def slow(ctx: JobContext, _: NoParams) -> dict[str, Any]:
        time.sleep(STALE * 3)  # no progress written: only the heartbeat says it is alive
        return {"slept": True}

    registry = kinds(slow=slow)
    job_id = queued(factory, "slow")
    first = threading.Thread(target=run_once, args=(factory, registry), kwargs={"stale_seconds": STALE})
    first.start()
    time.sleep(STALE * 2)
    assert run_once(factory, registry, stale_seconds=STALE) == 0  # a second worker finds it alive
    first.join()
    done = job(factory, job_id)
    assert done.status == "done" and done.attempts == 1 and done.result == {"slept": True}


def test_a_dead_workers_job_is_taken_over_within_the_stale_period(factory: sessionmaker[Session]) -> None:
    registry = kinds(quick=lambda ctx, _: {"by": ctx.attempt})
    job_id = queued(factory, "quick")
    with factory() as session:
        # What a worker killed mid-job leaves behind: running, its last beat a little older than the stale period.
        found = session.get(Job, job_id)
        assert found is not None
        found.status, found.attempts, found.heartbeat_at = "running", 1, utcnow() - timedelta(seconds=STALE * 2)
        session.commit()
    assert run_once(factory, registry, stale_seconds=STALE) == 1
    done = job(factory, job_id)
    assert done.status == "done" and done.result == {"by": 2}


def test_a_job_always_ends_with_its_reason(factory: sessionmaker[Session]) -> None:
    def broken(ctx: JobContext, _: NoParams) -> dict[str, Any]:
        raise ValueError("catalogue 7 has no chain")

    registry = kinds(broken=broken)
    job_id = queued(factory, "broken")
    run_once(factory, registry, stale_seconds=STALE)
    failed = job(factory, job_id)
    assert failed.status == "failed" and "catalogue 7 has no chain" in failed.error
    # A job whose workers keep dying is given up with the last error it recorded, not left running.
    with factory() as session:
        found = session.get(Job, job_id)
        assert found is not None
        found.status, found.attempts = "running", MAX_ATTEMPTS
        found.heartbeat_at = utcnow() - timedelta(seconds=STALE * 2)
        session.commit()
    run_once(factory, registry, stale_seconds=STALE)
    given_up = job(factory, job_id)
    assert given_up.status == "failed" and "gave up" in given_up.error and "no chain" in given_up.error


def test_index_jobs_wait_for_the_index_and_others_do_not(factory: sessionmaker[Session]) -> None:
    registry = Registry.of([JobKind(name="ranks", params=NoParams, handler=lambda ctx, _: {}, uses_index=True),
                            JobKind(name="plain", params=NoParams, handler=lambda ctx, _: {"index": ctx.index_holder})])
    ranks, plain = queued(factory, "ranks"), queued(factory, "plain")
    assert run_once(factory, registry, index=None, stale_seconds=STALE) == 1
    assert job(factory, ranks).status == "queued"
    assert job(factory, plain).status == "done" and job(factory, plain).result == {"index": None}


def test_a_periodic_job_is_enqueued_once_per_period(factory: sessionmaker[Session]) -> None:
    ticks: list[int] = []
    registry = Registry.of([JobKind(name="tick", params=NoParams, every_seconds=60,
                                    handler=lambda ctx, _: ticks.append(1) or {"ok": True})])
    now = datetime(2026, 11, 27, 10, 0, 5)
    made = []
    # Several workers at once, in the same period: one enqueues, the others see it there (or lose the race).
    threads = [threading.Thread(target=lambda: made.append(schedule_periodic(factory, registry, now)))
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(made) == 1
    assert schedule_periodic(factory, registry, now + timedelta(seconds=30)) == 0
    run_once(factory, registry, stale_seconds=STALE)
    assert ticks == [1]
    assert schedule_periodic(factory, registry, now + timedelta(seconds=60)) == 1
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Job).where(Job.kind == "tick")) == 2


def test_deadline_reminders_run_as_a_periodic_job(factory: sessionmaker[Session]) -> None:
    from app.background import job_registry

    registry = job_registry()
    # Four periodic kinds: deadline reminders, the expiry of unanswered event meeting requests, quarter reports and
    # index.snapshot, which waits for a match index (none here): the other three run.
    periodic = registry.periodic()
    assert schedule_periodic(factory, registry) == len(periodic) == 4
    assert sum(run_once(factory, registry, stale_seconds=STALE) for _ in range(3)) == 3
    with factory() as session:
        done = session.scalar(select(Job).where(Job.kind == "deadline_reminders"))
        assert done is not None and done.status == "done" and done.result == {"reminded": 0}
        expired = session.scalar(select(Job).where(Job.kind == "event_requests_expire"))
        assert expired is not None and expired.status == "done" and expired.result == {"expired": 0}
        # no chain yet: only the whole province's report of the quarter just ended is frozen
        frozen = session.scalar(select(Job).where(Job.kind == "freeze_quarters"))
        assert frozen is not None and frozen.status == "done" and frozen.result == {"frozen": 1}
