"""The time a match spends outside the engine, two checkouts side by side (paired A/B on a shared machine).

    python -m bench.match_overhead A_CHECKOUT B_CHECKOUT [--wording long] [--rounds 6] [--burst 100] [--n 100000]
                                   [--token-role leaders|operators]

One worker of each checkout (its code on PYTHONPATH), each on its own copy of bench/load.py's seeded SQLite
database, both up at once. Each round sends ``--burst`` needs of the wording (bench/match_speed.py's sets) one
after the other over one keep-alive connection, to one checkout and then the other (A then B, next round B then
A). Per request: the client's time and the answer's ``engine_ms`` (the engine's own ranking); per burst: the
worker's CPU from /proc. Reported per checkout: client p50 / p95 and engine p50 over all requests, the per-round
p50 of (client - engine) (what the HTTP request costs around the engine), and the worker's CPU per match (the
engine's code is the same in both, so B - A of it is what changed around the engine; engine_ms is wall time, which
on a crowded machine exceeds the engine's CPU, so CPU minus engine_ms is not shown). The figures to read are the
medians over rounds of B - A.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench._http_load import _post, process_tree
from bench._lean_http import LeanConnection
from bench.common.cli import find_cli, server_env
from bench.common.stats import pct
from bench.load import DEFAULT_CACHE, seeded_sqlite, serve, stop
from bench.match_speed import DEFAULT_QUERIES, wordings
from bench.route_cost import cpu_seconds


async def burst(base: str, token: str, needs: list[dict]) -> tuple[list[float], list[float]]:
    conn = LeanConnection(base)
    client, engine = [], []
    for body in needs:
        dt, code, data = await _post(conn, token, body)
        if code != 200:
            raise RuntimeError(f"{code}: {data[:200]!r}")
        client.append(dt * 1000)
        engine.append(float(json.loads(data)["engine_ms"]))
    await conn.close()
    return client, engine


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a", type=Path)
    ap.add_argument("b", type=Path)
    ap.add_argument("--wording", default="long")
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--burst", type=int, default=100)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--token-role", default="leaders")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    args = ap.parse_args(argv)
    cli = find_cli()
    if cli is None:
        print("chainmatch CLI not found")
        return 1
    needs = wordings(args.wording, args.burst, DEFAULT_QUERIES)[args.wording]
    tmp = Path(tempfile.mkdtemp(prefix="chainmatch-overhead-"))
    servers: dict[str, tuple] = {}  # type: ignore[type-arg]
    seen: dict[str, dict[str, list[float]]] = {n: {"client": [], "engine": [], "cpu": [], "outside": []}
                                               for n in ("A", "B")}
    try:
        for name, tree in (("A", args.a), ("B", args.b)):
            env = server_env() | {"PYTHONPATH": str(tree.resolve())}
            seed, env = seeded_sqlite(cli, env, args.cache, args.n, tmp, f"{name}.db")
            proc, base, ready, _ = serve(cli, env, 1, tmp / f"serve-{name}.log")
            servers[name] = (proc, base, process_tree(proc.pid))
            print(f"{name}: {tree} ready in {ready:.0f} s", flush=True)
        token = seed["tokens"][args.token_role][0]["token"]
        for name in servers:  # warm-up: the reader's caches, the first connections
            asyncio.run(burst(servers[name][1], token, needs[:20]))
        time.sleep(2)
        for k in range(args.rounds):
            for name in ("A", "B") if k % 2 == 0 else ("B", "A"):
                _, base, pids = servers[name]
                c0 = cpu_seconds(pids)
                client, engine = asyncio.run(burst(base, token, needs))
                cpu = 1000 * (cpu_seconds(pids) - c0) / len(needs)
                s = seen[name]
                s["client"] += client
                s["engine"] += engine
                s["cpu"].append(cpu)
                s["outside"].append(statistics.median(c - e for c, e in zip(client, engine, strict=True)))
    finally:
        for proc, _, _ in servers.values():
            stop(proc)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n### {args.wording}: {args.rounds} rounds of {args.burst}, A = {args.a}, B = {args.b}\n")
    print("| | client p50 / p95 ms | engine p50 ms | client − engine, p50 of rounds (spread) | "
          "worker CPU per match, median of rounds (spread) |")
    print("|---|---|---|---|---|")
    for name in ("A", "B"):
        s = seen[name]
        print(f"| {name} | {pct(s['client'], 50):.2f} / {pct(s['client'], 95):.2f} | {pct(s['engine'], 50):.2f} | "
              f"{statistics.median(s['outside']):.2f} ({min(s['outside']):.2f}–{max(s['outside']):.2f}) | "
              f"{statistics.median(s['cpu']):.2f} ({min(s['cpu']):.2f}–{max(s['cpu']):.2f}) |")
    d_out = statistics.median(b - a for a, b in zip(seen["A"]["outside"], seen["B"]["outside"], strict=True))
    d_cpu = statistics.median(b - a for a, b in zip(seen["A"]["cpu"], seen["B"]["cpu"], strict=True))
    print(f"\nmedian of B − A per round: client − engine {d_out:+.2f} ms, worker CPU per match {d_cpu:+.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
