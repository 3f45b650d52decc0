"""SQLite writers queue in the kernel, not in SQLite's busy handler.

SQLite lets one writer in at a time; the others wait in its busy handler, which sleeps 1, 2, 5 … and then 100 ms
between tries. Under load the lock sat idle for most of those sleeps: with 14 writes a second from two workers,
writes took 1.3 s at the median and held every client that made one (bench/load.py), though each needs only a
few milliseconds of the lock. Here a writer, at its first change (app/core/db.py begins writers lazily), first
takes this process's lock (threads), then an exclusive ``flock`` on a file beside the database (processes: every
worker, the CLI, a job); a waiting process tries again within 2 ms of the release. Only then does it start
``BEGIN IMMEDIATE``, and it lets go after its COMMIT or ROLLBACK, from the connection's own ``commit`` and
``rollback`` (the engine's events fire before them).

The queue only orders writers: SQLite's lock still guards the data, so a writer that does not get through the
queue in time (or a program that does not use it) falls back to the busy timeout, as before.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from pathlib import Path

# Longest a writer waits in the queue before it goes on to SQLite's own busy timeout.
QUEUE_WAIT_SECONDS = 30.0
_MAX_POLL_SECONDS = 0.002


class WriterQueue:
    """One per database file and process: a lock for the threads, a file lock for the processes.

    Not reentrant, and not bound to a thread: a request may begin its transaction in one thread of the pool and
    commit in another, so the connection, not the thread, holds its place."""

    def __init__(self, database: Path) -> None:
        self._threads = threading.Lock()
        self._fd = os.open(f"{database}.writers", os.O_RDWR | os.O_CREAT, 0o600)

    def acquire(self, timeout: float = QUEUE_WAIT_SECONDS) -> bool:
        deadline = time.monotonic() + timeout
        if not self._threads.acquire(timeout=timeout):
            return False
        if not self._lock_file(deadline):
            self._threads.release()
            return False
        return True

    def release(self) -> None:
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._threads.release()

    def _lock_file(self, deadline: float) -> bool:
        pause = 0.0002
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(pause)
                pause = min(pause * 2, _MAX_POLL_SECONDS)


_queues: dict[Path, WriterQueue] = {}
_queues_lock = threading.Lock()


def _forget_after_fork() -> None:
    """A forked worker takes its own queues: a file lock belongs to the open file, which a fork shares, so two
    processes locking through an inherited descriptor would not exclude each other."""
    global _queues_lock
    for queue in _queues.values():
        os.close(queue._fd)
    _queues.clear()
    _queues_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_after_fork)


def queue_for(database: str) -> WriterQueue | None:
    """The process's queue for a SQLite file (none for an in-memory database)."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    path = Path(database).resolve()
    with _queues_lock:
        if path not in _queues:
            _queues[path] = WriterQueue(path)
        return _queues[path]


class QueuedConnection(sqlite3.Connection):
    """A sqlite3 connection whose writer transaction begins at its first change and leaves the writer queue once
    it has ended (``lazy_writer`` is set by the engine's begin event for a writer's transaction)."""

    writer_queue: WriterQueue | None = None
    lazy_writer = False
    _queued = False

    def start_writing(self, cursor: sqlite3.Cursor | None = None) -> None:
        """A lazy writer's transaction begins here (its first change, or a lock()), unless it has already."""
        if not self.lazy_writer or self.in_transaction:
            return
        if self.writer_queue is not None and not self._queued:
            self._queued = self.writer_queue.acquire()
        (cursor or self.cursor()).execute("BEGIN IMMEDIATE")

    def _leave_queue(self) -> None:
        if self._queued:
            self._queued = False
            assert self.writer_queue is not None
            self.writer_queue.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            if not self.in_transaction:
                self._end()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._end()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._end()

    def _end(self) -> None:
        self.lazy_writer = False
        self._leave_queue()
