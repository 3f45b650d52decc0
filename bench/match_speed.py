"""Match speed at scale: index build time and memory, HTTP latency and throughput, against in-process bm25s.

    python bench/match_speed.py [--n 100000 | --scale-dir DIR] [--workers 1,2] [--requests 300]
                                [--load-requests 600] [--threads 4] [--keep]

A make_scale_data.py folder (generated into a temp dir unless --scale-dir is given) is imported into a fresh
SQLite database with the CLI (`chainmatch init`, `chainmatch import chainkg DIR -q`) and an operator token is
made. Then, each in its own process:
  * the index is built exactly as the app does (IndexHolder.build()): build seconds, VmRSS after it, VmHWM;
  * the reference: bm25s over character bigrams of name + product list (the baseline of bench/quality.py),
    timed per query as get_scores + top-20 selection, on the same records read from the same database;
  * `chainmatch serve --workers W` on 127.0.0.1 for each W: time to ready, sequential latency of each need once
    (after a warm-up) over one keep-alive client, throughput with --threads clients, server RSS (whole tree).
The needs are B1 and B2 queries of ../shared/bench/queries.jsonl (half each, evenly spaced, deterministic) with
exclude = [] (the real companies' codes do not exist in the scale set). Targets are printed, never enforced:
the script exits non-zero only when a command fails, the server does not come up, or a request is not 200.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._http_load import free_port, http_load, http_sequential, proc_status_kb, process_tree
from bench.common.bm25 import BigramBM25
from bench.common.cli import find_cli
from bench.common.stats import pct

REPO = Path(__file__).resolve().parent.parent
DEFAULT_QUERIES = REPO.parent / "shared" / "bench" / "queries.jsonl"
TARGETS = {"build_s": 60.0, "rss_mb": 1536.0, "p50_ratio": 4.0, "p95_ratio": 6.0}
WARMUP = 20  # also in _http_load
STARTUP_TIMEOUT = 420.0


def run(cmd: list[str], env: dict[str, str], what: str) -> subprocess.CompletedProcess[str]:
    res = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"{what} exited with {res.returncode}:\n{(res.stdout + res.stderr)[-2000:]}")
    return res


def child_json(args: list[str], env: dict[str, str], what: str) -> dict:
    res = run([sys.executable, "-m", "bench.match_speed", *args], env, what)
    return json.loads(res.stdout.strip().splitlines()[-1])


def load_needs(path: Path, total: int) -> list[dict]:
    """total/2 B1 and total/2 B2 queries, evenly spaced through the file; bodies for POST /api/v1/match."""
    qs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    out: list[dict] = []
    for prefix, want in (("B1-", total - total // 2), ("B2-", total // 2)):
        kind = [q for q in qs if q["id"].startswith(prefix)]
        picked = [kind[i * len(kind) // want] for i in range(min(want, len(kind)))]
        out += [{"text": q["text"], "nodes": q["nodes"], "scope": q["scope"], "exclude": [], "limit": 20}
                for q in picked]
    return out


# ------------------------------------------------------------------------------------------ child: build
def child_build(url: str) -> dict:
    from app.core.db import make_engine, make_sessionmaker
    from app.match_index.holder import IndexHolder

    holder = IndexHolder(make_sessionmaker(make_engine(url)))
    holder.build()
    return {"build_s": holder.build_seconds, "status": holder.status(),
            "rss_mb": proc_status_kb("self", "VmRSS") / 1024, "hwm_mb": proc_status_kb("self", "VmHWM") / 1024}


# ------------------------------------------------------------------------------------------- child: bm25
def child_bm25(url: str, needs_file: str) -> dict:
    from app.core.db import make_engine, make_sessionmaker
    from app.match_index.snapshot import load_records

    needs = json.loads(Path(needs_file).read_text(encoding="utf-8"))
    t = time.perf_counter()
    with make_sessionmaker(make_engine(url))() as session:
        records = load_records(session)
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    baseline = BigramBM25(records)
    index_s = time.perf_counter() - t
    rss_mb = proc_status_kb("self", "VmRSS") / 1024

    def retrieve(text: str) -> None:
        """The library's own call: bigram the text, then BM25.retrieve(k=20)."""
        toks = baseline.tokens(text)
        if toks:
            baseline.retrieve(toks, k=20, n_threads=1)

    texts = [n["text"] or " ".join(str(x) for x in n["nodes"]) for n in needs]
    for text in texts[:WARMUP]:
        baseline.top(text, 20), baseline.top(text, 20, full=True)
    for text in texts[:WARMUP]:
        retrieve(text)
    times, full_times, retrieve_times, hits = [], [], [], 0
    for text in texts:
        t = time.perf_counter()
        hits += len(baseline.top(text, 20))
        t1 = time.perf_counter()
        baseline.top(text, 20, full=True)
        t2 = time.perf_counter()
        retrieve(text)
        times.append(t1 - t)
        full_times.append(t2 - t1)
        retrieve_times.append(time.perf_counter() - t2)
    return {"records": len(records), "load_s": load_s, "index_s": index_s, "rss_mb": rss_mb, "times": times,
            "full_times": full_times, "retrieve_times": retrieve_times, "mean_hits": hits / len(texts),
            "source": "bench/common/bm25.py"}


# -------------------------------------------------------------------------------------------- HTTP runs
def bench_server(cli: str, env: dict[str, str], token: str, needs: list[dict], workers: int, load_total: int,
                 threads: int, tmp: Path) -> dict:
    import httpx

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp / f"serve-w{workers}.log"
    res: dict = {"workers": workers, "log": log_path}
    with open(log_path, "wb") as log:
        t0 = time.perf_counter()
        proc = subprocess.Popen([cli, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers",
                                 str(workers)], env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        ready = False
        while time.perf_counter() - t0 < STARTUP_TIMEOUT and proc.poll() is None:
            try:
                h = httpx.get(f"{base}/health", timeout=5.0).json()
                started = log_path.read_text(errors="replace").count("Application startup complete")
                if h.get("index", {}).get("ready") and started >= workers:
                    ready, res["health"] = True, h
                    break
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.5)
        res["ready_s"] = time.perf_counter() - t0
        if not ready:
            state = f"exited with {proc.returncode}" if proc.poll() is not None else "timed out"
            tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-15:])
            res["error"] = f"server with {workers} worker(s) not ready ({state}) after {res['ready_s']:.0f} s:\n{tail}"
            return res
        res["rss_ready_mb"] = sum(proc_status_kb(p, "VmRSS") for p in process_tree(proc.pid)) / 1024
        res["seq"] = http_sequential(base, token, needs)
        res["load"] = http_load(base, token, needs, load_total, threads)
        tree = process_tree(proc.pid)
        res["procs"] = len(tree)
        res["rss_mb"] = sum(proc_status_kb(p, "VmRSS") for p in tree) / 1024
        res["hwm_mb"] = sum(proc_status_kb(p, "VmHWM") for p in tree) / 1024
        return res
    except Exception as exc:  # noqa: BLE001 - report and go on to the next configuration
        res["error"] = f"server with {workers} worker(s): {type(exc).__name__}: {exc}"
        return res
    finally:  # stop the server and anything left in the process group it was started in
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


# ------------------------------------------------------------------------------------------------ report
def verdict(value: float, limit: float) -> str:
    return "met" if value <= limit else "MISSED"


def ms3(xs: list[float], qs: tuple[int, ...] = (50, 95, 99), scale: float = 1000, fmt: str = ".1f") -> str:
    return " / ".join(f"{pct(xs, q) * scale:{fmt}}" for q in qs) + " ms"


def table(setup: dict, build: dict | None, bm: dict | None, servers: list[dict], threads: int) -> str:
    rows = [("data set", f"{setup['n']:,} enterprises, {setup.get('capabilities', 0):,} capability rows", ""),
            ("import (init + import chainkg -q)", f"{setup.get('import_s', 0):.1f} s", "")]
    if build:
        rows += [("index build (IndexHolder.build, own process)", f"{build['build_s']:.1f} s",
                  f"≤ {TARGETS['build_s']:g} s ({verdict(build['build_s'], TARGETS['build_s'])})"),
                 ("index process RSS after build", f"{build['rss_mb']:,.0f} MB",
                  f"≤ {TARGETS['rss_mb']:g} MB ({verdict(build['rss_mb'], TARGETS['rss_mb'])})"),
                 ("index process peak RSS (VmHWM)", f"{build['hwm_mb']:,.0f} MB", "")]
    if bm:
        rows += [("bm25s bigram reference: index build, RSS", f"{bm['index_s']:.1f} s, {bm['rss_mb']:,.0f} MB", ""),
                 ("bm25s top-20 (argpartition) p50 / p95 / p99", ms3(bm["times"], fmt=".2f"), ""),
                 ("bm25s full argsort (as bench/quality.py) p50 / p95 / p99", ms3(bm["full_times"], fmt=".2f"), ""),
                 ("bm25s BM25.retrieve(k=20) p50 / p95 / p99", ms3(bm["retrieve_times"], fmt=".2f"), "")]
    out = ["| figure | value | target |", "|---|---|---|", *(f"| {a} | {b} | {c} |" for a, b, c in rows)]
    ok = [s for s in servers if "seq" in s]
    if not ok:
        return "\n".join(out)
    head = " | ".join(f"{s['workers']} worker{'s' if s['workers'] > 1 else ''}" for s in ok)
    out += ["", f"| HTTP (POST /api/v1/match, 127.0.0.1) | {head} | target |", "|---|" + "---|" * len(ok) + "---|"]

    def row(name: str, cell, tgt: str = "") -> None:  # type: ignore[no-untyped-def]
        out.append(f"| {name} | " + " | ".join(cell(s) for s in ok) + f" | {tgt} |")

    def ratio(q: int, key: str, limit: float | None):  # type: ignore[no-untyped-def]
        def cell(s: dict) -> str:
            r = pct(s["seq"]["times"], q) / pct(bm[key], q)  # type: ignore[index]
            return f"{r:.1f}×" + (f" ({verdict(r, limit)})" if limit else "")
        return cell

    n = len(ok[0]["seq"]["times"])
    row("start-up until /health ready (every worker)", lambda s: f"{s['ready_s']:.1f} s")
    row(f"sequential p50 / p95 / p99, {n} needs, keep-alive", lambda s: ms3(s["seq"]["times"]))
    row("engine took_ms p50 / p95 (server-reported)", lambda s: ms3(s["seq"]["took_ms"], (50, 95), 1))
    if bm:
        row("p50 / bm25s top-20 p50", ratio(50, "times", TARGETS["p50_ratio"]), f"≤ {TARGETS['p50_ratio']:g}×")
        row("p95 / bm25s top-20 p95", ratio(95, "times", TARGETS["p95_ratio"]), f"≤ {TARGETS['p95_ratio']:g}×")
        row("p50 / bm25s retrieve(k=20) p50", ratio(50, "retrieve_times", None))
        row("p95 / bm25s retrieve(k=20) p95", ratio(95, "retrieve_times", None))
        row("p50 / bm25s full-argsort p50", ratio(50, "full_times", None))
        row("p95 / bm25s full-argsort p95", ratio(95, "full_times", None))
    row(f"throughput, {threads} clients, {len(ok[0]['load']['times'])} requests",
        lambda s: f"{s['load']['rps']:.1f} req/s")
    row("latency under that load p50 / p95", lambda s: ms3(s["load"]["times"], (50, 95), fmt=".0f"))
    row("server RSS after the runs, whole process tree", lambda s: f"{s['rss_mb']:,.0f} MB ({s['procs']} proc.)")
    row("server RSS at ready / peak (sum of VmHWM)", lambda s: f"{s['rss_ready_mb']:,.0f} / {s['hwm_mb']:,.0f} MB")
    row("non-200 responses", lambda s: str(len(s["seq"]["bad"]) + len(s["load"]["bad"])), "0")
    return "\n".join(out)


# -------------------------------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000, help="enterprises to generate if no --scale-dir")
    ap.add_argument("--scale-dir", type=Path, help="an existing make_scale_data.py folder to use")
    ap.add_argument("--workers", default="1,2", help="comma-separated worker counts (default: %(default)s)")
    ap.add_argument("--requests", type=int, default=300, help="needs, half B1 half B2 (default: %(default)s)")
    ap.add_argument("--load-requests", type=int, default=600, help="requests in the throughput run")
    ap.add_argument("--threads", type=int, default=4, help="concurrent clients in the throughput run")
    ap.add_argument("--queries", type=Path, default=DEFAULT_QUERIES, help="queries.jsonl (default: %(default)s)")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (database, logs)")
    ap.add_argument("--child", choices=("build", "bm25"), help=argparse.SUPPRESS)
    ap.add_argument("--url", help=argparse.SUPPRESS)
    ap.add_argument("--needs-file", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child == "build":
        print(json.dumps(child_build(args.url)))
        return 0
    if args.child == "bm25":
        print(json.dumps(child_bm25(args.url, args.needs_file)))
        return 0

    cli = find_cli()
    if cli is None:
        print("chainmatch CLI not found next to this Python or in .venv/bin")
        return 1
    workers = [int(w) for w in args.workers.split(",") if w.strip()]
    needs = load_needs(args.queries, max(args.requests, 2))
    tmp = Path(tempfile.mkdtemp(prefix="chainmatch-matchspeed-"))
    db_url = f"sqlite:///{tmp / 'bench.db'}"
    # A load test is not abuse: the server's rate limits are off for it.
    env = {**os.environ, "CHAINMATCH_DATABASE_URL": db_url, "PYTHONPATH": str(REPO),
           "CHAINMATCH_RATE_LIMIT_PER_TOKEN": "0", "CHAINMATCH_RATE_LIMIT_PER_IP": "0"}
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, cli {cli}, temp {tmp}")
    print(f"needs: {len(needs)} ({sum(1 for n in needs if n['scope'] == 'node')} B1-style, "
          f"{sum(1 for n in needs if n['scope'] == 'upstream')} B2-style) from {args.queries}")
    setup: dict = {"n": args.n}
    build = bm = None
    servers: list[dict] = []
    errors: list[str] = []
    try:
        scale = args.scale_dir
        if scale is None:
            scale = tmp / "scale"
            t = time.perf_counter()
            run([sys.executable, str(REPO / "bench" / "make_scale_data.py"), "--n", str(args.n), "--out",
                 str(scale)], env, "make_scale_data.py")
            print(f"generated {args.n:,} enterprises in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        run([cli, "init"], env, "chainmatch init")
        run([cli, "import", "chainkg", str(scale.resolve()), "-q"], env, "chainmatch import chainkg")
        setup["import_s"] = time.perf_counter() - t
        with sqlite3.connect(tmp / "bench.db") as con:
            setup["n"] = con.execute("SELECT count(*) FROM enterprises").fetchone()[0]
            setup["capabilities"] = con.execute("SELECT count(*) FROM capabilities").fetchone()[0]
        token = run([cli, "token", "create", "--role", "operator", "--name", "bench"], env,
                    "chainmatch token create").stdout.strip().splitlines()[-1]
        print(f"imported {setup['n']:,} enterprises in {setup['import_s']:.1f} s; operator token made")

        try:
            build = child_json(["--child", "build", "--url", db_url], env, "index build")
            print(f"index: {build['status']}, RSS {build['rss_mb']:,.0f} MB, peak {build['hwm_mb']:,.0f} MB")
        except (RuntimeError, ValueError) as exc:
            errors.append(str(exc))
        needs_file = tmp / "needs.json"
        needs_file.write_text(json.dumps(needs, ensure_ascii=False), encoding="utf-8")
        try:
            bm = child_json(["--child", "bm25", "--url", db_url, "--needs-file", str(needs_file)], env, "bm25s")
            print(f"bm25s: {bm['records']:,} records ({bm['source']}), index {bm['index_s']:.1f} s, "
                  f"p50 {pct(bm['times'], 50) * 1000:.2f} ms, mean hits {bm['mean_hits']:.1f}")
        except (RuntimeError, ValueError) as exc:
            errors.append(str(exc))
        for w in workers:
            s = bench_server(cli, env, token, needs, w, args.load_requests, args.threads, tmp)
            servers.append(s)
            if "error" in s:
                errors.append(s["error"])
            else:
                print(f"served with {w} worker(s): ready in {s['ready_s']:.1f} s, "
                      f"p50 {pct(s['seq']['times'], 50) * 1000:.1f} ms, {s['load']['rps']:.1f} req/s")
                for line in (s["seq"]["bad"] + s["load"]["bad"])[:10]:
                    errors.append(f"{w} worker(s): non-200: {line}")
    except (RuntimeError, subprocess.SubprocessError, OSError, sqlite3.Error) as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        print(f"\n### Match speed ({setup['n']:,} enterprises, SQLite, {os.cpu_count()} CPUs)\n")
        print(table(setup, build, bm, servers, args.threads))
        for e in errors:
            print(f"\nproblem: {e}")
        if args.keep:
            print(f"\nkept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
