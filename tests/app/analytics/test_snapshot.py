"""The per-worker snapshot: reloaded when the data moved, in a side thread once a copy exists, the old copy
answering meanwhile; analyses computed once per copy. On a database of its own (the thread needs its own
connections, which the tests' shared transaction cannot give)."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy.orm import Session

from app.analytics.snapshot import SnapshotCache
from app.core.db import make_engine, make_sessionmaker
from app.core.migrations import upgrade
from app.models import Capability
from tests.app.analytics.helpers import build


def test_stale_copy_answers_while_a_new_one_loads(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'snap.db'}"
    upgrade(url)
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    try:
        with factory() as session:
            data = build(session)
            firm, node = data.firms["TB"].id, data.nodes["测负极"].id
        cache = SnapshotCache(max_age_seconds=0.2, factory=factory)
        with factory() as session:
            first = cache.get(session)
            assert cache.get(session) is first  # young: not even the stamp is read
            assert first.memo("k", lambda: 1) == 1 and first.memo("k", lambda: 2) == 1
        with factory() as session:
            session.add(Capability(enterprise_id=firm, product="测负极", node_id=node, source="declared"))
            session.commit()
        time.sleep(0.25)
        with factory() as session:
            assert cache.get(session) is first  # stale: still answered, a new copy is loading
            cache.wait(30)
            second = cache.get(session)
        assert second is not first and cache.loads == 2 and second.as_of >= first.as_of
        assert second.table.makers_.nnz == first.table.makers_.nnz + 1
        assert second.memo("k", lambda: 3) == 3  # a new copy computes afresh
        time.sleep(0.25)
        with factory() as session:
            assert cache.get(session) is second  # nothing moved: the stamp says so, no reload
        assert cache.loads == 2
    finally:
        engine.dispose()


def test_without_an_age_every_change_reloads_in_the_request(session: Session, small: Session) -> None:
    data = build(small)
    cache = SnapshotCache(max_age_seconds=0)
    first = cache.get(session)
    assert cache.get(session) is first
    small.add(Capability(enterprise_id=data.firms["TB"].id, product="测负极", node_id=data.nodes["测负极"].id,
                         source="declared"))
    small.commit()
    assert cache.get(session) is not first and cache.loads == 2
