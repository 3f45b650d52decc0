"""`chainmatch serve --workers N`: the pre-fork supervisor's settings and sockets (live: durability/test_prefork)."""

from __future__ import annotations

import contextlib
import socket

import pytest

from app.core import prefork
from app.core.config import Settings


def test_a_busy_worker_is_given_a_minute_before_the_supervisor_kills_it() -> None:
    # uvicorn's default is 5 s: a worker holding the GIL under load missed the ping and was killed mid-request.
    assert prefork.WORKER_HEALTHCHECK_SECONDS >= 30
    assert Settings().worker_healthcheck_seconds >= 30
    assert prefork.WORKER_STARTUP_SECONDS >= prefork.WORKER_HEALTHCHECK_SECONDS


@pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT"), reason="SO_REUSEPORT is Linux/BSD only")
def test_each_worker_gets_its_own_accept_queue_and_connections_reach_both() -> None:
    # A shared socket let the first worker to wake accept a whole burst of keep-alive clients; the other idled.
    holder = prefork.bind("127.0.0.1", 0, listen=False)  # the supervisor's: holds the port, never listens
    host, port = holder.getsockname()
    workers = [prefork.bind(host, port, listen=True) for _ in range(2)]
    try:
        assert all(w.proto == socket.IPPROTO_TCP for w in workers)  # asyncio then sets TCP_NODELAY
        for w in workers:
            w.setblocking(False)
        clients = [socket.create_connection((host, port)) for _ in range(40)]
        accepted = [0, 0]
        for k, w in enumerate(workers):
            with contextlib.suppress(BlockingIOError):
                while True:
                    conn, _ = w.accept()
                    conn.close()
                    accepted[k] += 1
        # the kernel spreads connections by a hash of their addresses: 40 all on one side is ~1e-12
        assert sum(accepted) == 40 and min(accepted) > 0
        for c in clients:
            c.close()
    finally:
        for s in (holder, *workers):
            s.close()
