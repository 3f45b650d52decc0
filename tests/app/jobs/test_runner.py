"""The job runner: a crashed publication resumes without delivering twice; claims and progress are fenced."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.background import job_registry
from app.catalogues import publishing
from app.jobs.registry import NoParams
from app.jobs.repository import JobRepository
from app.jobs.runner import run_once
from app.jobs.service import enqueue
from app.models import Job, Notification, Opportunity
from app.models._types import utcnow
from tests.app.catalogues.helpers import create_chain, create_need
from tests.app.conftest import Tokens

URL = "/api/v1/catalogues"
TITLES = [("采购碳酸锂", ("碳酸锂",)), ("采购电解液", ("电解液",)), ("采购隔膜", ("隔膜",)),
          ("采购正极材料", ("正极材料",)), ("采购负极材料", ("负极材料",)), ("采购氢氧化锂", ("氢氧化锂",))]


class Crash(BaseException):
    """Stands for the worker process dying: not an Exception, so the runner cannot record it as a failure."""


def published_catalogue(client: TestClient, tokens: Tokens, small: Session) -> Job:
    op = tokens.header("operator")
    cat = client.post(URL, json={"chain": create_chain(small).code, "period": "2026Q3", "title": "目录", "top_n": 3},
                      headers=op).json()
    for title, nodes in TITLES:
        need = create_need(small, title=title, nodes=nodes)
        assert client.post(f"{URL}/{cat['id']}/items", json={"need": need.id}, headers=op).status_code == 201
    client.post(f"{URL}/{cat['id']}/submit", headers=op)
    job = small.get(Job, client.post(f"{URL}/{cat['id']}/publish", headers=op).json()["job"]["id"])
    assert job is not None
    return job


def counts(session: Session) -> tuple[int, int, int]:
    opportunities = session.scalar(select(func.count()).select_from(Opportunity)) or 0
    pairs = session.scalar(select(func.count()).select_from(
        select(Opportunity.need_id, Opportunity.enterprise_id).distinct().subquery())) or 0
    notes = session.scalar(select(func.count()).select_from(Notification)
                           .where(Notification.event == "opportunity.new")) or 0
    return opportunities, pairs, notes


def test_crashed_job_resumes_without_delivering_twice(client: TestClient, tokens: Tokens, small: Session,
                                                      session_factory: sessionmaker[Session],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    holder = client.app.state.index  # type: ignore[attr-defined]
    job = published_catalogue(client, tokens, small)
    real, calls = publishing.deliver, []

    def dying(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 5:  # in the third batch of two: the first two batches are committed
            raise Crash
        return real(*args, **kwargs)

    monkeypatch.setattr(publishing, "deliver", dying)
    with pytest.raises(Crash):
        run_once(session_factory, job_registry(), index=holder, batch_size=2)
    small.expire_all()
    assert (job.status, job.done, job.total, job.attempts) == ("running", 4, 6, 1)
    partial = counts(small)
    assert partial[0] > 0
    # A live worker leaves a fresh heartbeat alone; only a stale one is taken over.
    monkeypatch.setattr(publishing, "deliver", real)
    assert run_once(session_factory, job_registry(), index=holder, batch_size=2) == 0
    assert run_once(session_factory, job_registry(), index=holder, batch_size=2, stale_seconds=0) == 1
    small.expire_all()
    assert (job.status, job.done, job.attempts) == ("done", 6, 2), job.error
    resumed = counts(small)
    assert resumed[0] == resumed[1] == resumed[2] > partial[0]  # every pair once, one notification each
    assert job.result["reached"] == resumed[0] and job.result["published"] == 6
    # Running the whole job again from the start (a worker that lost its progress) adds nothing.
    job.status, job.done, job.result = "queued", 0, {}
    small.commit()
    assert run_once(session_factory, job_registry(), index=holder, batch_size=2) == 1
    small.expire_all()
    assert counts(small) == resumed and job.status == "done" and job.result["reached"] == 0


def test_claim_is_exclusive_and_a_stale_worker_is_fenced(small: Session) -> None:
    job = enqueue(session=small, kind="noop", params=NoParams(), principal=None)
    repo = JobRepository(small)
    now = utcnow()
    first = repo.claim(job.id, stale_before=now - timedelta(seconds=60))
    assert first == 1
    assert repo.claim(job.id, stale_before=now - timedelta(seconds=60)) is None  # fresh heartbeat: not takeable
    second = repo.claim(job.id, stale_before=utcnow() + timedelta(seconds=1))  # as if the first had died
    assert second == 2
    assert not repo.progress(job.id, 1, done=1)  # the presumed-dead worker can no longer write
    assert repo.progress(job.id, 2, done=1)
    assert repo.finish(job.id, 2, status="done", result={"ok": True})
    assert not repo.finish(job.id, 1, status="failed")


def test_a_failing_job_is_recorded_and_unknown_kinds_fail(client: TestClient, small: Session,
                                                          session_factory: sessionmaker[Session]) -> None:
    job = enqueue(session=small, kind="no_such_kind", params=NoParams(), principal=None)
    small.commit()
    assert run_once(session_factory, job_registry(), index=client.app.state.index) == 1  # type: ignore[attr-defined]
    small.expire_all()
    assert job.status == "failed" and "no_such_kind" in job.error and job.finished_at is not None
    # Given up after too many attempts rather than retried for ever.
    stuck = enqueue(session=small, kind="no_such_kind", params=NoParams(), principal=None)
    stuck.status, stuck.attempts, stuck.heartbeat_at = "running", 5, utcnow() - timedelta(hours=1)
    small.commit()
    assert run_once(session_factory, job_registry(), index=client.app.state.index) == 1  # type: ignore[attr-defined]
    small.expire_all()
    assert stuck.status == "failed" and "gave up" in stuck.error


def test_job_list_shows_all_to_staff_and_own_to_others(client: TestClient, tokens: Tokens, small: Session) -> None:
    from app.jobs.service import enqueue
    from app.models import Principal

    operator = small.scalar(select(Principal).where(Principal.name == "t-op"))
    leader = small.scalar(select(Principal).where(Principal.name == "t-leader"))
    assert operator is not None and leader is not None
    mine = enqueue(session=small, kind="publish_catalogue", params=NoParams(), principal=leader, total=0)
    enqueue(session=small, kind="publish_catalogue", params=NoParams(), principal=operator, total=0)
    small.commit()
    everything = client.get("/api/v1/jobs", headers=tokens.header("admin")).json()
    assert everything["total"] == 2 and everything["items"][0]["id"] > everything["items"][1]["id"]
    own = client.get("/api/v1/jobs", headers=tokens.header("leader")).json()
    assert [j["id"] for j in own["items"]] == [mine.id]
    assert client.get("/api/v1/jobs", params={"status": "done"}, headers=tokens.header("operator")).json()["total"] == 0
    assert client.get("/api/v1/jobs", params={"status": "bogus"}, headers=tokens.header("operator")).status_code == 422
