"""Two nodes on one database (separate engines and connection pools, as separate machines have) run the queue
together: every job runs exactly once (FOR UPDATE SKIP LOCKED on PostgreSQL, the conditional claim on SQLite)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.core.db import make_engine, make_sessionmaker
from app.core.migrations import upgrade
from app.jobs.context import JobContext
from app.jobs.registry import JobKind, NoParams, Registry
from app.jobs.runner import run_once
from app.jobs.service import enqueue
from app.models import Job
from tests.conftest import fresh_database

JOBS = 40


@pytest.fixture()
def nodes(backend: str, tmp_path: Path) -> Iterator[list[sessionmaker[Session]]]:
    url, drop = fresh_database(tmp_path, backend)
    upgrade(url)
    engines = [make_engine(url), make_engine(url)]
    yield [make_sessionmaker(e) for e in engines]
    for e in engines:
        e.dispose()
    drop()  # type: ignore[operator]


def test_two_nodes_claim_each_job_once(nodes: list[sessionmaker[Session]]) -> None:
    ran: Counter[int] = Counter()
    by_node: Counter[int] = Counter()
    lock = threading.Lock()

    def work(ctx: JobContext, _: NoParams) -> dict[str, Any]:
        time.sleep(0.005)  # long enough for the other node to reach for the same row
        with lock:
            ran[ctx.job_id] += 1
        return {}

    registry = Registry.of([JobKind(name="work", params=NoParams, handler=work)])
    with nodes[0]() as session:
        ids = [enqueue(session=session, kind="work", params=NoParams(), principal=None).id for _ in range(JOBS)]
        session.commit()
    start = threading.Barrier(2)

    def node(n: int) -> None:
        start.wait()
        while True:
            done = run_once(nodes[n], registry, limit=3)
            with lock:
                by_node[n] += done
            if not done:
                return

    threads = [threading.Thread(target=node, args=(n,)) for n in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(ran) == sorted(ids) and set(ran.values()) == {1}
    assert by_node[0] + by_node[1] == JOBS and by_node[0] > 0 and by_node[1] > 0  # both took part
    with nodes[1]() as session:
        assert set(session.scalars(select(Job.status))) == {"done"}
        assert set(session.scalars(select(Job.attempts))) == {1}
