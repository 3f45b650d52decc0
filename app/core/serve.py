"""Run the API under uvicorn, with listening sockets that keep TCP_NODELAY and share connections among workers.

With workers > 1 uvicorn binds ``socket.socket(family)`` (protocol 0); asyncio then never sets
TCP_NODELAY on accepted connections, and each keep-alive response waits ~40 ms for a delayed ACK
(uvicorn issue #3149). Binding the socket ourselves with IPPROTO_TCP avoids it.

uvicorn also hands every worker the same listening socket, and asyncio accepts up to ``backlog`` (2048)
connections per wake-up: a burst of keep-alive clients all landed on whichever worker woke first, and the
other worker sat idle for the whole run (bench/load.py: one worker at 1,190 MB and busy, the other untouched).
Each worker now listens on a socket of its own bound with SO_REUSEPORT, and the kernel spreads new
connections over them; the supervisor's socket holds the port and never listens.
"""

from __future__ import annotations

import functools
import socket

import uvicorn
from uvicorn.supervisors import Multiprocess

APP = "app.asgi:app"


def _tcp_socket(host: str, port: int, *, reuse_port: bool = False) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = (_WorkerSocket if reuse_port else socket.socket)(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


class _WorkerSocket(socket.socket):
    """The supervisor's bound socket (SO_REUSEPORT, never listening); each worker it is sent to binds a socket of
    its own to the same address, so that every worker has its own accept queue."""

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # uvicorn passes sockets to spawned workers by pickling them: a worker gets a new socket, not this one.
        host, port = self.getsockname()[:2]
        return functools.partial(_tcp_socket, reuse_port=True), (host, port)


# The supervisor pings each worker and kills one that does not answer in time. The answer needs the GIL, which
# a worker building its index or ranking under load holds for long stretches; with uvicorn's 5 s a busy worker
# was killed mid-request (bench/load.py: "Child process died", requests cut off) and its successor spent minutes
# rebuilding the index. A hung worker is still replaced, a minute later.
WORKER_HEALTHCHECK_SECONDS = 60


def run(*, host: str, port: int, workers: int) -> None:
    if workers <= 1:
        uvicorn.run(APP, host=host, port=port, log_level="info")
        return
    config = uvicorn.Config(APP, host=host, port=port, workers=workers, log_level="info",
                            timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS)
    Multiprocess(config, sockets=[_tcp_socket(host, port, reuse_port=hasattr(socket, "SO_REUSEPORT"))]).run()
