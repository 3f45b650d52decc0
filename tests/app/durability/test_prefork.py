"""`chainmatch serve --workers 2` under the pre-fork supervisor (app/core/prefork.py): both workers answer, a change
through one reaches the other's matches, a killed worker is forked again, a newer snapshot is preloaded and the
workers replaced, SIGTERM leaves no process behind.

Which worker answers a connection is read from /proc: the worker holding the server side of the client's port.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench._http_load import process_tree
from tests.app.durability.live import CLI, LiveServer, live_server
from tests.conftest import REPO

if not Path("/proc/net/tcp").exists():
    pytest.skip("needs Linux's /proc to see which worker holds a connection", allow_module_level=True)


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[LiveServer]:
    live = live_server(tmp_path, "sqlite", CHAINMATCH_SNAPSHOT_DIR=str(tmp_path / "snapshots"))
    live.start()
    try:
        yield live
    finally:
        live.stop()


def server_env(server: LiveServer) -> dict[str, str]:
    return {**os.environ, "CHAINMATCH_DATABASE_URL": server.url, "PYTHONPATH": str(REPO), **server.env}


def workers(server: LiveServer) -> list[int]:
    assert server.proc is not None
    return process_tree(server.proc.pid)[1:]


def _holder(port: int, client_port: int, pids: list[int]) -> int | None:
    """The worker whose socket is the server side of the connection from ``client_port``."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        cols = line.split()
        if int(cols[1].split(":")[1], 16) == port and int(cols[2].split(":")[1], 16) == client_port:
            inodes.add(f"socket:[{cols[9]}]")
    for pid in pids:
        try:
            fds = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
        except FileNotFoundError:
            continue
        if inodes & set(fds):
            return pid
    return None


def connection_to_each(server: LiveServer) -> dict[int, http.client.HTTPConnection]:
    """One keep-alive connection held by each worker (new connections are spread by the kernel's hash)."""
    pids = workers(server)
    got: dict[int, http.client.HTTPConnection] = {}
    for _ in range(64):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        assert call(conn, "GET", "/health")[0] == 200  # answered, so accepted by a worker
        pid = _holder(server.port, conn.sock.getsockname()[1], pids)
        if pid is not None and pid not in got:
            got[pid] = conn
        else:
            conn.close()
        if len(got) == len(pids):
            return got
    raise AssertionError(f"connections reached only workers {sorted(got)} of {pids}")


def call(conn: http.client.HTTPConnection, method: str, path: str, body: object = None,
         headers: dict[str, str] | None = None) -> tuple[int, object]:
    data = json.dumps(body).encode() if body is not None else None
    conn.request(method, path, body=data, headers={"Content-Type": "application/json", **(headers or {})})
    r = conn.getresponse()
    return r.status, json.loads(r.read() or b"null")


def first_separator_maker(conn: http.client.HTTPConnection, server: LiveServer) -> str:
    status, got = call(conn, "POST", "/api/v1/match", {"nodes": ["隔膜"], "limit": 5}, server.headers("operator"))
    assert status == 200, got
    return str(got["items"][0]["enterprise"]["code"])  # type: ignore[index]


def test_two_forked_workers_share_changes_restart_and_stop_cleanly(server: LiveServer) -> None:
    pids = workers(server)
    assert len(pids) == 2
    conns = connection_to_each(server)  # both workers answer
    one, other = (conns[p] for p in pids)
    assert {first_separator_maker(c, server) for c in (one, other)} == {"100005"}

    # a change through one worker reaches the other's matches (the change log, polled every 0.5 s on SQLite)
    caps = {"capabilities": [{"product": "隔膜", "revenue_share": 0.99}]}
    status, got = call(one, "PATCH", "/api/v1/enterprises/100008", caps, server.headers("operator"))
    assert status == 200, got
    written = time.monotonic()
    while first_separator_maker(other, server) != "100008":
        assert time.monotonic() - written < 3, "the other worker never saw the change"
        time.sleep(0.02)

    # a killed worker is forked again from the preloaded index, which catches up with the change log
    os.kill(pids[0], signal.SIGKILL)
    killed = time.monotonic()
    while True:
        now = workers(server)
        if len(now) == 2 and pids[0] not in now:
            try:
                conns = connection_to_each(server)
                break
            except (AssertionError, OSError):
                pass
        assert time.monotonic() - killed < 30, "no worker replaced the killed one"
        time.sleep(0.05)
    print(f"a killed worker was replaced and answering after {time.monotonic() - killed:.2f} s")
    (new,) = set(conns) - {pids[1]}
    assert first_separator_maker(conns[new], server) == "100008"
    for c in conns.values():
        c.close()

    # a newer snapshot: the supervisor preloads it and replaces both workers by forks that share it
    before = set(workers(server))
    subprocess.run([str(CLI), "index", "build"], env=server_env(server), check=True, capture_output=True, timeout=120)
    built = time.monotonic()
    while not (set(workers(server)) & before == set() and len(workers(server)) == 2):
        assert time.monotonic() - built < 60, "the workers were not replaced after a new snapshot"
        time.sleep(0.1)
    conns = connection_to_each(server)
    for c in conns.values():
        status, health = call(c, "GET", "/health")
        assert health["index"]["snapshot"] == 2, health  # type: ignore[index]
        assert first_separator_maker(c, server) == "100008"
        c.close()

    # SIGTERM to the supervisor stops every worker, then itself
    assert server.proc is not None
    everyone = process_tree(server.proc.pid)
    server.proc.send_signal(signal.SIGTERM)
    assert server.proc.wait(timeout=30) == 0
    server.proc = None
    for pid in everyone:
        assert not Path(f"/proc/{pid}").exists(), f"process {pid} outlived the supervisor"


def test_a_hung_worker_is_killed_and_replaced(tmp_path: Path) -> None:
    live = live_server(tmp_path, "sqlite", CHAINMATCH_WORKER_HEALTHCHECK_SECONDS="4")
    live.start()
    try:
        hung = workers(live)[0]
        os.kill(hung, signal.SIGSTOP)  # its event loop stops beating
        stopped = time.monotonic()
        while hung in workers(live) or len(workers(live)) < 2:
            assert time.monotonic() - stopped < 30, "the hung worker was not replaced"
            time.sleep(0.1)
        print(f"a hung worker was replaced after {time.monotonic() - stopped:.1f} s")
        assert len(connection_to_each(live)) == 2
    finally:
        live.stop()
