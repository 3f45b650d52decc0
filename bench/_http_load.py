"""Helpers of bench/match_speed.py: percentiles, /proc memory readings, the HTTP loops (bench/_lean_http.py)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

WARMUP = 20
REQUEST_TIMEOUT = 120.0


def proc_status_kb(pid: int | str, field: str) -> int:
    """The integer value of a /proc/<pid>/status field (kB for the Vm* fields)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def process_tree(root: int) -> list[int]:
    """root and all its descendants, found by walking /proc for PPid links."""
    parent = {int(e.name): proc_status_kb(e.name, "PPid") for e in Path("/proc").iterdir() if e.name.isdigit()}
    tree, frontier = [root], [root]
    while frontier:
        frontier = [p for p, pp in parent.items() if pp in frontier and p not in tree]
        tree += frontier
    return tree


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _post(conn, token: str, body: dict) -> tuple[float, int, bytes]:  # type: ignore[no-untyped-def]
    from bench._lean_http import HttpError

    t = time.perf_counter()
    try:
        code, data = await conn.request("POST", "/api/v1/match", json_body=body,
                                        headers={"Authorization": f"Bearer {token}"})
    except (HttpError, TimeoutError) as exc:
        code, data = 0, repr(exc).encode()
    return time.perf_counter() - t, code, data


def _run(coro):  # type: ignore[no-untyped-def]
    import asyncio

    try:
        import uvloop

        return uvloop.run(coro)
    except ImportError:
        return asyncio.run(coro)


def http_sequential(base: str, token: str, needs: list[dict], reference=None) -> dict:  # type: ignore[no-untyped-def]
    """Each need once over one keep-alive connection; with ``reference`` (text -> None, e.g. bm25s top-20),
    that is timed just before each request, so both see the same machine load query by query."""
    from bench._lean_http import LeanConnection

    async def go() -> dict:
        times, took, engine, ref, bad = [], [], [], [], []
        conn = LeanConnection(base, REQUEST_TIMEOUT)
        for body in needs[:WARMUP]:
            await _post(conn, token, body)
        for body in needs:
            if reference is not None:
                t = time.perf_counter()
                reference(body["text"] or " ".join(str(x) for x in body["nodes"]))
                ref.append(time.perf_counter() - t)
            dt, code, data = await _post(conn, token, body)
            times.append(dt)
            if code == 200:
                answer = json.loads(data)
                took.append(float(answer.get("took_ms", 0.0)))
                engine.append(float(answer.get("engine_ms", 0.0)))
            else:
                bad.append(f"{code} {body['text'][:30]!r} {body['nodes']}: {data[:200]!r}")
        await conn.close()
        return {"times": times, "took_ms": took, "engine_ms": engine, "ref": ref, "bad": bad}

    return _run(go())  # type: ignore[no-any-return]


def http_load(base: str, token: str, needs: list[dict], total: int, clients: int) -> dict:
    """``total`` requests from ``clients`` concurrent keep-alive connections; the generator's CPU is measured."""
    from bench._lean_http import CpuClock, LeanConnection

    async def go() -> dict:
        import asyncio

        todo = iter(range(total))
        times: list[float] = []
        bad: list[str] = []
        conns = [LeanConnection(base, REQUEST_TIMEOUT) for _ in range(clients)]
        await asyncio.gather(*(c.request("GET", "/health") for c in conns))

        async def client(conn) -> None:  # type: ignore[no-untyped-def]
            while (k := next(todo, None)) is not None:
                dt, code, data = await _post(conn, token, needs[k % len(needs)])
                times.append(dt)
                if code != 200:
                    bad.append(f"{code} {needs[k % len(needs)]['text'][:30]!r}: {data[:200]!r}")
            await conn.close()

        with CpuClock() as clock:
            await asyncio.gather(*(client(c) for c in conns))
        return {"wall": clock.wall, "rps": len(times) / clock.wall if clock.wall else 0.0, "times": times,
                "bad": bad, "client_cpu_s": clock.cpu}

    return _run(go())  # type: ignore[no-any-return]


def stop(proc: subprocess.Popen) -> None:  # type: ignore[type-arg]
    """Stop a server started in its own process group, and anything left in that group."""
    proc.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
