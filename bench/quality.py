"""Quality benchmark: nDCG@10, Recall@50 and MRR per query kind, engine vs a bigram BM25 baseline.

    .venv/bin/python -m bench.quality [--data ../shared/data/chainkg] [--bench ../shared/bench]
                                      [--limit-queries N] [--http URL --token T] [--skip-holdout] [--skip-b4]
                                      [--skip-b12] [--needs FILE]

B1/B2 come from queries.jsonl on the full data; B3 from holdout_queries.jsonl on the data re-read
without the holdout.csv links (known makers are dropped from the ranking before the target is
scored); B4 from realistic_needs.jsonl on the full data, text only (see bench/quality_b4.py), with
nDCG@10 per trap, the share of top-10 slots taken by the poster's peers, and the two halves of the
file (odd and even lines) apart. With ``--http`` the engine is the running service (POST
{URL}/api/v1/match); for B3 that service must have been imported without the holdout links.
"""

from __future__ import annotations

import argparse
import json
import time
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from bench.common.bm25 import BigramBM25
from bench.quality_b4 import b4_queries, evaluate_b4, split
from bench.quality_data import load, read_holdout_links, read_queries
from bench.quality_metrics import ndcg_at_k, recall_at_k, reciprocal_rank, summarise
from matching import EnterpriseRecord, MatchIndex, MatchQuery, rank

Ranker = Callable[[dict, int], list[str]]  # (benchmark query, limit) -> ranked company codes
ROOT = Path(__file__).resolve().parents[1]


def engine_ranker(index: MatchIndex, records: Sequence[EnterpriseRecord]) -> Ranker:
    id_of = {r.code: r.id for r in records}
    code_of = {r.id: r.code for r in records}

    def run(q: dict, limit: int) -> list[str]:
        mq = MatchQuery(
            text=q["text"], nodes=tuple(q["nodes"]), scope=q["scope"],
            exclude=frozenset(id_of[c] for c in q["exclude"] if c in id_of), limit=limit,
        )
        return [code_of[r.enterprise_id] for r in rank(index, mq)]

    return run


def bm25_ranker(records: Sequence[EnterpriseRecord]) -> Ranker:
    """The reference point: the bigram BM25 baseline (bench/common/bm25.py), every score sorted."""
    baseline = BigramBM25(records)
    codes = [r.code for r in records]
    position = {c: i for i, c in reversed(list(enumerate(codes)))}

    def run(q: dict, limit: int) -> list[str]:
        exclude = [position[c] for c in q["exclude"] if c in position]
        return [codes[i] for i in baseline.top(q["text"], limit, full=True, exclude=exclude)]

    return run


def http_ranker(url: str, token: str) -> Ranker:
    def run(q: dict, limit: int) -> list[str]:
        body = {"text": q["text"], "nodes": q["nodes"], "scope": q["scope"], "exclude": q["exclude"], "limit": limit}
        req = urllib.request.Request(
            url.rstrip("/") + "/api/v1/match", data=json.dumps(body).encode(), method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=30) as resp:
            items = json.load(resp)["items"]
        return [it["enterprise"]["code"] for it in items]

    return run


def evaluate_graded(ranker: Ranker, queries: Sequence[dict]) -> tuple[dict[str, float], list[float]]:
    rows, times = [], []
    for q in queries:
        t0 = time.perf_counter()
        ranked = ranker(q, 50)
        times.append(time.perf_counter() - t0)
        rel = q["relevant"]
        rows.append({"nDCG@10": ndcg_at_k(ranked, rel, 10), "Recall@50": recall_at_k(ranked, rel, 50),
                     "MRR": reciprocal_rank(ranked, rel)})
    return summarise(rows), times


def evaluate_holdout(ranker: Ranker, queries: Sequence[dict]) -> tuple[dict[str, float], list[float]]:
    rows, times = [], []
    for q in queries:
        known = set(q["known_makers"])
        t0 = time.perf_counter()
        ranked = [c for c in ranker(q, 50 + len(known)) if c not in known][:50]
        times.append(time.perf_counter() - t0)
        rr = reciprocal_rank(ranked, {q["target"]})
        rows.append({"MRR": rr, "hit@10": float(rr >= 0.1)})
    return summarise(rows), times


def _print(kind: str, engine: dict[str, float], base: dict[str, float], times: list[float]) -> None:
    cells = "  ".join(f"{k} {engine[k]:.3f} (bm25 {base[k]:.3f})" for k in engine)
    p50 = 1000 * float(np.median(times)) if times else 0.0
    print(f"{kind:<22} {cells}  p50 {p50:.2f} ms  n={len(times)}")


def _print_b4(engine: Ranker, base: Ranker, needs: list[dict]) -> None:
    odd, even = split(needs)
    for label, qs in (("B4 realistic", needs), ("B4 odd lines", odd), ("B4 even lines", even)):
        t0 = time.perf_counter()
        e = evaluate_b4(engine, qs)
        per_query_ms = 1000 * (time.perf_counter() - t0) / max(len(qs), 1)
        b = evaluate_b4(base, qs)
        main_keys = ("nDCG@10", "Recall@50", "MRR", "peers@10")
        cells = "  ".join(f"{k} {e[k]:.3f} (bm25 {b[k]:.3f})" for k in main_keys)
        print(f"{label:<22} {cells}  {per_query_ms:.2f} ms/need  n={len(qs)}")
        if qs is needs:
            traps = "  ".join(f"{k[8:]} {e[k]:.3f} ({b[k]:.3f})" for k in e if k.startswith("nDCG@10 "))
            print(f"{'':<22} nDCG@10 by trap: {traps}")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "chainkg")
    ap.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench")
    ap.add_argument("--limit-queries", type=int, default=0, help="use only the first N queries of each kind")
    ap.add_argument("--http", default="", help="rank through a running service at this base URL")
    ap.add_argument("--token", default="", help="bearer token for --http")
    ap.add_argument("--skip-holdout", action="store_true")
    ap.add_argument("--skip-b4", action="store_true")
    ap.add_argument("--skip-b12", action="store_true", help="B3/B4 only (e.g. B4 of another needs file)")
    ap.add_argument("--needs", type=Path, default=None,
                    help="B4 needs file (default: realistic_needs.jsonl of --bench); bench/b4_fresh_needs.jsonl "
                         "holds 24 needs written after development, as a check the engine was not tuned on")
    args = ap.parse_args(argv)

    def cap(qs: list[dict]) -> list[dict]:
        return qs[: args.limit_queries] if args.limit_queries else qs

    queries = read_queries(args.bench / "queries.jsonl")
    b1 = cap([q for q in queries if q["id"].startswith("B1")])
    b2 = cap([q for q in queries if q["id"].startswith("B2")])

    kg, graph, records = load(args.data)
    if args.http:
        engine = http_ranker(args.http, args.token)
    else:
        t0 = time.perf_counter()
        index = MatchIndex().fit(graph, records)
        print(f"index build: {time.perf_counter() - t0:.2f} s for {index.size} enterprises, {graph.n_nodes} nodes")
        engine = engine_ranker(index, records)
    base = bm25_ranker(records)
    for kind, qs in () if args.skip_b12 else (("B1 product", b1), ("B2 upstream", b2)):
        e, times = evaluate_graded(engine, qs)
        b, btimes = evaluate_graded(base, qs)
        _print(kind, e, b, times)
        print(f"{'':<22} bm25 p50 {1000 * float(np.median(btimes)):.2f} ms")

    if not args.skip_b4:
        needs = cap(b4_queries(args.needs or args.bench / "realistic_needs.jsonl", kg))
        _print_b4(engine, base, needs)

    if not args.skip_holdout:
        held = cap(read_queries(args.bench / "holdout_queries.jsonl"))
        _, graph3, records3 = load(args.data, exclude_links=read_holdout_links(args.bench / "holdout.csv"))
        engine3 = engine if args.http else engine_ranker(MatchIndex().fit(graph3, records3), records3)
        e, times = evaluate_holdout(engine3, held)
        b, _ = evaluate_holdout(bm25_ranker(records3), held)
        _print("B3 hidden capability", e, b, times)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
