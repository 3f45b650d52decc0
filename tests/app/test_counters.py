"""The shared counter stores: the database (SQLite, PostgreSQL) and Redis pass the same contract."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine

from app.core.counters import Counters, FallbackCounters, StoreUnavailable
from app.core.counters.database import DbCounters
from app.core.counters.redis_store import RedisCounters
from app.models import RateCounter
from tests.app.conftest import dead_redis_url


@pytest.fixture(params=["database", "redis"])
def make_store(request: pytest.FixtureRequest, engine: Engine,
               counter_prefix: str) -> Iterator[Callable[[str], Counters]]:
    """Stores of one kind, by key prefix (every prefix starts with this test's own)."""
    made: list[RedisCounters] = []

    def make(prefix: str) -> Counters:
        if request.param == "redis":
            made.append(RedisCounters(request.getfixturevalue("redis_url"), prefix=prefix))
            return made[-1]
        # Its own committed transactions, like a server's: not the test's rolled-back connection.
        return DbCounters(engine, prefix=prefix)

    yield make
    for r in made:
        r.close()
    with engine.begin() as conn:
        conn.execute(delete(RateCounter).where(RateCounter.key.startswith(counter_prefix)))


@pytest.fixture()
def store(make_store: Callable[[str], Counters], counter_prefix: str) -> Counters:
    return make_store(counter_prefix)


def test_hit_counts_and_peek_reads(store: Counters) -> None:
    assert store.peek("a").value == 0 and store.peek("a").ttl == 0
    first = store.hit("a", 30)
    assert first.value == 1 and 29 < first.ttl <= 30
    assert [store.hit("a", 30).value for _ in range(3)] == [2, 3, 4]
    assert store.peek("a").value == 4 and store.peek("a").value == 4  # peeking spends nothing
    assert store.hit("b", 30).value == 1


def test_window_closes_and_a_new_one_opens(store: Counters) -> None:
    store.hit("w", 0.3)
    store.hit("w", 0.3)
    time.sleep(0.45)
    assert store.peek("w").value == 0
    assert store.hit("w", 0.3).value == 1


def test_extend_keeps_a_counter_alive_while_hits_keep_coming(store: Counters) -> None:
    store.hit("plain", 1.0)
    store.hit("extended", 1.0, extend=True)
    opened = time.monotonic()
    time.sleep(0.6)
    renewed = time.monotonic()
    store.hit("extended", 1.0, extend=True)
    time.sleep(max(0.0, opened + 1.2 - time.monotonic()))
    # The plain window (1 s from its only hit) has closed; the extended one was opened again by its second hit.
    assert store.peek("plain").value == 0
    extended = store.peek("extended").value
    if time.monotonic() - renewed < 0.9:  # a machine too busy to keep time may have let the renewal run out
        assert extended == 2


def test_clear(store: Counters) -> None:
    store.hit("x", 30)
    store.hit("y", 30)
    store.clear("x", "y", "never-set")
    assert store.peek("x").value == 0 and store.peek("y").value == 0


def test_hits_are_atomic_across_threads(store: Counters) -> None:
    seen: list[int] = []
    lock = threading.Lock()

    def spend() -> None:
        for _ in range(25):
            n = store.hit("busy", 30).value
            with lock:
                seen.append(n)

    threads = [threading.Thread(target=spend) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # No lost update and no count handed out twice.
    assert sorted(seen) == list(range(1, 201))
    assert store.peek("busy").value == 200


def test_prefixes_keep_deployments_apart(store: Counters, make_store: Callable[[str], Counters],
                                         counter_prefix: str) -> None:
    other = make_store(counter_prefix + "other:")
    store.hit("k", 30)
    assert other.peek("k").value == 0 and other.hit("k", 30).value == 1
    assert store.peek("k").value == 1


def test_database_prune_deletes_closed_windows_only(engine: Engine, counter_prefix: str) -> None:
    now = [1_000_000.0]
    store = DbCounters(engine, prefix=counter_prefix, clock=lambda: now[0])
    store.hit("old", 10)
    store.hit("live", 100)
    now[0] += 50
    assert store.prune() >= 1
    with engine.connect() as conn:
        left = set(conn.scalars(select(RateCounter.key).where(RateCounter.key.startswith(counter_prefix))))
    assert left == {counter_prefix + "live"}
    with engine.begin() as conn:
        conn.execute(delete(RateCounter).where(RateCounter.key.startswith(counter_prefix)))
        assert conn.scalar(select(func.count()).select_from(RateCounter)
                           .where(RateCounter.key.startswith(counter_prefix))) == 0


def test_unreachable_redis_fails_fast_and_falls_back(engine: Engine, counter_prefix: str) -> None:
    down = RedisCounters(dead_redis_url(), prefix=counter_prefix)
    with pytest.raises(StoreUnavailable):
        down.hit("k", 30)
    started = time.perf_counter()
    with pytest.raises(StoreUnavailable):
        down.peek("k")  # within the back-off: no new connection attempt
    assert time.perf_counter() - started < 0.2
    database = DbCounters(engine, prefix=counter_prefix)
    both = FallbackCounters(down, database)
    assert both.hit("k", 30).value == 1 and both.hit("k", 30).value == 2
    assert database.peek("k").value == 2
    both.clear("k")
    assert database.peek("k").value == 0
