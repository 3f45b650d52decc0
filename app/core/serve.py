"""Run the API under uvicorn, with a listening socket that keeps TCP_NODELAY for several workers.

With workers > 1 uvicorn binds ``socket.socket(family)`` (protocol 0); asyncio then never sets
TCP_NODELAY on accepted connections, and each keep-alive response waits ~40 ms for a delayed ACK
(uvicorn issue #3149). Binding the socket ourselves with IPPROTO_TCP avoids it.
"""

from __future__ import annotations

import socket

import uvicorn
from uvicorn.supervisors import Multiprocess

APP = "app.asgi:app"


def _tcp_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


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
    Multiprocess(config, sockets=[_tcp_socket(host, port)]).run()
