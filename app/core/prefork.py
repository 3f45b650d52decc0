"""Several workers on one machine that share the match index: a pre-fork supervisor (``chainmatch serve --workers N``).

uvicorn's own supervisor spawns every worker as a fresh interpreter, so each imported the app (~216 MB) and opened
the snapshot and built the enterprise directory (~700 MB at 100,000 firms: the engine's per-graph Python state and
the directory are Python objects, not mapped arrays) by itself; a second worker added ~550 MB. Here the
supervisor imports the app and builds the index holder (snapshot or database read, graph, analyzer, linker,
directory) once, freezes the garbage collector's view of it (``gc.freeze``: the children's collections then never
walk, and so never write to, those pages) and forks the workers, which share the pages until they write to them
(copy on write). This is gunicorn's ``--preload``; its caveats, and what is done about them here:

- no thread runs in the supervisor (a fork copies only the forking thread, and locks held by others stay locked):
  the change feed's waker, the job runner, the webhook dispatcher are started by each worker's lifespan;
- no connection crosses the fork: the supervisor disposes of its database engine once the holder is built, each
  worker opens its own engine, Redis clients and SQLite writer queue (sqlite_writers resets itself after a fork);
- a preloaded index is as old as the supervisor: each worker takes up the change log from the holder's position
  before it serves (as it does from an older snapshot's origin), and switches to a newer snapshot as before.

A worker that dies is forked again from the same preloaded state, so it serves again within a second or so instead
of re-reading the index. When ``stale()`` says the preload is out of date (a newer snapshot: each worker has
switched to it by itself, into memory of its own), the supervisor preloads again and replaces the workers one at
a time by forks that share the new state.

Each worker binds its own SO_REUSEPORT socket (one accept queue each: with one shared socket a burst of keep-alive
clients all landed on whichever worker woke first) with IPPROTO_TCP, so asyncio sets TCP_NODELAY on accepted
connections (uvicorn issue #3149); the supervisor's socket holds the port and never listens.
A worker's event loop writes a heartbeat to a pipe every second; one silent for ``worker_healthcheck_seconds`` (a
minute) is killed and replaced. SIGTERM or SIGINT to the supervisor stops the workers gracefully, then the supervisor.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import os
import select
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import uvicorn
from uvicorn.importer import import_from_string

from app.core.config import get_settings

log = logging.getLogger("uvicorn.error")

APP = "app.asgi:app"

# A worker's loop answers within a second when idle; under load it waits for the GIL behind requests ranking in
# threads. uvicorn's 5 s killed busy workers mid-request (bench/load.py), so by default (the setting
# worker_healthcheck_seconds) a silent worker is replaced after a minute.
WORKER_HEALTHCHECK_SECONDS = 60.0
# A new worker catches up with the change log before it serves: the log since the supervisor read the index.
WORKER_STARTUP_SECONDS = 600.0
STOP_SECONDS = 30.0  # graceful shutdown of the workers before they are killed
RESPAWN_PAUSE = 1.0  # a worker that dies at once is not forked again in a tight loop
# How often the supervisor asks whether its preload is stale (a newer snapshot): a directory listing.
RELOAD_CHECK_SECONDS = 5.0
_PR_SET_PDEATHSIG = 1
_HANDLED = (signal.SIGTERM, signal.SIGINT, signal.SIGCHLD)  # the supervisor's own handlers


def bind(host: str, port: int, *, listen: bool) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if hasattr(socket, "SO_REUSEPORT"):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    if listen:
        sock.listen(2048)
    return sock


class _Worker:
    def __init__(self, pid: int, beats: int) -> None:
        self.pid, self.beats = pid, beats  # beats: the read end of the worker's heartbeat pipe
        self.forked = self.last_beat = time.monotonic()
        self.serving = False  # its loop has beaten at least once


class _BeatingServer(uvicorn.Server):
    """uvicorn's server, writing a byte to the supervisor's pipe from its event loop once a second."""

    def __init__(self, config: uvicorn.Config, beats: int) -> None:
        super().__init__(config)
        self._beats = beats

    async def on_tick(self, counter: int) -> bool:
        if counter % 10 == 0:
            with contextlib.suppress(BlockingIOError, BrokenPipeError):
                os.write(self._beats, b".")
        return await super().on_tick(counter)


class Supervisor:
    def __init__(self, app: Any, *, host: str, port: int, workers: int, preload: Callable[[], object] | None = None,
                 stale: Callable[[], bool] | None = None,
                 healthcheck_seconds: float = WORKER_HEALTHCHECK_SECONDS) -> None:
        self.host, self.port, self.count, self.pid = host, port, workers, os.getpid()
        self.preload, self.stale, self.healthcheck_seconds = preload, stale, healthcheck_seconds
        # Made here, before the fork: it configures logging once; each worker loads (wraps) the app itself.
        self.config = uvicorn.Config(app, host=host, port=port, log_level="info")
        # One listening socket shared by all workers where SO_REUSEPORT is missing; else only holds the port.
        self.sock = bind(host, port, listen=not hasattr(socket, "SO_REUSEPORT"))
        self.workers: dict[int, _Worker] = {}
        self.retiring: set[int] = set()  # replaced by workers forked from a newer preload: not forked again
        self.stopping = False
        self._wake_r, self._wake_w = os.pipe()

    def run(self) -> None:
        for fd in (self._wake_r, self._wake_w):
            os.set_blocking(fd, False)
        signal.set_wakeup_fd(self._wake_w)
        signal.signal(signal.SIGTERM, self._on_stop)
        signal.signal(signal.SIGINT, self._on_stop)
        signal.signal(signal.SIGCHLD, lambda *_: None)  # only to wake select through the wakeup fd
        log.info("Started pre-fork supervisor [%d] with %d workers", os.getpid(), self.count)
        try:
            self._load()
            for _ in range(self.count if not self.stopping else 0):
                self._fork()
            checked = time.monotonic()
            while not self.stopping:
                self._tend()
                if self.stale is not None and time.monotonic() - checked > RELOAD_CHECK_SECONDS:
                    checked = time.monotonic()
                    if self._stale() and self._load():
                        self._roll()
        finally:
            self._stop_all()

    def _stale(self) -> bool:
        try:
            return self.stale is not None and self.stale()
        except Exception:  # a vanished or unreadable snapshot folder: ask again later, keep serving
            log.warning("could not tell whether the preload is stale", exc_info=True)
            return False

    def _tend(self) -> None:
        self._watch(timeout=1.0)
        self._reap(respawn=True)
        self._check_health()

    def _load(self) -> bool:
        """Run the preload; False (the previous state kept) when a reload fails."""
        if self.preload is None:
            return True
        gc.unfreeze()  # what a reload replaces must be collectable
        gc.enable()
        started = time.perf_counter()
        try:
            self.preload()
        except Exception:
            if not self.workers:
                raise  # the first load: nothing to serve
            log.exception("reloading the preloaded state failed; the workers keep theirs")
            return False
        finally:
            # As the gc module's documentation advises for fork without exec: no collection in the supervisor
            # between forks (it would free objects and leave holes that later allocations fill, writing to
            # shared pages), everything frozen at each fork, collections on again in the children.
            gc.collect()
            gc.disable()
        log.info("Preloaded in %.1f s", time.perf_counter() - started)
        if _threads() > 1:  # a lock another thread holds at the fork stays locked in every worker
            log.warning("%d threads in the supervisor before forking: the workers inherit their locks", _threads())
        return True

    def _roll(self) -> None:
        """Replace the workers one at a time by workers forked from the new preload: each old one is stopped
        once its successor beats, so the port never lacks a worker."""
        for old in list(self.workers):
            if self.stopping:
                return
            new = self._fork()
            deadline = time.monotonic() + WORKER_STARTUP_SECONDS
            while not self.stopping and new in self.workers and not self.workers[new].serving \
                    and time.monotonic() < deadline:
                self._tend()
            if old in self.workers:  # not died (and been replaced) meanwhile
                self.retiring.add(old)
                with contextlib.suppress(ProcessLookupError):
                    os.kill(old, signal.SIGTERM)
        log.info("Replaced the workers by workers forked from the new preload")

    def _on_stop(self, sig: int, _frame: object) -> None:
        self.stopping = True

    def _fork(self) -> int:
        beats_r, beats_w = os.pipe()
        gc.freeze()  # the preloaded objects move to the permanent generation: no child's collection touches them
        # Signals wait until the child has its own handlers: the supervisor's would only set a flag in the child.
        signal.pthread_sigmask(signal.SIG_BLOCK, _HANDLED)
        pid = os.fork()
        if pid == 0:
            os.close(beats_r)
            self._child(beats_w)  # never returns
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HANDLED)
        os.close(beats_w)
        os.set_blocking(beats_r, False)
        self.workers[pid] = _Worker(pid, beats_r)
        log.info("Forked worker [%d]", pid)
        return pid

    def _child(self, beats: int) -> None:
        code = 1
        try:
            _die_with(self.pid)
            gc.enable()
            signal.set_wakeup_fd(-1)
            for sig in _HANDLED:
                signal.signal(sig, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _HANDLED)
            for fd in [self._wake_r, self._wake_w, *(w.beats for w in self.workers.values())]:
                os.close(fd)
            os.set_blocking(beats, False)
            if hasattr(socket, "SO_REUSEPORT"):
                self.sock.close()
                sock = bind(self.host, self.port, listen=True)
            else:
                sock = self.sock
            _BeatingServer(self.config, beats).run(sockets=[sock])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            log.exception("worker [%d] failed", os.getpid())
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(code)  # never back into the supervisor's code, nor its atexit handlers

    def _watch(self, timeout: float) -> None:
        by_fd = {w.beats: w for w in self.workers.values()}
        try:
            ready, _, _ = select.select([self._wake_r, *by_fd], [], [], timeout)
        except InterruptedError:
            return
        for fd in ready:
            try:
                got = os.read(fd, 4096)
            except BlockingIOError:
                continue
            if fd in by_fd and got:
                by_fd[fd].last_beat, by_fd[fd].serving = time.monotonic(), True

    def _reap(self, *, respawn: bool) -> None:
        while self.workers:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            worker = self.workers.pop(pid, None)
            if worker is None:
                continue
            os.close(worker.beats)
            if pid in self.retiring:
                self.retiring.discard(pid)
            elif respawn and not self.stopping:
                log.warning("worker [%d] exited (%s); forking another", pid, _describe(status))
                if time.monotonic() - worker.forked < RESPAWN_PAUSE:
                    time.sleep(RESPAWN_PAUSE)
                self._fork()

    def _check_health(self) -> None:
        now = time.monotonic()
        for w in list(self.workers.values()):
            silent = now - w.last_beat
            if silent > (self.healthcheck_seconds if w.serving else WORKER_STARTUP_SECONDS):
                log.error("worker [%d] silent for %.0f s; killing it", w.pid, silent)
                with contextlib.suppress(ProcessLookupError):
                    os.kill(w.pid, signal.SIGKILL)

    def _stop_all(self) -> None:
        log.info("Stopping %d workers", len(self.workers))
        for pid in self.workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        while self.workers and time.monotonic() < deadline:
            self._reap(respawn=False)
            time.sleep(0.05)
        for pid in self.workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        while self.workers:
            pid, _ = os.waitpid(-1, 0)
            worker = self.workers.pop(pid, None)
            if worker is not None:
                os.close(worker.beats)
        self.sock.close()
        log.info("Stopped pre-fork supervisor [%d]", os.getpid())


def _die_with(parent: int) -> None:
    """Ask Linux for SIGTERM when the supervisor dies, even by SIGKILL, so no worker outlives it."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # it died before the request took effect
        os._exit(1)


def _threads() -> int:
    """Threads of this process, native ones included (Linux); else those Python started."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"code {os.waitstatus_to_exitcode(status)}"


def run(*, host: str, port: int, workers: int, preload: Callable[[], object] | None = None,
        stale: Callable[[], bool] | None = None) -> None:
    """Import the app, run ``preload`` (what the workers will share), then serve the app from ``workers`` forked
    processes; when ``stale()`` says so, preload again and replace the workers by forks of the new state."""
    # By name, as uvicorn does: infrastructure does not import the app it serves (import-linter).
    app = import_from_string(APP)
    # Bound first: a port in use fails before the preload.
    Supervisor(app, host=host, port=port, workers=workers, preload=preload, stale=stale,
               healthcheck_seconds=get_settings().worker_healthcheck_seconds).run()
