"""Server CPU per request of two checkouts side by side, fed in alternating bursts (paired A/B on a shared machine).

    python -m bench.route_pair A_CHECKOUT B_CHECKOUT [--routes me,match] [--rounds 8] [--burst 200] [--n 100000]
                               [--pg-template DB --seed FILE [--pg-url URL]]

One worker of each checkout (its code on PYTHONPATH), each on its own copy of bench/load.py's seeded SQLite
database, both up at once. Each round sends ``--burst`` requests of a route to one and then the other (A then B,
next round B then A), four keep-alive clients, and reads the worker's CPU from /proc around each burst. On a
machine whose neighbours come and go, one server measured after the other moves by more than a small change does
(bench/route_cost.py alone); two measured in the same minute, burst against burst, see the same neighbours. The
figure to read is the median over rounds of B − A. Every request must answer 200.

With ``--pg-template DB --seed FILE`` each checkout serves its own copy (CREATE DATABASE … TEMPLATE) of a PostgreSQL
database imported and seeded by bench/load.py's seeding (FILE: the seeding's JSON line), on ``--pg-url``'s server,
and the database's CPU for each burst (its backends, from /proc) is reported beside the server's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._http_load import process_tree
from bench.common.cli import find_cli, server_env
from bench.load import DEFAULT_CACHE, DEFAULT_PG, pg_admin, seeded_sqlite, serve, stop
from bench.match_speed import DEFAULT_QUERIES, load_needs
from bench.route_cost import cpu_by_pid, cpu_seconds, cpu_since, drive, pg_backends


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a", type=Path)
    ap.add_argument("b", type=Path)
    ap.add_argument("--routes", default="me,match")
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--burst", type=int, default=200)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--pg-url", default=DEFAULT_PG, help="PostgreSQL server, without a database name")
    ap.add_argument("--pg-template", help="a seeded PostgreSQL database to copy for each checkout")
    ap.add_argument("--seed", type=Path, help="with --pg-template: the seeding's JSON line, saved to a file")
    args = ap.parse_args(argv)
    cli = find_cli()
    if cli is None:
        print("chainmatch CLI not found")
        return 1
    routes = [r.strip() for r in args.routes.split(",") if r.strip()]
    tmp = Path(tempfile.mkdtemp(prefix="chainmatch-routepair-"))
    queries = load_needs(DEFAULT_QUERIES, 300)
    servers: dict[str, tuple[subprocess.Popen, str, list[int]]] = {}  # type: ignore[type-arg]
    seed: dict = {}  # type: ignore[type-arg]
    copies = {n: f"{args.pg_template}_{n.lower()}{os.getpid()}" for n in ("A", "B")} if args.pg_template else {}
    try:
        for name, tree in (("A", args.a), ("B", args.b)):
            env = server_env() | {"PYTHONPATH": str(tree.resolve())}
            if copies:
                pg_admin(args.pg_url, f"CREATE DATABASE {copies[name]} TEMPLATE {args.pg_template}")
                seed, env = json.loads(args.seed.read_text()), env | {
                    "CHAINMATCH_DATABASE_URL": f"{args.pg_url}/{copies[name]}"}
            else:
                seed, env = seeded_sqlite(cli, env, args.cache, args.n, tmp, f"{name}.db")
            proc, base, ready, _ = serve(cli, env, 1, tmp / f"serve-{name}.log")
            servers[name] = (proc, base, process_tree(proc.pid))
            print(f"{name}: {tree} ready in {ready:.0f} s", flush=True)
        time.sleep(3)  # let start-up work settle
        cpu: dict[tuple[str, str], list[float]] = {(n, r): [] for n in servers for r in routes}
        db_cpu: dict[tuple[str, str], list[float]] = {(n, r): [] for n in servers for r in routes}
        for k in range(args.rounds):
            for route in routes:
                for name in ("A", "B") if k % 2 == 0 else ("B", "A"):
                    _, base, pids = servers[name]
                    backends = pg_backends(copies[name]) if copies else []
                    c0, p0 = cpu_seconds(pids), cpu_by_pid(backends)
                    res = asyncio.run(drive(base, seed, queries, route, args.burst, 4))
                    cpu[(name, route)].append(1000 * (cpu_seconds(pids) - c0) / args.burst)
                    if copies:
                        db_cpu[(name, route)].append(1000 * cpu_since(p0, pg_backends(copies[name])) / args.burst)
                    if set(res["statuses"]) - {200, 409}:  # 409: a repeated interest or publish
                        raise RuntimeError(f"{name} {route}: statuses {res['statuses']}")
    finally:
        for proc, _, _ in servers.values():
            stop(proc)
        shutil.rmtree(tmp, ignore_errors=True)  # the database copies: hundreds of MB each
        for copy in copies.values():
            pg_admin(args.pg_url, f"DROP DATABASE IF EXISTS {copy} WITH (FORCE)")
    print(f"\n### Server CPU per request, A = {args.a}, B = {args.b}: {args.rounds} rounds of {args.burst} "
          f"(load average {os.getloadavg()[0]:.1f})\n")
    print("| route | A median (mean) ms | B median (mean) ms | median of B − A per round | A rounds | B rounds |")
    print("|---|---|---|---|---|---|")
    for route in routes:
        a, b = cpu[("A", route)], cpu[("B", route)]
        delta = statistics.median(y - x for x, y in zip(a, b, strict=True))
        print(f"| {route} | {statistics.median(a):.2f} ({statistics.mean(a):.2f}) | {statistics.median(b):.2f} "
              f"({statistics.mean(b):.2f}) | {delta:+.2f} | {' '.join(f'{x:.2f}' for x in a)} "
              f"| {' '.join(f'{x:.2f}' for x in b)} |")
    if copies:
        print("\nPostgreSQL CPU per request (its backends), median A / B: " + ", ".join(
            f"{r} {statistics.median(db_cpu[('A', r)]):.2f} / {statistics.median(db_cpu[('B', r)]):.2f}"
            for r in routes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
