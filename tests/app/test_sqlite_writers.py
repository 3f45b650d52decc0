"""SQLite writers wait in the writer queue (a lock per process, a file lock across processes) and leave it once
their transaction has ended, however it ends and whichever thread ends it."""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.core.db import begin_writer, lock, make_engine, make_sessionmaker


class _Base(DeclarativeBase):
    pass


class Row(_Base):
    __tablename__ = "t"
    id: Mapped[int] = mapped_column(primary_key=True)
    who: Mapped[str]


def _queue_is_held(db: Path) -> bool:
    """Whether some writer holds the file lock (tried from a descriptor of our own, so it competes like a process)."""
    fd = os.open(f"{db}.writers", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


@pytest.fixture()
def db(tmp_path: Path) -> tuple[Path, Engine]:
    path = tmp_path / "w.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, who TEXT)"))
    yield path, engine
    engine.dispose()


def test_a_writer_holds_the_queue_until_commit_or_rollback(db: tuple[Path, Engine]) -> None:
    path, engine = db
    factory = make_sessionmaker(engine)
    for end in ("commit", "rollback", "close"):
        session = factory()
        begin_writer(session)
        session.execute(text("INSERT INTO t (who) VALUES (:w)"), {"w": end})
        assert _queue_is_held(path)
        getattr(session, end)()
        session.close()
        assert not _queue_is_held(path), end
    with engine.connect() as conn:
        assert [r[0] for r in conn.execute(text("SELECT who FROM t"))] == ["commit"]


def test_readers_never_enter_the_queue_and_a_writer_only_at_its_first_change(db: tuple[Path, Engine]) -> None:
    path, engine = db
    session = make_sessionmaker(engine)()
    session.execute(text("SELECT count(*) FROM t")).scalar()
    assert not _queue_is_held(path)
    session.close()
    writer = make_sessionmaker(engine)()
    begin_writer(writer)
    writer.execute(text("SELECT count(*) FROM t")).scalar()
    assert not _queue_is_held(path)  # reading: no lock yet
    writer.execute(text("UPDATE t SET who = who"))
    assert _queue_is_held(path)
    writer.commit()
    writer.close()
    assert not _queue_is_held(path)


def test_lock_takes_the_write_lock_before_it_reads_the_row_again(db: tuple[Path, Engine]) -> None:
    path, engine = db
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO t (id, who) VALUES (1, 'first')"))
    session = make_sessionmaker(engine)()
    begin_writer(session)
    row = session.get(Row, 1)
    assert row is not None and not _queue_is_held(path)
    with engine.begin() as conn:  # another writer changes it in between
        conn.execute(text("UPDATE t SET who = 'second' WHERE id = 1"))
    locked = lock(session, Row, 1)
    assert _queue_is_held(path)
    assert locked is row and row.who == "second"  # the check that follows sees the state as of the lock
    session.rollback()
    session.close()


def test_a_transaction_begun_in_one_thread_and_committed_in_another_leaves_the_queue(
        db: tuple[Path, Engine]) -> None:
    # FastAPI enters a sync dependency in one thread of its pool and leaves it in another.
    path, engine = db
    session = make_sessionmaker(engine)()
    opened = threading.Thread(target=lambda: (begin_writer(session),
                                              session.execute(text("INSERT INTO t (who) VALUES ('a')"))))
    opened.start()
    opened.join()
    assert _queue_is_held(path)
    closed = threading.Thread(target=lambda: (session.commit(), session.close()))
    closed.start()
    closed.join()
    assert not _queue_is_held(path)


def test_threads_of_a_process_write_one_after_another_without_lock_errors(db: tuple[Path, Engine]) -> None:
    _, engine = db
    factory = make_sessionmaker(engine)
    errors: list[BaseException] = []
    counts: list[int] = []

    def write(k: int) -> None:
        try:
            for i in range(20):
                with factory() as session:
                    begin_writer(session)
                    session.execute(text("INSERT INTO t (who) VALUES (:w)"), {"w": f"{k}-{i}"})
                    # from its first change to its commit, a writer is alone: the count is its own row's rank
                    counts.append(session.execute(text("SELECT count(*) FROM t")).scalar_one())
                    session.commit()
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(counts) == list(range(1, 121))


def _hold_writer(path: str, started, release) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{path}")
    with make_sessionmaker(engine)() as session:
        begin_writer(session)
        session.execute(text("INSERT INTO t (who) VALUES ('child')"))
        started.set()
        release.wait(10)
        session.commit()
    engine.dispose()


def test_a_writer_of_another_process_is_waited_for_in_the_queue(db: tuple[Path, Engine]) -> None:
    path, engine = db
    ctx = multiprocessing.get_context("spawn")
    started, release = ctx.Event(), ctx.Event()
    child = ctx.Process(target=_hold_writer, args=(str(path), started, release))
    child.start()
    try:
        assert started.wait(60)
        assert _queue_is_held(path)
        seen: list[int] = []

        def write() -> None:
            with make_sessionmaker(engine)() as session:
                begin_writer(session)
                session.execute(text("INSERT INTO t (who) VALUES ('parent')"))  # waits here for the child's commit
                seen.append(session.execute(text("SELECT count(*) FROM t WHERE who = 'child'")).scalar_one())
                session.commit()

        writer = threading.Thread(target=write)
        writer.start()
        writer.join(0.5)
        assert writer.is_alive() and seen == []  # still queued behind the child
        release.set()
        writer.join(30)
        assert seen == [1]  # it began after the child's commit, and saw it
    finally:
        release.set()
        child.join(30)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX only")
def test_a_forked_worker_takes_a_queue_of_its_own(tmp_path: Path) -> None:
    # The pre-fork supervisor's workers inherit its queues: a flock through an inherited descriptor is the same
    # lock (it belongs to the open file, which a fork shares), so two workers would not exclude each other.
    from app.core.sqlite_writers import queue_for

    db = tmp_path / "fork.db"
    queue = queue_for(str(db))
    assert queue is not None and queue.acquire(timeout=1)
    try:
        pid = os.fork()
        if pid == 0:  # the worker: its own queue, which must wait for the supervisor's holder
            mine = queue_for(str(db))
            os._exit(0 if mine is not queue and mine is not None and not mine.acquire(timeout=0.2) else 1)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
    finally:
        queue.release()
