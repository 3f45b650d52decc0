"""Server CPU per request, route by route, for the routes of the mixed load (bench/load.py), on one worker.

    python -m bench.route_cost [--n 100000] [--requests 400] [--clients 4] [--cache DIR] [--routes a,b]
                               [--pg-url URL/DB --seed FILE]

Uses bench/load.py's cached, seeded SQLite database (made on first use), serves a copy with one worker and,
for each route of bench/_load_mix.py in turn, sends ``--requests`` requests from ``--clients`` keep-alive
connections. The worker's CPU time (user + system, /proc/PID/stat) over each route's requests divided by their
number is the figure: it depends less on how busy the rest of the machine is than latency does (CPU time still
grows on a crowded machine: caches, shared cores), so it says where a saturated server's time goes, and what the
mix costs per request (sum of share × CPU). It includes the worker's background work during the run (the index
change poll, jobs), whose idle rate is shown apart: subtracting it would assume the background ran as often
under load as when idle, which a thread starved of the GIL does not. The load generator's own CPU is shown
beside it. To measure another commit, copy bench/ into a checkout of it.

With ``--pg-url`` it serves a PostgreSQL database already imported and seeded by bench/load.py's seeding (its
seed JSON in ``--seed``; the writes of the run stay in it), and also counts the CPU of that database's server
processes (backends whose command line names the database): what a request costs PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy.engine import make_url

from bench._http_load import process_tree
from bench._lean_http import CpuClock, LeanConnection
from bench._load_mix import MIX, REFERENCE_ROUTES, Scenario
from bench.common.cli import find_cli, server_env
from bench.common.stats import pct
from bench.load import DEFAULT_CACHE, seeded_sqlite, serve, stop
from bench.match_speed import DEFAULT_QUERIES, load_needs

TICK = os.sysconf("SC_CLK_TCK")


def pg_backends(database: str) -> list[int]:
    """The PostgreSQL server processes serving ``database`` now (their command line names it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if cmd.startswith("postgres: ") and f" {database} " in cmd:
                found.append(int(entry.name))
    return found


def cpu_by_pid(pids: list[int]) -> dict[int, float]:
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            found[pid] = (int(fields[11]) + int(fields[12])) / TICK  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return found


def cpu_seconds(pids: list[int]) -> float:
    return sum(cpu_by_pid(pids).values())


def cpu_since(before: dict[int, float], pids: list[int]) -> float:
    """CPU used since ``before`` by the processes alive now (one started since counts from zero; one that ended
    meanwhile is lost, not subtracted)."""
    return sum(t - before.get(pid, 0.0) for pid, t in cpu_by_pid(pids).items())


async def drive(base: str, seed: dict, queries: list[dict], route: str, requests: int, clients: int) -> dict:
    conns = [LeanConnection(base) for _ in range(clients)]
    await asyncio.gather(*(c.request("GET", "/health") for c in conns))
    todo = iter(range(requests))
    times: list[float] = []
    statuses: dict[int, int] = {}

    async def client(k: int, http: LeanConnection) -> None:
        scen = Scenario(seed, queries, random.Random(7000 + k))
        while next(todo, None) is not None:
            _, dt, status, _, _ = await scen.send(http, route)
            times.append(dt)
            statuses[status] = statuses.get(status, 0) + 1
        await http.close()

    await asyncio.gather(*(client(k, c) for k, c in enumerate(conns)))
    return {"times": times, "statuses": statuses}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--routes", default=",".join([*REFERENCE_ROUTES, *(r for r, _ in MIX)]))
    ap.add_argument("--pg-url", help="an imported, seeded PostgreSQL database (bench/load.py's seeding)")
    ap.add_argument("--seed", type=Path, help="with --pg-url: the seeding's JSON line, saved to a file")
    args = ap.parse_args(argv)
    cli = find_cli()
    if cli is None:
        print("chainmatch CLI not found")
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="chainmatch-routecost-"))
    env = server_env()
    # bench/load.py's seeded database, made once in the cache and copied for this run
    if args.pg_url:
        seed, env = json.loads(args.seed.read_text()), env | {"CHAINMATCH_DATABASE_URL": args.pg_url}
    else:
        seed, env = seeded_sqlite(cli, env, args.cache, args.n, tmp, "cost.db")
    database = make_url(args.pg_url).database if args.pg_url else None
    queries = load_needs(DEFAULT_QUERIES, 300)
    proc, base, ready_s, _ = serve(cli, env, 1, tmp / "serve.log")
    rows = []
    try:
        pids = process_tree(proc.pid)
        time.sleep(3)  # let start-up work settle
        idle0, t0 = cpu_seconds(pids), time.perf_counter()
        time.sleep(5)
        idle = (cpu_seconds(pids) - idle0) / (time.perf_counter() - t0)
        for route in [r.strip() for r in args.routes.split(",") if r.strip()]:
            backends = pg_backends(database) if database else []  # the pool's connections, opened by now
            c0, w0, p0 = cpu_seconds(pids), time.perf_counter(), cpu_by_pid(backends)
            with CpuClock() as clock:
                res = asyncio.run(drive(base, seed, queries, route, args.requests, args.clients))
            wall = time.perf_counter() - w0
            cpu = cpu_seconds(pids) - c0
            pg = cpu_since(p0, pg_backends(database)) if database else 0.0
            n = len(res["times"])
            rows.append((route, n, 1000 * cpu / n, pct(res["times"], 50) * 1000, pct(res["times"], 95) * 1000,
                         1000 * clock.cpu / n, res["statuses"], wall, 1000 * pg / n))
            print(f"{route}: {rows[-1][2]:.2f} ms CPU per request, database {rows[-1][8]:.2f} ms", flush=True)
    finally:
        stop(proc)
        shutil.rmtree(tmp, ignore_errors=True)  # the database copy: hundreds of MB
    weights = dict(MIX)
    print(f"\n### Server CPU per request, 1 worker, {args.n:,} firms, {args.clients} clients "
          f"(start-up {ready_s:.0f} s; the idle worker used {1000 * idle:.0f} ms CPU per second, included below; "
          f"load average {os.getloadavg()[0]:.1f})\n")
    print("| route | requests | server CPU ms per request | PostgreSQL CPU ms | p50 / p95 ms | s | client CPU ms | "
          "statuses |")
    print("|---|---|---|---|---|---|---|---|")
    for route, n, cpu, p50, p95, ccpu, st, wall, pg in rows:
        print(f"| {route} | {n} | {cpu:.2f} | {pg:.2f} | {p50:.1f} / {p95:.1f} | {wall:.1f} | {ccpu:.2f} | {st} |")
    share = max(sum(weights.get(r, 0) for r, *_ in rows), 1)
    mix = sum(weights.get(r, 0) * cpu for r, _, cpu, *_ in rows) / share
    if database:
        print(f"\nPostgreSQL, the mix weighted: {sum(weights.get(r[0], 0) * r[8] for r in rows) / share:.2f} ms of the "
              "database's CPU per request")
    print(f"\nthe mix, weighted: {mix:.2f} ms of server CPU per request: at most {2000 / mix:.0f} requests/s on two "
          "fully available cores with two workers, before the load generator's share")
    return 0


if __name__ == "__main__":
    sys.exit(main())
