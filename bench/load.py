"""Mixed load on 2 workers at 100,000 firms, on SQLite and PostgreSQL: throughput, latency per route, errors,
worker memory over time and /health latency, all in the same run.

    python bench/load.py [--db sqlite,postgres] [--n 100000] [--duration 60] [--clients 32] [--workers 2]
                         [--quick] [--json FILE] [--cache DIR] [--pg-url URL] [--keep]

--quick is 20,000 firms for 15 s. The generated firms (bench/make_scale_data.py) and a seeded SQLite database
(bench/_load_seed.py: leaders, published needs delivered to SMEs, tokens) are cached in --cache and reused; each
run works on a copy, migrated to the current head first. PostgreSQL gets its own database (chainmatch_load_<pid> on the
local server, created and dropped by this script; no other database is touched), imported and seeded afresh.
The mix and how errors are classified: bench/_load_mix.py. Figures are printed, never judged: the script exits
non-zero only when the set-up fails (a server that does not come up, a command that fails).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._http_load import free_port, stop
from bench._lean_http import CpuClock
from bench._load_mix import MIX, Stats, Watcher, run_mix
from bench.common.cli import REPO, find_cli, server_env
from bench.common.stats import pct
from bench.match_speed import DEFAULT_QUERIES, load_needs

DEFAULT_CACHE = Path(tempfile.gettempdir()) / "chainmatch-load-cache"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432"
# one database per run: two engineers' runs on the shared server must not drop each other's
PG_DB = f"chainmatch_load_{os.getpid()}"
STARTUP_TIMEOUT = 600.0
TARGETS = "0 errors; enterprise search p95 ≤ 100 ms; whole mix ≥ 150 req/s; start-up ≤ 30 s (PostgreSQL)"


def run(cmd: list[str], env: dict[str, str], what: str) -> str:
    res = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"{what} exited with {res.returncode}:\n{(res.stdout + res.stderr)[-3000:]}")
    return res.stdout


def seed_database(cli: str, env: dict[str, str], scale: Path, sizes: tuple[int, int, int]) -> dict:
    t = time.perf_counter()
    run([cli, "init"], env, "chainmatch init")
    run([cli, "import", "chainkg", str(scale), "-q"], env, "chainmatch import chainkg")
    imported = time.perf_counter() - t
    out = run([sys.executable, str(REPO / "bench" / "_load_seed.py"), env["CHAINMATCH_DATABASE_URL"],
               *map(str, sizes)], env, "seeding")
    seed = json.loads(out.strip().splitlines()[-1])
    seed["import_s"], seed["seed_s"] = imported, time.perf_counter() - t - imported
    return seed


def seed_sizes(n: int) -> tuple[int, int, int]:
    """Leaders, needs per leader and SME users seeded for ``n`` firms."""
    return (20, 20, 64) if n >= 50_000 else (10, 12, 32)


def scale_data(cache: Path, n: int, env: dict[str, str]) -> Path:
    """The generated chainkg folder for ``n`` firms, made once in ``cache`` and reused."""
    scale = cache / f"scale-{n}"
    if not (scale / "companies.csv.gz").exists():
        cache.mkdir(parents=True, exist_ok=True)
        run([sys.executable, "-m", "bench.make_scale_data", "--n", str(n), "--out", str(scale)], env,
            "make_scale_data")
    return scale


def seeded_sqlite(cli: str, env: dict[str, str], cache: Path, n: int, tmp: Path,
                  name: str) -> tuple[dict, dict[str, str]]:
    """A migrated copy (``tmp/name``) of the seeded SQLite database for ``n`` firms, seeded once into ``cache``;
    returns the seed (tokens, needs) and ``env`` pointing at the copy."""
    cached, seed_file = cache / f"seeded-{n}.db", cache / f"seeded-{n}.json"
    if not cached.exists():
        seeding = env | {"CHAINMATCH_DATABASE_URL": f"sqlite:///{tmp / 'seeding.db'}"}
        seed = seed_database(cli, seeding, scale_data(cache, n, env), seed_sizes(n))
        sqlite_copy(tmp / "seeding.db", cached)
        seed_file.write_text(json.dumps(seed, ensure_ascii=False))
    sqlite_copy(cached, tmp / name)
    env = env | {"CHAINMATCH_DATABASE_URL": f"sqlite:///{tmp / name}"}
    run([cli, "init"], env, "chainmatch init (migrate the copy)")
    return json.loads(seed_file.read_text()), env


def sqlite_copy(src: Path, dst: Path) -> None:
    """A consistent copy through SQLite's backup API (the WAL is folded in)."""
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)


def pg_admin(pg_url: str, sql: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(pg_url)
    with psycopg.connect(host=u.host, port=u.port or 5432, user=u.username, password=u.password,
                         dbname="postgres", autocommit=True) as con:
        con.execute(sql)  # type: ignore[arg-type]


def serve(cli: str, env: dict[str, str], workers: int, log_path: Path) -> tuple[subprocess.Popen, str, float, dict]:
    import httpx

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    t0 = time.perf_counter()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([cli, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
                                env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    while time.perf_counter() - t0 < STARTUP_TIMEOUT and proc.poll() is None:
        try:
            health = httpx.get(f"{base}/health", timeout=5.0).json()
            if health.get("index", {}).get("ready") and \
                    log_path.read_text(errors="replace").count("Application startup complete") >= workers:
                return proc, base, time.perf_counter() - t0, health
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.25)
    stop(proc)
    tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-20:])
    raise RuntimeError(f"server not ready after {time.perf_counter() - t0:.0f} s:\n{tail}")


def measure(db: str, cli: str, env: dict[str, str], seed: dict, queries: list[dict], args: argparse.Namespace,
            tmp: Path) -> dict:
    proc, base, ready_s, health = serve(cli, env, args.workers, tmp / f"serve-{db}.log")
    try:
        stats = Stats()
        watcher = Watcher(base, proc.pid).start()
        with CpuClock() as clock:
            wall = run_mix(base, seed, queries, args.clients, args.duration, stats)
        watcher.stop()
        load = os.getloadavg()
    finally:
        stop(proc)
    total = sum(len(v) for v in stats.times.values())
    return {"db": db, "server_exceptions": server_exceptions(tmp / f"serve-{db}.log"), "ready_s": ready_s,
            "index": health.get("index"), "wall_s": wall, "requests": total,
            "rps": total / wall, "generator_cpu_s": clock.cpu, "generator_line": clock.line(total),
            "loadavg_after": load, "routes": {r: summary(ts) for r, ts in sorted(stats.times.items())},
            "all": summary([t for ts in stats.times.values() for t in ts]),
            "health": summary([s for _, s, _ in watcher.health]) | {
                "failed": sum(1 for *_, st in watcher.health if st != 200)},
            "errors": {k: {r: dict(v) for r, v in routes.items()} for k, routes in stats.errors.items()},
            "expected_4xx": dict(stats.expected_4xx),
            "rss_series": [(round(t, 1), {str(p): kb for p, kb in m.items()}) for t, m in watcher.rss],
            "import_s": seed.get("import_s"), "seed_s": seed.get("seed_s")}


def server_exceptions(log: Path) -> dict[str, int]:
    """The final lines of the tracebacks in the server's log ("module.Error: text"), counted: the 500s' causes."""
    found: dict[str, int] = {}
    for line in log.read_text(errors="replace").splitlines():
        if re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Timeout)\b[^ ]*: ", line):
            key = line[:200]
            found[key] = found.get(key, 0) + 1
    return dict(sorted(found.items(), key=lambda kv: -kv[1]))


def summary(xs: list[float]) -> dict:
    if not xs:
        return {"n": 0}
    return {"n": len(xs), "p50_ms": pct(xs, 50) * 1000, "p95_ms": pct(xs, 95) * 1000, "p99_ms": pct(xs, 99) * 1000}


def rss_lines(series: list) -> list[str]:
    """Per server process: RSS at the first sample, the middle, the last, and its peak (MB)."""
    pids = sorted({p for _, m in series for p in m}, key=int)
    out = []
    for p in pids:
        vals = [m[p] / 1024 for _, m in series if p in m]
        if vals and max(vals) > 60:  # helpers are small; workers (and a pre-fork supervisor) hold the index
            out.append(f"pid {p}: {vals[0]:,.0f} → {vals[len(vals) // 2]:,.0f} → {vals[-1]:,.0f} MB "
                       f"(peak {max(vals):,.0f})")
    return out


def report(res: dict, n: int, clients: int, workers: int) -> str:
    out = [f"### Mixed load, {res['db']}: {n:,} firms, {clients} clients, {workers} workers, {res['wall_s']:.0f} s",
           "", "| route | requests | p50 ms | p95 ms | p99 ms |", "|---|---|---|---|---|"]
    for route, s in [*res["routes"].items(), ("all", res["all"]), ("/health (probe, same run)", res["health"])]:
        if s["n"]:
            out.append(f"| {route} | {s['n']} | {s['p50_ms']:.0f} | {s['p95_ms']:.0f} | {s['p99_ms']:.0f} |")
    out += ["", res.get("generator_line", ""),
            "load average at the end of the run (1/5/15 min): " + " / ".join(f"{x:.1f}" for x in res["loadavg_after"]),
            f"throughput: {res['rps']:.1f} requests/s; "
            f"start-up until every worker is ready: {res['ready_s']:.1f} s "
            f"(index build {res['index'].get('build_seconds')} s in the worker that answered)",
            f"expected 4xx (409 on a repeated interest or publish): {res['expected_4xx'] or 'none'}",
            f"/health probes failed: {res['health'].get('failed', 0)}"]
    n_err = sum(c for routes in res["errors"].values() for texts in routes.values() for c in texts.values())
    out.append(f"errors: {n_err}")
    for kind, routes in res["errors"].items():
        for route, texts in routes.items():
            for text, c in sorted(texts.items(), key=lambda kv: -kv[1])[:5]:
                out.append(f"  {kind:<15} {route:<20} {c:>5} × {text}")
    if res["server_exceptions"]:
        out.append("exceptions in the server log (a chained one is listed under each of its types):")
        out += [f"  {c:>5} × {text}" for text, c in list(res["server_exceptions"].items())[:8]]
    out += ["worker memory (RSS, first → middle → last):", *(f"  {line}" for line in rss_lines(res["rss_series"]))]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default="sqlite,postgres", help="comma-separated: sqlite, postgres (default: %(default)s)")
    ap.add_argument("--n", type=int, help="firms (default 100,000; 20,000 with --quick)")
    ap.add_argument("--duration", type=float, help="seconds of load (default 60; 15 with --quick)")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--quick", action="store_true", help="20,000 firms for 15 s")
    ap.add_argument("--json", type=Path, help="write the results here (default: load-<n>.json in the temp dir)")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="generated data and seeded SQLite databases")
    ap.add_argument("--pg-url", default=DEFAULT_PG, help="PostgreSQL server, without a database name")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (logs, database copy)")
    args = ap.parse_args(argv)
    args.n = args.n or (20_000 if args.quick else 100_000)
    args.duration = args.duration or (15.0 if args.quick else 60.0)
    cli = find_cli()
    if cli is None:
        print("chainmatch CLI not found next to this Python or in .venv/bin")
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="chainmatch-load-"))
    args.cache.mkdir(parents=True, exist_ok=True)
    queries = load_needs(DEFAULT_QUERIES, 300)
    base_env = server_env()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, "
          f"temp {tmp}; targets (not enforced): {TARGETS}")
    print("mix: " + ", ".join(f"{r} {w} %" for r, w in MIX))
    results, failed = [], False
    scale = scale_data(args.cache, args.n, base_env)
    for db in [d.strip() for d in args.db.split(",") if d.strip()]:
        try:
            if db == "sqlite":
                seed, env = seeded_sqlite(cli, base_env, args.cache, args.n, tmp, "load.db")
                results.append(measure(db, cli, env, seed, queries, args, tmp))
            elif db == "postgres":
                pg_admin(args.pg_url, f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
                pg_admin(args.pg_url, f"CREATE DATABASE {PG_DB}")
                try:
                    env = base_env | {"CHAINMATCH_DATABASE_URL": f"{args.pg_url}/{PG_DB}"}
                    seed = seed_database(cli, env, scale, seed_sizes(args.n))
                    print(f"postgres: imported in {seed['import_s']:.0f} s, seeded in {seed['seed_s']:.0f} s")
                    results.append(measure(db, cli, env, seed, queries, args, tmp))
                finally:
                    pg_admin(args.pg_url, f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            else:
                print(f"unknown --db {db}")
                failed = True
                continue
            print("\n" + report(results[-1], args.n, args.clients, args.workers) + "\n")
        except (RuntimeError, OSError, subprocess.SubprocessError, ValueError) as exc:
            print(f"problem with {db}: {type(exc).__name__}: {exc}")
            failed = True
    out = args.json or tmp / f"load-{args.n}.json"
    out.write_text(json.dumps({"n": args.n, "clients": args.clients, "workers": args.workers,
                               "duration": args.duration, "cpus": os.cpu_count(), "results": results},
                              ensure_ascii=False, indent=1))
    print(f"results written to {out}")
    if not args.keep and args.json is not None:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
