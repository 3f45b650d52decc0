"""Scale out on PostgreSQL: import, snapshot, start-up from a snapshot, shared memory, match latency next to bm25s,
throughput, replica identity and freshness across two nodes.

    python -m bench.scale [--firms 100000 [--firms 1000000]] [--quick] [--requests 200] [--threads 8]
                          [--load-requests 1000] [--no-reference] [--keep]

Per size, everything runs on a private PostgreSQL cluster in a temp dir (initdb as the postgres user, a streaming
replica by pg_basebackup -R beside it; the shared server is never touched):
  1. the generated firms (bench.load.scale_data: made once by bench.make_scale_data and cached, as bench.load
     does); `chainmatch init` + `chainmatch import chainkg -q` (import time);
  2. `chainmatch index build --dir snap-a` (snapshot build time and size);
  3. `chainmatch serve` with CHAINMATCH_SNAPSHOT_DIR=snap-a, first 1 worker, then 2 (node A, reading through the
     replica): time to ready, and each worker's USS (its own memory), PSS and RSS from /proc/PID/smaps_rollup;
     the reference, in the same run: a worker that fits its index in memory (IndexHolder.build without a
     snapshot, the path before this change), its time and RSS;
  4. node B: 1 worker on a copy of the snapshot (its own folder), primary only;
  5. POST /api/v1/match on node A, sequentially, each need preceded at once by bm25s top-20 (bench/common/bm25.py,
     as bench/match_speed.py) in the same process: p50/p95 of both and their ratio;
  6. throughput on node A (2 workers) with --threads clients, next to bm25s's single-thread queries/s;
  7. identity: the same needs on node A (replica) and node B (primary), once the replica has caught up;
  8. freshness: a firm's capabilities changed through node A (PATCH), time until node B ranks it first for that
     product (LISTEN/NOTIFY wakes B's workers; the poll fallback is 1 s).
Figures are printed next to their targets, never enforced; the exit code is non-zero only when something broke.
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
from pathlib import Path
from typing import Any

from bench._faults_env import PrivatePostgres, Server, child_env
from bench._http_load import http_load, http_sequential, process_tree
from bench._pg_replica import StreamingReplica, subroot
from bench.common.cli import require_cli
from bench.common.stats import pct
from bench.load import DEFAULT_CACHE, run, scale_data
from bench.match_speed import DEFAULT_QUERIES, bm25_reference, load_needs

# Workers of a 100,000-firm node on a busy 2-core machine may need minutes, not the fault harness's 90 s.
STARTUP_TIMEOUT = 900.0
TARGETS = {"import_s": 900, "build_s": 300, "start_s": 20, "second_mb": 300, "p50": 4.0, "p95": 6.0, "rps": 300,
           "fresh_s": 1.0}


def smaps(pid: int) -> dict[str, float]:
    """MB of a process: RSS, PSS (its share of pages it shares), USS (pages only it has)."""
    got: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        parts = line.split()
        if parts and parts[0] in ("Rss:", "Pss:", "Private_Clean:", "Private_Dirty:"):
            got[parts[0][:-1]] = int(parts[1]) / 1024
    return {"rss": got.get("Rss", 0), "pss": got.get("Pss", 0),
            "uss": got.get("Private_Clean", 0) + got.get("Private_Dirty", 0)}


def workers_of(server: Server) -> list[int]:
    """The processes that serve requests: uvicorn's children with several workers, else the process itself."""
    assert server.proc is not None
    tree = process_tree(server.proc.pid)
    # uvicorn's children, less multiprocessing's helper (resource_tracker), which serves nothing
    children = [p for p in tree[1:] if b"resource_tracker" not in Path(f"/proc/{p}/cmdline").read_bytes()]
    return children or tree[:1]


def memory(server: Server) -> list[dict[str, float]]:
    return [smaps(p) for p in workers_of(server)]


# ------------------------------------------------------------------------------------------------ children
SKIP_REFERENCE = Path(tempfile.gettempdir()) / "chainmatch-scale-no-reference"


def child_reference(url: str) -> dict[str, Any]:
    """The path before snapshots: one worker fitting its own index from the database. Touching SKIP_REFERENCE
    skips it in a run already under way (on a saturated machine it takes as long as the snapshot build)."""
    if SKIP_REFERENCE.exists():  # NaN: not measured (the parent of a run under way prints whatever comes back)
        return {"build_s": float("nan"), "rss": float("nan"), "pss": float("nan"), "uss": float("nan")}
    from app.core.db import make_engine, make_sessionmaker
    from app.match_index.holder import IndexHolder

    t = time.perf_counter()
    holder = IndexHolder(make_sessionmaker(make_engine(url)))
    holder.build()
    return {"build_s": time.perf_counter() - t, **smaps(os.getpid())}


def child_interleaved(url: str, base: str, token: str, needs_file: str) -> dict[str, Any]:
    """bm25s over the same firms (bench/common/bm25.py), then each need through bm25s and at once over HTTP,
    query by query (bench/_http_load.http_sequential), so both see the same machine load."""
    retrieve, facts = bm25_reference(url)
    needs = json.loads(Path(needs_file).read_text(encoding="utf-8"))
    seq = http_sequential(base, token, needs, reference=retrieve)
    return {"http": seq["times"], "bm25": seq["ref"], "bad": seq["bad"], "bm25_index_s": facts["index_s"]}


# ---------------------------------------------------------------------------------------------- the steps
def matches(base: str, token: str, body: dict[str, Any]) -> list[str]:
    import httpx

    r = httpx.post(f"{base}/api/v1/match", json=body, headers={"Authorization": f"Bearer {token}"}, timeout=60)
    r.raise_for_status()
    return [i["enterprise"]["code"] for i in r.json()["items"]]


def freshness(a: str, b: str, token: str, url: str, rounds: int) -> list[float]:
    """Seconds from a change acknowledged by node A until node B ranks the firm for the product it now makes.

    The change gives a firm a product and the tier "little_giant" in one PATCH, and node B is asked for that
    product's makers of that tier: the only one is the changed firm, however many firms make the product (at a
    million firms every product has 100 or more makers, so "among the first 50 makers" measured nothing there:
    the first 1,000,000-firm run made no change)."""
    import httpx
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        firms = [r[0] for r in conn.execute(text("SELECT code FROM enterprises WHERE tier <> 'little_giant' "
                                                 "ORDER BY id DESC LIMIT :n"), {"n": rounds})]
        # chain-node names with the fewest makers, plain Chinese words (the generated graph also has fragments
        # such as "%以下类别" that name no product a need would ask for)
        products = [r[0] for r in conn.execute(text(
            "SELECT n.name FROM chain_nodes n JOIN capabilities c ON c.node_id = n.id WHERE n.name ~ :plain "
            "GROUP BY n.name ORDER BY count(*), n.name LIMIT :n"),
            {"n": rounds, "plain": "^[\u4e00-\u9fff]{2,12}$"})]
    engine.dispose()
    out = []
    for code, product in zip(firms, products, strict=False):
        query = {"nodes": [product], "filters": {"tiers": ["little_giant"]}, "limit": 50}
        if code in matches(b, token, query):
            continue  # makes it already: nothing to see
        body = {"tier": "little_giant", "capabilities": [{"product": product, "revenue_share": 1.0}]}
        r = httpx.patch(f"{a}/api/v1/enterprises/{code}", json=body, headers={"Authorization": f"Bearer {token}"},
                        timeout=60)
        r.raise_for_status()
        t = time.perf_counter()
        while code not in matches(b, token, query):
            if time.perf_counter() - t > 30:
                raise RuntimeError(f"node B did not see {code} make {product} within 30 s")
            time.sleep(0.01)
        out.append(time.perf_counter() - t)
    return out


def one_size(n: int, args: argparse.Namespace, root: Path, res: dict[str, Any]) -> dict[str, Any]:
    """Fills ``res`` step by step, so what was measured before a failure is still reported."""
    primary = PrivatePostgres(subroot(root, "primary"))
    replica = StreamingReplica(subroot(root, "replica"), primary)
    servers: list[Server] = []
    try:
        primary.init()
        url = primary.url()
        env = child_env(url, rate_limit_per_token="0", rate_limit_per_ip="0")
        cli = require_cli()
        t = time.perf_counter()
        data = scale_data(args.cache, n, env)  # kept: bench.load and later runs reuse it
        res["generate_s"] = time.perf_counter() - t
        t = time.perf_counter()
        run([cli, "init"], env, "chainmatch init")
        run([cli, "import", "chainkg", str(data), "-q"], env, "chainmatch import chainkg")
        res["import_s"] = time.perf_counter() - t
        token = run([cli, "token", "create", "--role", "operator", "--name", "bench"], env, "token").split()[-1]
        print(f"[{n:,}] imported in {res['import_s']:.1f} s", flush=True)
        t = time.perf_counter()
        res["build_out"] = run([cli, "index", "build", "--dir", str(root / "snap-a")], env, "index build").strip()
        res["build_s"] = time.perf_counter() - t
        snap = next((root / "snap-a").glob("v*"))
        res["snapshot_mb"] = sum(f.stat().st_size for f in snap.iterdir()) / 1e6
        print(f"[{n:,}] snapshot in {res['build_s']:.1f} s, {res['snapshot_mb']:.0f} MB", flush=True)
        t = time.perf_counter()
        replica.init()
        replica.wait_caught_up(600)
        res["replica_s"] = time.perf_counter() - t
        if not args.no_reference:
            out = run([sys.executable, "-m", "bench.scale", "--child", "reference", "--url", url], env,
                      "reference build")
            res["reference"] = json.loads(out.strip().splitlines()[-1])
            if res["reference"]["build_s"] == res["reference"]["build_s"]:  # not NaN
                print(f"[{n:,}] reference in-memory build {res['reference']['build_s']:.1f} s", flush=True)
        node_env = {**env, "CHAINMATCH_SNAPSHOT_DIR": str(root / "snap-a"), "CHAINMATCH_REPLICA_URL": replica.url(),
                    "CHAINMATCH_DISPATCH_WEBHOOKS": "false"}
        for workers in (1, 2):
            node = Server(node_env, root, f"a-w{workers}", workers=workers, ready_timeout=STARTUP_TIMEOUT)
            res[f"start_w{workers}_s"] = node.start()
            print(f"[{n:,}] node A with {workers} worker(s) ready in {res[f'start_w{workers}_s']:.1f} s", flush=True)
            time.sleep(2)  # let start-up garbage settle
            res[f"mem_w{workers}"] = memory(node)
            assert node.proc is not None  # and the supervisor's share (a pre-fork supervisor shares the index)
            res[f"tree_w{workers}"] = [smaps(p) for p in process_tree(node.proc.pid)]
            if workers == 1:
                node.stop()
            else:
                servers.append(node)
        a = servers[0]
        shutil.copytree(root / "snap-a", root / "snap-b")
        b = Server({**env, "CHAINMATCH_SNAPSHOT_DIR": str(root / "snap-b"), "CHAINMATCH_DISPATCH_WEBHOOKS": "false"},
                   root, "b", workers=1, ready_timeout=STARTUP_TIMEOUT)
        res["start_b_s"] = b.start()
        servers.append(b)
        needs = load_needs(args.queries, args.requests)
        needs_file = root / "needs.json"
        needs_file.write_text(json.dumps(needs, ensure_ascii=False), encoding="utf-8")
        out = run([sys.executable, "-m", "bench.scale", "--child", "interleaved", "--url", url, "--base", a.base,
                   "--token", token, "--needs-file", str(needs_file)], env, "interleaved run")
        res["seq"] = json.loads(out.strip().splitlines()[-1])
        res["load"] = http_load(a.base, token, needs, args.load_requests, args.threads)
        res["mem_w2_after"] = memory(a)
        assert a.proc is not None
        res["tree_w2_after"] = [smaps(p) for p in process_tree(a.proc.pid)]
        replica.wait_caught_up(120)
        same = [matches(a.base, token, body) == matches(b.base, token, body) for body in needs[:50]]
        res["identical"] = (sum(same), len(same))
        try:  # what was measured above is reported whatever happens here
            res["fresh"] = freshness(a.base, b.base, token, url, args.fresh_rounds)
        except Exception as exc:  # noqa: BLE001 - a broken step is reported, not lost
            res["fresh"], res["fresh_error"] = [], f"{type(exc).__name__}: {exc}"
            print(f"[{n:,}] freshness failed: {res['fresh_error']}", flush=True)
        print(f"[{n:,}] done", flush=True)
        return res
    finally:
        for s in servers:
            s.stop()
        replica.close()
        primary.close()


# ------------------------------------------------------------------------------------------------- report
def verdict(value: float, limit: float, more_is_better: bool = False) -> str:
    ok = value >= limit if more_is_better else value <= limit
    return "met" if ok else "**missed**"


def report(r: dict[str, Any], threads: int) -> str:
    rows: list[tuple[str, str, str]] = []
    rows.append(("import (init + import chainkg -q)", f"{r['import_s']:.1f} s", ""))
    rows.append(("snapshot build (`chainmatch index build`)", f"{r['build_s']:.1f} s, {r['snapshot_mb']:,.0f} MB",
                 ""))
    ref = r.get("reference")
    if ref and ref["build_s"] == ref["build_s"]:  # measured (NaN when skipped)
        rows.append(("reference: a worker fitting its own index (before)",
                     f"{ref['build_s']:.1f} s, RSS {ref['rss']:,.0f} MB, USS {ref['uss']:,.0f} MB", ""))
    w1, w2 = r["mem_w1"], r["mem_w2"]
    rows.append(("start-up from the snapshot, 1 worker / 2 workers",
                 f"{r['start_w1_s']:.1f} s / {r['start_w2_s']:.1f} s", ""))
    rows.append(("1 worker: USS / PSS / RSS", "{uss:,.0f} / {pss:,.0f} / {rss:,.0f} MB".format(**w1[0]), ""))
    rows.append(("2 workers: USS each", " + ".join(f"{m['uss']:,.0f}" for m in w2) + " MB", ""))
    rows.append(("2 workers: PSS sum / RSS sum", f"{sum(m['pss'] for m in w2):,.0f} / "
                 f"{sum(m['rss'] for m in w2):,.0f} MB", ""))
    second = sum(m["pss"] for m in w2) - w1[0]["pss"]
    rows.append(("what the second worker adds (PSS of 2 − PSS of 1)", f"{second:,.0f} MB", ""))
    if "tree_w2" in r:
        tree = sum(m["pss"] for m in r["tree_w2"]) - sum(m["pss"] for m in r["tree_w1"])
        rows.append(("the same, supervisor included (whole process tree's PSS)", f"{tree:,.0f} MB", ""))
    after = r["mem_w2_after"]
    rows.append(("2 workers after the HTTP runs: USS each / PSS sum",
                 " + ".join(f"{m['uss']:,.0f}" for m in after) + f" / {sum(m['pss'] for m in after):,.0f} MB", ""))
    if "tree_w2_after" in r:
        rows.append(("the same, whole process tree's PSS", f"{sum(m['pss'] for m in r['tree_w2_after']):,.0f} MB", ""))
    seq = r["seq"]
    h50, h95, b50, b95 = (pct(seq["http"], 50), pct(seq["http"], 95), pct(seq["bm25"], 50), pct(seq["bm25"], 95))
    rows.append((f"POST /match over HTTP, {len(seq['http'])} needs: p50 / p95",
                 f"{h50 * 1000:.1f} / {h95 * 1000:.1f} ms", ""))
    rows.append(("bm25s top-20, same needs interleaved: p50 / p95", f"{b50 * 1000:.2f} / {b95 * 1000:.2f} ms", ""))
    rows.append(("ratio p50 / p95", f"{h50 / b50:.1f}× / {h95 / b95:.1f}×", ""))
    load = r["load"]
    rows.append((f"throughput, 2 workers, {threads} clients", f"{load['rps']:.0f} matches/s "
                 f"(p50 {pct(load['times'], 50) * 1000:.0f} ms)", ""))
    rows.append(("bm25s single thread, same run", f"{1 / (sum(seq['bm25']) / len(seq['bm25'])):.0f} queries/s", ""))
    same, total = r["identical"]
    rows.append(("node A (replica) vs node B (primary): identical rankings", f"{same} / {total}", ""))
    fresh = r["fresh"]
    rows.append((f"freshness across nodes, {len(fresh)} changes: p50 / max",
                 f"{pct(fresh, 50) * 1000:.0f} / {max(fresh) * 1000:.0f} ms" if fresh
                 else f"no change measured {r.get('fresh_error', '')}".strip(), ""))
    bad = len(seq["bad"]) + len(load["bad"])
    rows.append(("non-200 answers", str(bad), ""))
    out = ["| figure | value |", "|---|---|", *(f"| {a} | {b} |" for a, b, _ in rows)]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--firms", type=int, action="append", help="sizes (default 100000)")
    ap.add_argument("--quick", action="store_true", help="20,000 firms, fewer requests")
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--load-requests", type=int, default=1000)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--fresh-rounds", type=int, default=10)
    ap.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    ap.add_argument("--no-reference", action="store_true", help="skip the in-memory reference build")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where the generated firms are kept")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--json", type=Path, help="also write the raw figures here")
    ap.add_argument("--child", choices=("reference", "interleaved"), help=argparse.SUPPRESS)
    ap.add_argument("--url", help=argparse.SUPPRESS)
    ap.add_argument("--base", help=argparse.SUPPRESS)
    ap.add_argument("--token", help=argparse.SUPPRESS)
    ap.add_argument("--needs-file", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:  # a step run in its own process, answering one JSON line
        children = {"reference": lambda: child_reference(args.url),
                    "interleaved": lambda: child_interleaved(args.url, args.base, args.token, args.needs_file)}
        print(json.dumps(children[args.child]()))
        return 0
    sizes = args.firms or ([20_000] if args.quick else [100_000])
    if args.quick:
        args.requests, args.load_requests = min(args.requests, 100), min(args.load_requests, 300)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    failed = False
    results = []
    for n in sizes:
        root = Path(tempfile.mkdtemp(prefix=f"chainmatch-scale-{n}-"))
        root.chmod(0o755)
        try:
            r: dict[str, Any] = {"n": n}
            results.append(r)
            one_size(n, args, root, r)
            if args.json:  # before the report: a figure it cannot print must not lose the run
                args.json.write_text(json.dumps(results, ensure_ascii=False, default=str), encoding="utf-8")
            print(f"\n### Scale out, {n:,} firms (PostgreSQL, private primary + streaming replica), "
                  f"load average {os.getloadavg()[0]:.1f}\n")
            print(report(r, args.threads))
        except (RuntimeError, subprocess.SubprocessError, OSError) as exc:
            failed = True
            print(f"\nproblem at {n:,} firms: {type(exc).__name__}: {exc}")
            print("measured before it:", json.dumps({k: v for k, v in r.items() if k not in ("seq", "load")},
                                                    default=str))
        finally:
            if args.keep:
                print(f"kept {root}")
            else:
                shutil.rmtree(root, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, default=str), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
