"""The engine against an earlier version of itself, in one process, query by query (issue #15).

    python -m bench.engine_paired --ref 50a940a [--scale-dir DIR] [--per-wording 150] [--cpu] [--cold]

One index is built from a make_scale_data folder (default: the 100,000-firm cache of bench/load.py) and both
versions rank the same needs on it, alternating which goes first. The reference is ``matching.rank`` and the
query-side modules it imports (``--modules``) as they were at ``--ref`` (read with ``git show``), loaded as a
package beside the working tree's, so the index, the need reader and the linker are shared and only the
ranking code differs. Every answer is compared (ids, scores, 匹配度, explanations): any difference is
counted and printed. Wordings as in bench/match_speed.py (dev, realistic, long).

``--cpu`` times the thread's CPU (less sensitive to other processes on a shared machine than wall time);
without ``--cold`` both versions rank each need once untimed first, so per-firm caches (explanations'
product evidence, the need reader) are warm for both and only the ranking itself is compared.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path

from bench.common.cli import REPO
from bench.common.stats import pct
from bench.match_speed import DEFAULT_QUERIES, load_needs, realistic_needs
from bench.quality_data import load
from matching import MatchIndex, MatchQuery, MatchResult, rank

CACHE = Path("/tmp/chainmatch-load-cache/scale-100000")
MODULES = "store,sparse,scale,fusion,industry,cooccur,evidence,explain,rank"

Ranker = Callable[[MatchIndex, MatchQuery], list[MatchResult]]


def reference_rank(ref: str, modules: list[str]) -> Ranker:
    """``rank`` as it was at ``ref``: those of ``modules`` that existed then, importing each other."""
    pkg = types.ModuleType("matching_ref")
    pkg.__path__ = []
    sys.modules[pkg.__name__] = pkg
    sources = {}
    for name in modules:
        res = subprocess.run(["git", "-C", str(REPO), "show", f"{ref}:matching/{name}.py"], capture_output=True,
                             text=True)
        if res.returncode == 0:
            sources[name] = res.stdout
    own = "|".join(sources)
    for name, src in sources.items():  # in the given order: a module after the ones it imports
        mod = types.ModuleType(f"matching_ref.{name}")
        sys.modules[mod.__name__] = mod
        src = re.sub(rf"from matching\.({own}) import", r"from matching_ref.\1 import", src)
        exec(compile(src, f"<{ref}:matching/{name}.py>", "exec"), mod.__dict__)
    return sys.modules["matching_ref.rank"].rank  # type: ignore[no-any-return]


def wordings(total: int) -> dict[str, list[MatchQuery]]:
    sets = {"dev": load_needs(DEFAULT_QUERIES, total), "realistic": realistic_needs(total),
            "long": realistic_needs(total, joined=True)}
    return {w: [MatchQuery(text=b["text"], nodes=tuple(b["nodes"]), scope=b["scope"], limit=b["limit"]) for b in bs]
            for w, bs in sets.items()}


def same(a: list[MatchResult], b: list[MatchResult]) -> bool:
    return [(r.enterprise_id, r.score, r.match, r.explanation) for r in a] == [
        (r.enterprise_id, r.score, r.match, r.explanation) for r in b]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ref", required=True, help="git commit of the reference version")
    ap.add_argument("--scale-dir", type=Path, default=CACHE)
    ap.add_argument("--per-wording", type=int, default=150)
    ap.add_argument("--modules", default=MODULES, help="matching modules taken from --ref, imports first")
    ap.add_argument("--cpu", action="store_true", help="time thread CPU instead of wall time")
    ap.add_argument("--cold", action="store_true", help="no untimed first run per need")
    args = ap.parse_args(argv)

    ref = reference_rank(args.ref, args.modules.split(","))
    t = time.perf_counter()
    _, graph, firms = load(args.scale_dir)
    index = MatchIndex().fit(graph, firms)
    print(f"{index.size} firms, index built in {time.perf_counter() - t:.1f} s; reference {args.ref}; "
          f"{'CPU' if args.cpu else 'wall'} time, {'cold' if args.cold else 'warm'} caches")
    clock = time.thread_time if args.cpu else time.perf_counter
    differ = 0
    for wording, queries in wordings(args.per_wording).items():
        for q in queries[:20]:  # warm-up, as a running service would be
            ref(index, q), rank(index, q)
        times: dict[str, list[float]] = {"ref": [], "new": []}
        for i, q in enumerate(queries):
            if not args.cold:
                ref(index, q), rank(index, q)
            order: list[tuple[str, Ranker]] = [("ref", ref), ("new", rank)]
            answers = {}
            for name, f in order if i % 2 == 0 else order[::-1]:
                t = clock()
                answers[name] = f(index, q)
                times[name].append(clock() - t)
            if not same(answers["ref"], answers["new"]):
                differ += 1
                print(f"  DIFFERENT: {wording} {q.text[:40]!r}")
        r, n = times["ref"], times["new"]
        ratios = [b / a for a, b in zip(r, n, strict=True) if a > 0]
        print(f"{wording:9} reference p50 / p95 {pct(r, 50) * 1e3:.2f} / {pct(r, 95) * 1e3:.2f} ms | "
              f"new {pct(n, 50) * 1e3:.2f} / {pct(n, 95) * 1e3:.2f} ms | new ÷ reference p50 "
              f"{pct(n, 50) / pct(r, 50):.2f}, per need (median) {pct(ratios, 50):.2f} | n={len(queries)}")
    print(f"answers that differ: {differ}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
