"""The engine against an earlier version of itself, in one process, query by query (issue #15).

    python -m bench.engine_paired --ref 50a940a [--scale-dir DIR] [--snapshot DIR [--in-memory]] [--per-wording 150]
                                  [--cpu] [--cold]

Indexes of a make_scale_data folder (default: the 100,000-firm cache of bench/load.py), and both versions
rank the same needs, alternating which goes first. The reference is ``matching.rank`` and the
query-side modules it imports (``--modules``) as they were at ``--ref`` (read with ``git show``), loaded as a
package beside the working tree's, so the need reader and the linker are shared (unless ``--with-reading``) and
only the ranking code and the index's code differ: each version ranks on its own index, built (or opened) by its
own ``matching.index`` and ``matching.snapshot``. ``--snapshot DIR`` opens a snapshot written by
``matching.snapshot.save_index`` (written there first from the scale folder if DIR has none), mapped from disk as a
served worker opens it, or read into memory with ``--in-memory``; without it both versions fit an index from the
scale folder. Every answer is
compared (ids, scores, 匹配度, explanations): any difference is counted and printed. Wordings as in
bench/match_speed.py (dev, realistic, long).

``--unseen`` ranks each text as a worker that has never seen it (the caches keyed by the need emptied first), and
``--with-reading`` takes the need reader's modules from ``--ref`` too, so that its changes are compared (each index
then reads with its own analyzer and linker).

``--cpu`` times the thread's CPU (less sensitive to other processes on a shared machine than wall time);
without ``--cold`` both versions rank each need once untimed first, so per-firm caches (explanations'
product evidence, the need reader) are warm for both and only the ranking itself is compared.
"""

from __future__ import annotations

import argparse
import gc
import re
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path

import matching
from bench.common.cli import REPO
from bench.common.stats import pct
from bench.match_speed import DEFAULT_QUERIES, load_needs, realistic_needs
from bench.quality_data import load
from matching import MatchIndex, MatchQuery, MatchResult, rank
from matching import index as matching_index
from matching import snapshot as matching_snapshot

CACHE = Path("/tmp/chainmatch-load-cache/scale-100000")
READING = "analyzer,linking,spec,terms,clauses,phrases,coordination,understanding"
MODULES = "columns,filters,store,sparse,index,snapshot,scale,fusion,industry,cooccur,evidence,explain,rank"

Ranker = Callable[[MatchIndex, MatchQuery], list[MatchResult]]


def _imports_first(sources: dict[str, str]) -> list[str]:
    """The modules ordered so that each comes after those of ``sources`` it imports."""
    deps = {name: set(re.findall(r"from matching\.(\w+) import", src)) & sources.keys() - {name}
            for name, src in sources.items()}
    order: list[str] = []
    while len(order) < len(deps):
        ready = [n for n in deps if n not in order and deps[n] <= set(order)]
        if not ready:
            raise ValueError(f"import cycle among {sorted(set(deps) - set(order))}")
        order += ready
    return order


def reference(ref: str, modules: list[str]) -> types.ModuleType:
    """The package ``matching_ref``: those of ``modules`` that existed at ``ref``, importing each other."""
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
    for name in _imports_first(sources):
        mod = types.ModuleType(f"matching_ref.{name}")
        sys.modules[mod.__name__] = mod
        src = re.sub(rf"from matching\.({own}) import", r"from matching_ref.\1 import", sources[name])
        exec(compile(src, f"<{ref}:matching/{name}.py>", "exec"), mod.__dict__)
        setattr(pkg, name, mod)
    return pkg


def clear_need_caches(index: MatchIndex, *, cuts: bool = True) -> None:
    """Forget everything cached by a need's text or seeds (not per firm); with ``cuts`` also the analyzer's
    remembered cuts of text runs (where the checkout has them), so no part of the text has been seen."""
    for name in ("_link_need", "_understand", "_expand_cached"):
        getattr(index, name).cache_clear()
    for name in ("_run_cut", "_general_cut"):
        remembered = getattr(index.analyzer_, name, None) if cuts else None
        if remembered is not None:
            remembered.cache_clear()


def open_index(pkg: types.ModuleType, scale_dir: Path, snapshot: Path | None, in_memory: bool) -> MatchIndex:
    """An index by ``pkg``'s own code (``matching`` or ``matching_ref``): opened from ``snapshot``, or fitted."""
    index_cls = getattr(pkg, "index", matching_index).MatchIndex
    if snapshot is None:
        _, graph, firms = load(scale_dir)
        return index_cls().fit(graph, firms)  # type: ignore[no-any-return]
    if not (snapshot / "manifest.json").exists():
        _, graph, firms = load(scale_dir)
        matching_snapshot.save_index(MatchIndex().fit(graph, firms), snapshot)
    return getattr(pkg, "snapshot", matching_snapshot).load_index(snapshot, mmap=not in_memory)  # type: ignore


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
    ap.add_argument("--snapshot", type=Path, help="open the index from this snapshot folder (written if missing)")
    ap.add_argument("--in-memory", action="store_true", help="with --snapshot: read it into memory, not mapped")
    ap.add_argument("--per-wording", type=int, default=150)
    ap.add_argument("--modules", default=MODULES, help="matching modules taken from --ref, imports first")
    ap.add_argument("--cpu", action="store_true", help="time thread CPU instead of wall time")
    ap.add_argument("--cold", action="store_true", help="no untimed first run per need")
    ap.add_argument("--unseen", action="store_true",
                    help="cold, and every text as never seen: each text once, and both indexes' caches keyed by the "
                         "need (reading, links, expansion, remembered cuts) emptied before each ranking")
    ap.add_argument("--with-reading", action="store_true",
                    help=f"also take the need reader's modules ({READING}) from --ref, so the reading is compared too")
    args = ap.parse_args(argv)

    args.cold = args.cold or args.unseen
    pkg = reference(args.ref, (f"{READING},{args.modules}" if args.with_reading else args.modules).split(","))
    ref_rank: Ranker = pkg.rank.rank
    t = time.perf_counter()
    ref_index = open_index(pkg, args.scale_dir, args.snapshot, args.in_memory)
    index = open_index(matching, args.scale_dir, args.snapshot, args.in_memory)
    # as a served worker does after loading (app/core/prefork.py): the indexes' objects leave the collector's view,
    # so a collection that a ranking's allocations set off does not walk them and land on one version's clock
    gc.collect()
    gc.freeze()
    how = "fitted" if args.snapshot is None else f"{'read' if args.in_memory else 'mapped'} from {args.snapshot}"
    print(f"{index.size} firms, two indexes {how} in {time.perf_counter() - t:.1f} s; reference {args.ref}; "
          f"{'CPU' if args.cpu else 'wall'} time, {'cold' if args.cold else 'warm'} caches")

    def ref(_: MatchIndex, q: MatchQuery) -> list[MatchResult]:
        return ref_rank(ref_index, q)

    clock = time.thread_time if args.cpu else time.perf_counter
    differ = 0
    for wording, queries in wordings(args.per_wording).items():
        if args.unseen:  # the realistic and long wordings repeat their texts
            queries = list({q.text: q for q in queries}.values())
        for q in queries[:20]:  # warm-up, as a running service would be
            ref(index, q), rank(index, q)
        times: dict[str, list[float]] = {"ref": [], "new": []}
        for i, q in enumerate(queries):
            if not args.cold:
                ref(index, q), rank(index, q)
            order: list[tuple[str, Ranker]] = [("ref", ref), ("new", rank)]
            answers = {}
            for name, f in order if i % 2 == 0 else order[::-1]:
                if args.unseen:
                    clear_need_caches(ref_index if name == "ref" else index)
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
