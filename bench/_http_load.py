"""Helpers of bench/match_speed.py: percentiles, /proc memory readings, and the HTTP load loops (httpx)."""

from __future__ import annotations

import json
import socket
import threading
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


def timed_post(client, body: dict) -> tuple[float, int, str]:  # type: ignore[no-untyped-def]
    import httpx

    t = time.perf_counter()
    try:
        r = client.post("/api/v1/match", json=body)
        code, text = r.status_code, r.text
    except httpx.HTTPError as exc:
        code, text = 0, repr(exc)
    return time.perf_counter() - t, code, text


def client_for(base: str, token: str):  # type: ignore[no-untyped-def]
    import httpx

    return httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=REQUEST_TIMEOUT)


def http_sequential(base: str, token: str, needs: list[dict]) -> dict:
    times, took, bad = [], [], []
    with client_for(base, token) as client:
        for body in needs[:WARMUP]:
            timed_post(client, body)
        for body in needs:
            dt, code, text = timed_post(client, body)
            times.append(dt)
            if code == 200:
                took.append(float(json.loads(text).get("took_ms", 0.0)))
            else:
                bad.append(f"{code} {body['text'][:30]!r} {body['nodes']}: {text[:200]}")
    return {"times": times, "took_ms": took, "bad": bad}


def http_load(base: str, token: str, needs: list[dict], total: int, threads: int) -> dict:
    lock, start = threading.Lock(), threading.Barrier(threads + 1)
    todo = iter(range(total))
    times: list[float] = []
    bad: list[str] = []

    def worker() -> None:
        with client_for(base, token) as client:
            start.wait()
            while True:
                with lock:
                    k = next(todo, None)
                if k is None:
                    return
                dt, code, text = timed_post(client, needs[k % len(needs)])
                with lock:
                    times.append(dt)
                    if code != 200:
                        bad.append(f"{code} {needs[k % len(needs)]['text'][:30]!r}: {text[:200]}")

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for th in pool:
        th.start()
    start.wait()
    t0 = time.perf_counter()
    for th in pool:
        th.join()
    wall = time.perf_counter() - t0
    return {"wall": wall, "rps": len(times) / wall if wall else 0.0, "times": times, "bad": bad}
