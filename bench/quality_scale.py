"""Scale check of the engine: build time, memory, query and update latency at ~100k enterprises.

    .venv/bin/python bench/quality_scale.py [--data ../shared/data/chainkg] [--n 100000]

The chainkg companies are copied with small perturbations (a fifth of the products dropped, one
random product added) until there are ``--n`` enterprises; the same queries then run against the
engine and against bm25s top-20 retrieval over character bigrams of the same firms. Prints figures,
never passes or fails.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from quality import bigrams  # noqa: E402
from quality_data import load, read_queries  # noqa: E402

from matching import EnterpriseRecord, MatchIndex, MatchQuery, rank  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def synthetic(records: list[EnterpriseRecord], n: int, seed: int = 0) -> list[EnterpriseRecord]:
    rng = random.Random(seed)
    pool = [p for r in records for p, _ in r.products]
    out: list[EnterpriseRecord] = []
    copy = 0
    while len(out) < n:
        for r in records:
            if len(out) >= n:
                break
            products = list(r.products)
            if copy and products:
                products = [p for p in products if rng.random() > 0.2] + [(rng.choice(pool), 0.001)]
            out.append(EnterpriseRecord(len(out), f"{r.code}-{copy}", f"{r.name}{copy}", "sme", "none",
                                        "山东省/济南市", products=tuple(dict(products).items())))
        copy += 1
    return out


def _p(xs: list[float], q: float) -> float:
    return 1000 * float(np.percentile(xs, q))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "chainkg")
    ap.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench")
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=300)
    args = ap.parse_args(argv)

    _, graph, records = load(args.data)
    firms = synthetic(records, args.n)
    n_products = sum(len(r.products) for r in firms) / len(firms)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    index = MatchIndex().fit(graph, firms)
    build = time.perf_counter() - t0
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{index.size} enterprises ({n_products:.1f} products each), {graph.n_nodes} nodes")
    print(f"index build {build:.1f} s; peak RSS {rss0 / 1024:.0f} MB before, {rss1 / 1024:.0f} MB after")

    queries = random.Random(1).sample(read_queries(args.bench / "queries.jsonl"), args.queries)
    mqs = [MatchQuery(text=q["text"], nodes=tuple(q["nodes"]), scope=q["scope"], limit=20) for q in queries]
    for mq in mqs[:20]:  # warm caches the way a running service would have them
        rank(index, mq)
    lat = []
    for mq in mqs:
        t = time.perf_counter()
        rank(index, mq)
        lat.append(time.perf_counter() - t)

    import bm25s

    retriever = bm25s.BM25()
    retriever.index([bigrams(r.name + " " + " ".join(p for p, _ in r.products)) for r in firms], show_progress=False)
    blat = []
    for q in queries:
        toks = [t for t in bigrams(q["text"]) if t in retriever.vocab_dict]
        t = time.perf_counter()
        retriever.retrieve([toks], k=20, show_progress=False)
        blat.append(time.perf_counter() - t)
    print(f"query p50 {_p(lat, 50):.2f} ms, p90 {_p(lat, 90):.2f} ms  |  bm25s top-20 p50 {_p(blat, 50):.2f} ms, "
          f"p90 {_p(blat, 90):.2f} ms  |  ratio p50 {np.median(lat) / np.median(blat):.2f}")

    upd = []
    for i in range(200):
        r = firms[(i * 499) % len(firms)]
        t = time.perf_counter()
        index.upsert(EnterpriseRecord(r.id, r.code, r.name, r.kind, r.tier, r.region, products=r.products[:-1]))
        upd.append(time.perf_counter() - t)
    rem = []
    for i in range(50):
        t = time.perf_counter()
        index.remove(firms[i * 3 + 1].id)
        rem.append(time.perf_counter() - t)
    print(f"upsert p50 {_p(upd, 50):.2f} ms, max {1000 * max(upd):.1f} ms; remove p50 {_p(rem, 50):.3f} ms; "
          f"version {index.version_}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
