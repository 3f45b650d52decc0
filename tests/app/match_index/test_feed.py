"""The change log: written with the change or not at all, read from a position, gaps of open transactions waited
for; workers woken by LISTEN/NOTIFY, Redis or a poll, and caught up after missing notifications."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.core.changes import on_commit
from app.match_index import feed as feed_module
from app.match_index.feed import ChangeFeed, Changes, Waker, redis_publisher
from app.match_index.holder import IndexHolder
from app.match_index.snapshots import Origin
from app.models import Capability, ChainNode, ChangeLog, Enterprise
from app.models._types import utcnow
from matching import MatchQuery, rank
from tests.app.match_index.conftest import add_product


def entries(session: Session) -> list[tuple[str, int | None]]:
    return [(k, e) for k, e in session.execute(select(ChangeLog.kind, ChangeLog.entity_id).order_by(ChangeLog.id))]


def test_the_import_and_orm_writes_log_their_changes_in_their_own_transaction(small: Session) -> None:
    logged = entries(small)
    firms = set(small.scalars(select(Enterprise.id)))
    assert ("graph", None) in logged and {e for k, e in logged if k == "enterprise"} == firms
    before = len(logged)
    bank = small.scalar(select(Enterprise).where(Enterprise.code == "100009"))
    assert bank is not None
    with small.begin_nested():
        small.add(Capability(enterprise_id=bank.id, product="电解液", revenue_share=0.5, source="declared"))
    assert entries(small)[before:] == [("enterprise", bank.id)]
    nested = small.begin_nested()
    bank.description = "改了又撤回"
    small.add(ChainNode(name="新节点", aliases=[], kind="product"))
    small.flush()
    nested.rollback()
    assert len(entries(small)) == before + 1  # the rolled-back change left no entry
    with small.begin_nested():
        small.add(ChainNode(name="新节点", aliases=[], kind="product"))
    assert entries(small)[-1] == ("graph", None)


def test_a_gap_left_by_an_open_transaction_is_waited_for(live, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _, factory = live
    with factory() as session:
        top = session.scalar(select(func.max(ChangeLog.id))) or 0
        feed = ChangeFeed(Origin(position=top, taken_at=utcnow()))
        feed.read(session)  # the first read looks back at the import's entries (see the next test)
        assert feed.read(session) == Changes([])
        # top+2 commits before top+1 (a transaction that took its number earlier and is still open)
        session.add(ChangeLog(id=top + 2, kind="enterprise", entity_id=2, created_at=utcnow()))
        session.commit()
        assert feed.read(session) == Changes([2])
        assert feed.floor == top and feed.position == top + 2
        assert feed.read(session) == Changes([])  # not applied twice
        session.add(ChangeLog(id=top + 1, kind="enterprise", entity_id=1, created_at=utcnow()))
        session.commit()
        assert feed.read(session) == Changes([1]) and feed.floor == top + 2
        # a number that never commits (rolled back) is given up after GAP_WAIT
        session.add(ChangeLog(id=top + 4, kind="graph", entity_id=None, created_at=utcnow()))
        session.commit()
        assert feed.read(session) == Changes([], graph=True) and feed.floor == top + 2
        monkeypatch.setattr(feed_module, "GAP_WAIT", 0.0)
        time.sleep(0.01)
        feed.read(session)
        assert feed.floor == top + 4


def test_an_index_read_while_a_write_was_open_looks_back_at_entries_below_its_position(live) -> None:  # type: ignore[no-untyped-def]
    _, factory = live
    with factory() as session:
        top = session.scalar(select(func.max(ChangeLog.id))) or 0
        session.execute(update(ChangeLog).values(created_at=utcnow() - timedelta(hours=1)))  # the import: long ago
        session.add(ChangeLog(id=top + 1, kind="enterprise", entity_id=7, created_at=utcnow()))
        session.commit()
        # the index claims top+1, but that transaction committed only after it read the firm
        assert ChangeFeed(Origin(position=top + 1, taken_at=utcnow())).read(session)[0] == [7]
        old = ChangeFeed(Origin(position=top + 1, taken_at=utcnow() + timedelta(minutes=5)))
        assert old.read(session)[0] == []


def makes(holder: IndexHolder, firm: int, product: str) -> bool:
    """The worker's index lists the product for the firm (and ranks it first for exactly that product)."""
    assert holder.index is not None
    listed = product in dict(holder.index.records_[firm].products)
    if listed:
        assert firm in [r.enterprise_id for r in rank(holder.index, MatchQuery(text=product))]
    return listed


def wait_for(check, seconds: float = 5.0) -> float:  # type: ignore[no-untyped-def]
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > seconds:
            raise AssertionError("not seen in time")
        time.sleep(0.02)
    return time.monotonic() - start


def test_notifications_missed_while_a_worker_was_down_are_recovered(live, backend: str) -> None:  # type: ignore[no-untyped-def]
    url, factory = live
    holder = IndexHolder(factory)
    holder.build()
    # On PostgreSQL the poll is far slower than the test: only a notification can wake the worker in time.
    poll = 60.0 if backend == "postgresql" else 0.2
    waker = Waker(holder.sync_once, database_url=url, redis_url=None, notify="auto", poll_seconds=poll)
    waker.start()
    try:
        time.sleep(0.3)  # listening
        bank = add_product(factory, "100009", "隔膜")
        wait_for(lambda: makes(holder, bank, "隔膜"), 3.0)
    finally:
        waker.stop()
    anode = add_product(factory, "100008", "电解液")  # nobody listening: this notification is lost
    time.sleep(0.3)
    assert not makes(holder, anode, "电解液")
    waker = Waker(holder.sync_once, database_url=url, redis_url=None, notify="auto", poll_seconds=poll)
    waker.start()
    try:
        wait_for(lambda: makes(holder, anode, "电解液"), 3.0)
    finally:
        waker.stop()


def test_redis_pub_sub_wakes_the_workers(live, redis_url: str) -> None:  # type: ignore[no-untyped-def]
    url, factory = live
    holder = IndexHolder(factory)
    holder.build()
    woken = threading.Event()

    def sync() -> int:
        woken.set()
        return holder.sync_once()

    remove = on_commit(redis_publisher(redis_url))
    waker = Waker(sync, database_url=url, redis_url=redis_url, notify="redis", poll_seconds=60.0)
    waker.start()
    try:
        assert woken.wait(3.0)  # the catch-up read on subscribing
        time.sleep(0.3)
        bank = add_product(factory, "100009", "隔膜")
        wait_for(lambda: makes(holder, bank, "隔膜"), 3.0)
    finally:
        waker.stop()
        remove()


def test_a_worker_reads_what_other_processes_wrote(live) -> None:  # type: ignore[no-untyped-def]
    url, factory = live
    holder = IndexHolder(factory)
    holder.build()
    bank = add_product(factory, "100009", "隔膜")
    assert not makes(holder, bank, "隔膜")
    assert holder.sync_once() == 1 and makes(holder, bank, "隔膜")
    assert holder.sync_once() == 0


def test_an_alias_change_by_another_process_reaches_every_worker_through_the_log(live, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app.match_index import snapshots
    from app.models import NodeAlias

    _, factory = live
    with factory() as session:
        lithium = set(session.scalars(select(Enterprise.id).where(Enterprise.code.in_(["100002", "100003"]))))

    def top2(holder: IndexHolder) -> set[int]:
        assert holder.index is not None
        return {r.enterprise_id for r in rank(holder.index, MatchQuery(text="采购锂辉石提炼盐"))[:2]}

    snapshots.build(factory, tmp_path / "snap")  # taken before the alias exists
    running = IndexHolder(factory)
    running.build()
    assert top2(running) != lithium
    with factory() as session:  # an operator on another node
        session.add(NodeAlias(alias="锂辉石提炼盐", node_name="碳酸锂", source="测试"))
        session.commit()
        assert entries(session)[-1] == ("alias", None)
    running.sync_once()
    assert top2(running) == lithium
    started = IndexHolder(factory, snapshot_dir=tmp_path / "snap")  # a worker starting on the older snapshot
    started.build()
    assert started.status()["snapshot"] == 1 and top2(started) == lithium
    with factory() as session:
        session.delete(session.scalars(select(NodeAlias).where(NodeAlias.alias == "锂辉石提炼盐")).one())
        session.commit()
    running.sync_once()
    started.sync_once()
    assert top2(running) != lithium and top2(started) != lithium


def test_a_worker_started_just_after_a_bulk_write_does_not_read_it_again(live, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app.match_index import snapshots

    _, factory = live  # the small chain was imported a moment ago: every firm logged within the look-back
    index, origin = snapshots.read_database(factory)
    with factory() as session:
        logged = set(session.scalars(select(ChangeLog.id)))
    assert origin.seen and all(origin.includes(i) for i in logged)
    with factory() as session:
        assert ChangeFeed(origin).read(session) == Changes([])  # the index's read saw them all
        assert ChangeFeed(Origin(position=origin.position, taken_at=origin.taken_at)).read(session).firms
    path, _ = snapshots.build(factory, tmp_path / "snap")
    _, mapped = snapshots.open_path(path)
    assert mapped.seen == origin.seen and mapped.position == origin.position


def test_notifications_close_together_wake_one_read(live, backend: str) -> None:  # type: ignore[no-untyped-def]
    if backend != "postgresql":
        return  # SQLite has no notifications: its poll reads at a fixed pace
    url, factory = live
    holder = IndexHolder(factory)
    holder.build()
    wakes: list[float] = []

    def sync() -> int:
        wakes.append(time.monotonic())
        return holder.sync_once()

    waker = Waker(sync, database_url=url, redis_url=None, notify="auto", poll_seconds=60.0)
    waker.start()
    try:
        wait_for(lambda: len(wakes) == 1, 3.0)  # the catch-up read on listening
        time.sleep(feed_module.MIN_WAKE_GAP)
        ids = [add_product(factory, "100009", f"隔膜{k}") for k in range(8)]  # a burst of writes, as under load
        wait_for(lambda: makes(holder, ids[-1], "隔膜7"), 3.0)
        time.sleep(feed_module.MIN_WAKE_GAP * 2)
    finally:
        waker.stop()
    reads = wakes[1:]
    assert all(b - a >= feed_module.MIN_WAKE_GAP * 0.9 for a, b in zip(reads, reads[1:], strict=False)), reads
    assert len(reads) < 8  # before: a read per notification that found the last one done
