"""Jobs beat while they work, are taken over soon after their worker dies, and always end done or failed."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from app.db import make_engine, make_sessionmaker
from app.jobs import service
from app.jobs.runner import MAX_ATTEMPTS, run_once
from app.jobs.service import JobContext, enqueue
from app.matches.index_holder import IndexHolder
from app.migrations import upgrade
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


@pytest.fixture()
def handlers(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    table: dict[str, Any] = {}
    monkeypatch.setattr(service, "HANDLERS", table)
    monkeypatch.setattr("app.jobs.runner.HANDLERS", table)
    return table


def queued(factory: sessionmaker[Session], kind: str) -> int:
    with factory() as session:
        job = enqueue(session=session, kind=kind, params={}, principal=None)
        session.commit()
        return job.id


def job(factory: sessionmaker[Session], job_id: int) -> Job:
    with factory() as session:
        found = session.get(Job, job_id)
        assert found is not None
        return found


def test_a_long_quiet_job_is_not_taken_over(factory: sessionmaker[Session], handlers: dict[str, Any]) -> None:
    def slow(ctx: JobContext) -> dict[str, Any]:
        time.sleep(STALE * 3)  # no progress written: only the heartbeat says it is alive
        return {"slept": True}

    handlers["slow"] = slow
    job_id = queued(factory, "slow")
    holder = IndexHolder(factory)
    first = threading.Thread(target=run_once, args=(factory, holder), kwargs={"stale_seconds": STALE})
    first.start()
    time.sleep(STALE * 2)
    assert run_once(factory, holder, stale_seconds=STALE) == 0  # a second worker finds it alive
    first.join()
    done = job(factory, job_id)
    assert done.status == "done" and done.attempts == 1 and done.result == {"slept": True}


def test_a_dead_workers_job_is_taken_over_within_the_stale_period(factory: sessionmaker[Session],
                                                                  handlers: dict[str, Any]) -> None:
    handlers["quick"] = lambda ctx: {"by": ctx.attempt}
    job_id = queued(factory, "quick")
    with factory() as session:
        # What a worker killed mid-job leaves behind: running, its last beat a little older than the stale period.
        found = session.get(Job, job_id)
        assert found is not None
        found.status, found.attempts, found.heartbeat_at = "running", 1, utcnow() - timedelta(seconds=STALE * 2)
        session.commit()
    assert run_once(factory, IndexHolder(factory), stale_seconds=STALE) == 1
    done = job(factory, job_id)
    assert done.status == "done" and done.result == {"by": 2}


def test_a_job_always_ends_with_its_reason(factory: sessionmaker[Session], handlers: dict[str, Any]) -> None:
    def broken(ctx: JobContext) -> dict[str, Any]:
        raise ValueError("catalogue 7 has no chain")

    handlers["broken"] = broken
    job_id = queued(factory, "broken")
    run_once(factory, IndexHolder(factory), stale_seconds=STALE)
    failed = job(factory, job_id)
    assert failed.status == "failed" and "catalogue 7 has no chain" in failed.error
    # A job whose workers keep dying is given up with the last error it recorded, not left running.
    with factory() as session:
        found = session.get(Job, job_id)
        assert found is not None
        found.status, found.attempts = "running", MAX_ATTEMPTS
        found.heartbeat_at = utcnow() - timedelta(seconds=STALE * 2)
        session.commit()
    run_once(factory, IndexHolder(factory), stale_seconds=STALE)
    given_up = job(factory, job_id)
    assert given_up.status == "failed" and "gave up" in given_up.error and "no chain" in given_up.error
