"""Fault benchmark (issue #8): what the service does when writes race, processes die and the database goes away.

    python -m bench.faults [--backends sqlite,postgresql] [--scenarios NAME,...] [--quick] [--json PATH] [--keep]

Each backend gets the demo data once (the steps of `chainmatch demo --no-serve`, run in a child process on
a SQLite temp file, or on a PostgreSQL cluster of its own that this script starts in a temp dir with
initdb/pg_ctl as the postgres user: stopping it harms no one). Every scenario then runs `chainmatch serve
--workers 2` on 127.0.0.1 on a fresh copy of that database, and only talks to it:

  read_your_writes  POST a need, GET it at once on a new connection (either worker)     bar: 0 misses in 1,000
  kill_after_ack    SIGKILL the server's process group right after a 201, restart        bar: 0 lost in 50
  duplicates        the same publish / interest / catalogue publish sent 3-5× at once;   bar: no 5xx, one effect
                    16 writers of different needs at once
  outage            the database away for 10 s under load (PostgreSQL: the cluster       bar: only 503 envelopes
                    stopped; SQLite: another process holds the write lock)               during, none after 10 s
  job_kill          every worker SIGKILLed mid-publication of a large catalogue          bar: done ≤ 30 s, no firm
                                                                                         reached twice
  login_flood       40 clients send wrong passwords to /login for 20 s; GET /api/v1/me    bar: /me p95 ≤ 1 s
                    timed from another loopback address

Figures are printed as a table (and written as JSON); the bar is reported, never enforced. The exit status
is non-zero only when the harness itself breaks (a server does not come up, seeding fails, a scenario raises).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench._faults_env import REPO, Backend, Ctx, PostgresBackend, Report, SqliteBackend, make_root, seed_child
from bench._faults_http import jsonable
from bench._faults_ops import job_kill, login_flood, outage
from bench._faults_writes import duplicates, kill_after_ack, read_your_writes

SCENARIOS: dict[str, Callable[[Ctx], Report]] = {
    "read_your_writes": read_your_writes, "kill_after_ack": kill_after_ack, "duplicates": duplicates,
    "outage": outage, "job_kill": job_kill, "login_flood": login_flood,
}
BACKENDS: dict[str, type[Backend]] = {"sqlite": SqliteBackend, "postgresql": PostgresBackend}
LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def run_backend(name: str, scenarios: list[str], args: argparse.Namespace, root: Path) -> dict[str, Any]:
    """Every chosen scenario on one backend; a scenario that raises is recorded and the next one runs."""
    out: dict[str, Any] = {"scenarios": {}, "errors": []}
    broot = root / name
    broot.mkdir()
    os.chmod(broot, 0o755)
    backend = BACKENDS[name](broot, args.pg_bin) if name == "postgresql" else BACKENDS[name](broot)
    try:
        backend.prepare()
        out["seed_s"] = round(backend.seed_s, 1)
        print(f"[{name}] demo data seeded in {backend.seed_s:.1f} s", flush=True)
        for scen in scenarios:
            ctx = Ctx(backend, broot, args.quick)
            t = time.perf_counter()
            try:
                rep = SCENARIOS[scen](ctx)
                out["scenarios"][scen] = {"rows": rep.rows, "data": rep.data, "seconds": time.perf_counter() - t}
                print(f"[{name}] {scen}: {time.perf_counter() - t:.0f} s", flush=True)
            except Exception as exc:  # noqa: BLE001 - the harness broke: report it and go on
                msg = f"{name}/{scen}: {type(exc).__name__}: {exc}"
                out["errors"].append(msg)
                out["scenarios"][scen] = {"rows": [], "data": {}, "error": msg,
                                          "traceback": traceback.format_exc()}
                print(f"[{name}] {scen} broke: {msg}", flush=True)
            finally:
                ctx.close()
    except Exception as exc:  # noqa: BLE001 - seeding or the cluster failed
        out["errors"].append(f"{name}: {type(exc).__name__}: {exc}")
        print(f"[{name}] broke: {exc}", flush=True)
    finally:
        backend.close()
    return out


def _cell(row: tuple[str, str, str, bool | None] | None) -> str:
    if row is None:
        return ""
    _, value, _, met = row
    return value + ("" if met is None else (" ✓" if met else " ✗"))


def table(results: dict[str, dict[str, Any]], scenarios: list[str]) -> str:
    """One table per scenario: a figure per row, a column per backend, the issue's bar last."""
    names = list(results)
    out: list[str] = []
    for scen in scenarios:
        out += [f"\n#### {scen}\n", "| figure | " + " | ".join(LABELS[n] for n in names) + " | bar |",
                "|---|" + "---|" * len(names) + "---|"]
        keyed = {n: {r[0]: r for r in results[n]["scenarios"].get(scen, {}).get("rows", [])} for n in names}
        figures = list(dict.fromkeys(f for n in names for f in keyed[n]))
        for fig in figures:
            bar = next((keyed[n][fig][2] for n in names if fig in keyed[n]), "")
            out.append(f"| {fig} | " + " | ".join(_cell(keyed[n].get(fig)) for n in names) + f" | {bar} |")
        for n in names:
            err = results[n]["scenarios"].get(scen, {}).get("error")
            if err:
                out.append(f"| harness error ({LABELS[n]}) | {err.splitlines()[0][:200]} |" + " |" * len(names))
    return "\n".join(out)


def commit() -> str:
    res = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO, capture_output=True,
                           text=True).stdout.strip()
    return (res.stdout.strip() or "unknown") + ("+dirty" if dirty else "")


def _names(value: str, known: dict[str, Any], what: str) -> list[str]:
    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in known]
    if unknown:
        raise SystemExit(f"unknown {what}: {', '.join(unknown)} (known: {', '.join(known)})")
    return names


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--backends", default="sqlite,postgresql", help="comma-separated (default: %(default)s)")
    ap.add_argument("--scenarios", default=",".join(SCENARIOS), help="comma-separated names (default: all)")
    ap.add_argument("--quick", action="store_true", help="fewer requests and shorter phases (about half the time)")
    ap.add_argument("--json", type=Path, help="where to write the figures (default: a new file in the temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the work dir (databases, server logs)")
    ap.add_argument("--pg-bin", type=Path, help="PostgreSQL server binaries (default: newest /usr/lib/postgresql/*)")
    ap.add_argument("--child", choices=("seed",), help=argparse.SUPPRESS)
    ap.add_argument("--url", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child == "seed":
        print(json.dumps(seed_child(args.url), ensure_ascii=False))
        return 0
    backends = _names(args.backends, BACKENDS, "backend")
    scenarios = _names(args.scenarios, SCENARIOS, "scenario")
    root = make_root(args.keep)
    t0, load0 = time.perf_counter(), os.getloadavg()[0]
    results = {b: run_backend(b, scenarios, args, root) for b in backends}
    meta = {"commit": commit(), "date": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count(),
            "quick": args.quick, "seconds": round(time.perf_counter() - t0, 1), "load_start": load0,
            "load_end": os.getloadavg()[0]}
    # The machine's load average is printed because these figures are only as good as the idle CPU behind them.
    print(f"\n### Fault benchmark: commit {meta['commit']}, {meta['date']}, {meta['cpus']} CPUs, load average "
          f"{load0:.1f} → {meta['load_end']:.1f}, {'quick, ' if args.quick else ''}{meta['seconds']:.0f} s")
    print(table(results, scenarios))
    path = args.json or Path(tempfile.gettempdir()) / f"chainmatch-faults-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(jsonable({"meta": meta, "results": results}), ensure_ascii=False, indent=1, default=str),
                    encoding="utf-8")
    print(f"\nfigures written to {path}")
    errors = [e for r in results.values() for e in r["errors"]]
    for e in errors:
        print(f"harness problem: {e}")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
