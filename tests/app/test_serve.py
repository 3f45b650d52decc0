"""`chainmatch serve --workers N`: the supervisor's settings."""

from __future__ import annotations

import contextlib
import io
import pickle
import socket
from multiprocessing.reduction import ForkingPickler

import pytest

from app.core import serve


def test_a_busy_worker_is_given_a_minute_before_the_supervisor_kills_it(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[object] = []

    class FakeSupervisor:
        def __init__(self, config, sockets) -> None:  # type: ignore[no-untyped-def]
            made.append(config)
            for s in sockets:
                s.close()

        def run(self) -> None:
            return None

    monkeypatch.setattr(serve, "Multiprocess", FakeSupervisor)
    serve.run(host="127.0.0.1", port=0, workers=2)
    (config,) = made
    # uvicorn's default is 5 s: a worker holding the GIL under load missed the ping and was killed mid-request.
    assert config.timeout_worker_healthcheck >= 30  # type: ignore[attr-defined]
    assert config.workers == 2  # type: ignore[attr-defined]


@pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT"), reason="SO_REUSEPORT is Linux/BSD only")
def test_each_worker_gets_its_own_accept_queue_and_connections_reach_both() -> None:
    # A shared socket let the first worker to wake accept a whole burst of keep-alive clients; the other idled.
    parent = serve._tcp_socket("127.0.0.1", 0, reuse_port=True)
    buf = io.BytesIO()
    ForkingPickler(buf).dump([parent])  # how uvicorn sends sockets to spawned workers
    workers = [pickle.loads(buf.getvalue())[0] for _ in range(2)]
    try:
        assert all(w.fileno() != parent.fileno() and w.getsockname() == parent.getsockname() for w in workers)
        for w in workers:
            w.listen(64)
            w.setblocking(False)
        clients = [socket.create_connection(parent.getsockname()) for _ in range(40)]
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
        for s in (parent, *workers):
            s.close()
