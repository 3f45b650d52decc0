"""Where one need's engine time goes, in process: the reading of the text and each step of the ranking after it.

    python -m bench.engine_split [--scale-dir DIR] [--snapshot DIR] [--per-wording 150] [--warm] [--profile OUT]

An index of a make_scale_data folder (fitted, or mapped from ``--snapshot`` as a served worker maps it), the
three wordings of bench/match_speed.py. Each need is ranked once, timed in thread CPU, its steps timed by
wrapping what ``matching.rank`` calls: reading (``understand``/``link_need`` and the query's terms), expansion,
gather, fuse, 匹配度 of the pool, explanations; the rest of ``_rank`` is "other". Cold (the default): the caches
keyed by the need's text or seeds are emptied before each need, as for a text a worker has never seen; per-firm
caches stay warm, as in a running worker. ``--warm``: each need ranked once untimed first. ``--profile OUT``
writes a cProfile of the timed calls.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import importlib
import json
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matching
from bench.common.stats import pct
from bench.engine_paired import CACHE, clear_need_caches, open_index, wordings
from matching import MatchIndex, rank

rank_module = importlib.import_module("matching.rank")  # the package's name ``rank`` is the function

STEPS = {"gather": "gather", "fuse": "fuse", "match_scores": "pool 匹配度", "best_evidence": "pool 匹配度",
         "explain": "explanations", "need_nodes": "explanations", "whole_words": "explanations",
         "shown_columns": "explanations"}


def instrument(index: MatchIndex, spent: dict[str, float]) -> Callable[[], None]:
    """Wrap the steps so that each adds its thread CPU to ``spent``; returns the undo."""
    undo: list[Callable[[], None]] = []

    depth = [0]  # a step called inside another (the reader cutting words) counts for the outer one only

    def timed(label: str, f: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*a: Any, **k: Any) -> Any:
            depth[0] += 1
            t = time.thread_time()
            try:
                return f(*a, **k)
            finally:
                depth[0] -= 1
                if depth[0] == 0:
                    spent[label] += time.thread_time() - t
        return wrapper

    for name, label in STEPS.items():
        orig = getattr(rank_module, name)
        setattr(rank_module, name, timed(label, orig))
        undo.append(lambda n=name, o=orig: setattr(rank_module, n, o))
    for name, label in (("understand", "reading"), ("link_need", "reading"), ("expansion", "expansion")):
        orig = getattr(index, name)
        setattr(index, name, timed(label, orig))
        undo.append(lambda n=name: delattr(index, n))
    for name in ("terms_of_words", "words"):
        orig = getattr(index.analyzer_, name)
        setattr(index.analyzer_, name, timed("reading", orig))
        undo.append(lambda n=name: delattr(index.analyzer_, n))

    def restore() -> None:
        for u in undo:
            u()
    return restore


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale-dir", type=Path, default=CACHE)
    ap.add_argument("--snapshot", type=Path, help="map the index from this snapshot folder (written if missing)")
    ap.add_argument("--per-wording", type=int, default=150)
    ap.add_argument("--warm", action="store_true", help="rank each need once untimed first")
    ap.add_argument("--profile", type=Path, help="write a cProfile of the timed rankings here")
    ap.add_argument("--keep-cuts", action="store_true",
                    help="cold: keep the analyzer's remembered cuts from need to need (of one wording)")
    ap.add_argument("--json", action="store_true", help="also print one JSON line of the figures")
    args = ap.parse_args(argv)

    index = open_index(matching, args.scale_dir, args.snapshot, False)
    gc.collect()
    gc.freeze()
    prof = cProfile.Profile() if args.profile else None
    summary: dict[str, dict[str, float]] = {}
    digest = hashlib.sha256()
    for wording, queries in wordings(args.per_wording).items():
        if not args.warm:  # the realistic and long wordings share their texts: none seen before
            queries = list({q.text: q for q in queries}.values())
        for q in queries[:20]:  # a running worker's per-firm caches
            rank(index, q)
        clear_need_caches(index)
        totals: list[float] = []
        parts: dict[str, list[float]] = defaultdict(list)
        for q in queries:
            if args.warm:
                rank(index, q)
            else:
                clear_need_caches(index, cuts=not args.keep_cuts)
            spent: dict[str, float] = defaultdict(float)
            restore = instrument(index, spent)
            if prof:
                prof.enable()
            t = time.thread_time()
            answer = rank(index, q)
            total = time.thread_time() - t
            if prof:
                prof.disable()
            restore()
            digest.update(repr([(r.enterprise_id, r.score, r.match, r.explanation) for r in answer]).encode())
            totals.append(total)
            for label in ("reading", "expansion", "gather", "fuse", "pool 匹配度", "explanations"):
                parts[label].append(spent[label])
            parts["other"].append(total - sum(spent.values()))
        mean = sum(totals) / len(totals)
        summary[wording] = {"p50": pct(totals, 50) * 1e3, "p95": pct(totals, 95) * 1e3,
                            **{label: pct(xs, 50) * 1e3 for label, xs in parts.items()}}
        print(f"{wording:9} {'warm' if args.warm else 'cold'} rank() p50 / p95 {pct(totals, 50) * 1e3:.2f} / "
              f"{pct(totals, 95) * 1e3:.2f} ms, mean {mean * 1e3:.2f} ms (n={len(totals)})")
        for label, xs in parts.items():
            share = sum(xs) / sum(totals)
            print(f"    {label:13} p50 {pct(xs, 50) * 1e3:.3f} ms  mean {sum(xs) / len(xs) * 1e3:.3f} ms  "
                  f"{share:5.1%} of the time")
    print(f"answers digest {digest.hexdigest()[:16]}")
    if args.json:
        print(json.dumps({"summary": summary, "digest": digest.hexdigest()}))
    if prof:
        prof.dump_stats(str(args.profile))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
