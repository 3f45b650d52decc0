"""What a second worker costs, and how soon a killed worker serves again: bench/scale.py's memory step alone, for
one or several checkouts of the server code on the same data (an A/B in one run).

    python -m bench.scale_memory [--firms 100000] [--code /work/main --code .] [--load-requests 3000]
                                 [--cache DIR] [--keep]

Per size: the generated firms (cached, as bench.scale), a private PostgreSQL primary, `chainmatch import chainkg`
and `chainmatch index build` once; then, per --code checkout (PYTHONPATH first), `chainmatch serve` from the
snapshot with 1 worker, then 2: time to ready, each process's USS / PSS / RSS (/proc/PID/smaps_rollup), and with 2
workers the time from kill -9 of a worker until a new one has started its application and the server answers,
and (--load-requests) the memory again after the 2 workers have served that many matches.

"What the second worker adds" is reported two ways: the workers' PSS (bench.scale's figure), and the whole process
tree's, supervisor included: a pre-fork supervisor holds a share of the pages it shares with its workers, which
the workers' PSS alone would leave out. No replica (memory does not depend on it); see bench.scale for the rest.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._faults_env import PrivatePostgres, Server, child_env
from bench._http_load import http_load, process_tree
from bench._pg_replica import subroot
from bench.common.cli import require_cli
from bench.load import DEFAULT_CACHE, run, scale_data
from bench.match_speed import DEFAULT_QUERIES, load_needs
from bench.scale import STARTUP_TIMEOUT, smaps, workers_of

RESTART_TIMEOUT = 300.0


def started(server: Server) -> int:
    return server.log_path.read_text(errors="replace").count("Application startup complete")


def restart_seconds(server: Server) -> float:
    """kill -9 one worker; seconds until a new worker has started its application and the server answers."""
    import httpx

    before = started(server)
    victim = workers_of(server)[0]
    os.kill(victim, signal.SIGKILL)
    t = time.perf_counter()
    while time.perf_counter() - t < RESTART_TIMEOUT:
        if started(server) > before and victim not in workers_of(server):
            with_new = time.perf_counter() - t
            httpx.get(f"{server.base}/health", timeout=10).raise_for_status()
            return with_new
        time.sleep(0.02)
    raise RuntimeError(f"no worker replaced {victim} within {RESTART_TIMEOUT:.0f} s")


def serve_matches(server: Server, load: dict[str, Any]) -> dict[str, Any]:
    """``load["requests"]`` matches from 8 keep-alive clients (bench.scale's throughput step)."""
    got = http_load(server.base, load["token"], load["needs"], load["requests"], 8)
    return {"rps": got["rps"], "bad": len(got["bad"])}


def measure(env: dict[str, str], root: Path, label: str, load: dict[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for workers in (1, 2):
        node = Server(env, root, f"{label}-w{workers}", workers=workers, ready_timeout=STARTUP_TIMEOUT)
        try:
            out[f"start_w{workers}_s"] = node.start()
            time.sleep(2)  # let start-up garbage settle
            assert node.proc is not None
            out[f"workers_w{workers}"] = [smaps(p) for p in workers_of(node)]
            out[f"tree_w{workers}"] = [smaps(p) for p in process_tree(node.proc.pid)]
            if workers == 2 and load is not None:  # what copy-on-write unshares as the workers serve
                out["load"] = serve_matches(node, load)
                out["tree_after_load"] = [smaps(p) for p in process_tree(node.proc.pid)]
                out["workers_after_load"] = [smaps(p) for p in workers_of(node)]
            if workers == 2:
                out["restart_s"] = restart_seconds(node)
                time.sleep(2)
                out["workers_after_restart"] = [smaps(p) for p in workers_of(node)]
        finally:
            node.stop()
        print(f"  {label}: {workers} worker(s) ready in {out[f'start_w{workers}_s']:.1f} s", flush=True)
    return out


def report(n: int, runs: dict[str, dict[str, Any]]) -> str:
    def pss(ms: list[dict[str, float]]) -> float:
        return sum(m["pss"] for m in ms)

    rows = ["| figure | " + " | ".join(runs) + " |", "|---|" + "---|" * len(runs)]
    figures = [
        ("start-up from the snapshot, 1 worker / 2 workers", lambda r: f"{r['start_w1_s']:.1f} s / "
                                                                        f"{r['start_w2_s']:.1f} s"),
        ("1 worker: USS / PSS / RSS", lambda r: "{uss:,.0f} / {pss:,.0f} / {rss:,.0f} MB".format(**r["workers_w1"][0])),
        ("2 workers: USS each", lambda r: " + ".join(f"{m['uss']:,.0f}" for m in r["workers_w2"]) + " MB"),
        ("2 workers: PSS sum (workers) / (whole tree, supervisor included)",
         lambda r: f"{pss(r['workers_w2']):,.0f} / {pss(r['tree_w2']):,.0f} MB"),
        ("**second worker adds**, workers' PSS (bench.scale's figure)",
         lambda r: f"{pss(r['workers_w2']) - pss(r['workers_w1']):,.0f} MB"),
        ("**second worker adds**, whole tree's PSS", lambda r: f"{pss(r['tree_w2']) - pss(r['tree_w1']):,.0f} MB"),
        ("after the matches (--load-requests): USS each / whole tree's PSS",
         lambda r: " + ".join(f"{m['uss']:,.0f}" for m in r["workers_after_load"])
         + f" / {pss(r['tree_after_load']):,.0f} MB ({r['load']['rps']:.0f} matches/s, {r['load']['bad']} non-200)"
         if "load" in r else "not run"),
        ("kill -9 of a worker → a new one started and answering", lambda r: f"{r['restart_s']:.2f} s"),
        ("2 workers after the restart: USS each", lambda r: " + ".join(f"{m['uss']:,.0f}"
                                                                        for m in r["workers_after_restart"]) + " MB"),
    ]
    for name, fmt in figures:
        rows.append(f"| {name} | " + " | ".join(fmt(r) for r in runs.values()) + " |")
    return f"### Second worker, {n:,} firms\n\n" + "\n".join(rows)


def one_size(n: int, args: argparse.Namespace, root: Path) -> dict[str, dict[str, Any]]:
    primary = PrivatePostgres(subroot(root, "primary"))
    try:
        primary.init()
        env = child_env(primary.url(), rate_limit_per_token="0", rate_limit_per_ip="0")
        cli = require_cli()
        data = scale_data(args.cache, n, env)
        t = time.perf_counter()
        run([cli, "init"], env, "chainmatch init")
        run([cli, "import", "chainkg", str(data), "-q"], env, "chainmatch import chainkg")
        run([cli, "index", "build", "--dir", str(root / "snap")], env, "index build")
        print(f"[{n:,}] imported and snapshot built in {time.perf_counter() - t:.1f} s", flush=True)
        node_env = {**env, "CHAINMATCH_SNAPSHOT_DIR": str(root / "snap"), "CHAINMATCH_DISPATCH_WEBHOOKS": "false"}
        load = None
        if args.load_requests:
            token = run([cli, "token", "create", "--role", "operator", "--name", "bench"], env, "token").split()[-1]
            load = {"token": token, "needs": load_needs(args.queries, 200), "requests": args.load_requests}
        runs = {}
        for code in args.code or [Path.cwd()]:
            code = code.resolve()
            runs[str(code)] = measure({**node_env, "PYTHONPATH": str(code)}, root, code.name, load)
        return runs
    finally:
        primary.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--firms", type=int, action="append", help="sizes (default 100000)")
    ap.add_argument("--code", type=Path, action="append", help="checkouts of the server code to compare")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where the generated firms are kept")
    ap.add_argument("--load-requests", type=int, default=0,
                    help="matches served by 2 workers before their memory is measured again (0: none)")
    ap.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--json", type=Path, help="also write the raw figures here")
    args = ap.parse_args(argv)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    results = {}
    for n in args.firms or [100_000]:
        root = Path(tempfile.mkdtemp(prefix=f"chainmatch-scale-memory-{n}-"))
        root.chmod(0o755)
        try:
            results[n] = one_size(n, args, root)
            if args.json:
                args.json.write_text(json.dumps(results, default=str), encoding="utf-8")
            print(f"\n{report(n, results[n])}\n\nload average {os.getloadavg()[0]:.1f}", flush=True)
        finally:
            if args.keep:
                print(f"kept {root}")
            else:
                shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
