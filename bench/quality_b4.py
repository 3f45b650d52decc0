"""B4: needs as people write them (realistic_needs.jsonl), scored from the text alone.

Relevance follows ../shared/bench/README.md: grade 2 = the firm lists a target with revenue share ≥ 10 %;
1 = lists a target with a smaller or unknown share, or a ``subclass`` of a target up to two levels down.
Peers are firms that list one of the poster's own products and no target; the figure reported is the share
of top-10 slots they take over the needs whose text names the poster's products.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.quality_metrics import mean, ndcg_at_k, recall_at_k, reciprocal_rank
from graph.chainkg import ChainKG

__all__ = ["TRAPS", "b4_queries", "evaluate_b4", "split"]

TRAPS = ("modifier", "purpose", "abbrev", "spec", "synonym", "own_products", "cooperation")
Ranker = Callable[[dict, int], list[str]]


def _subclasses(kg: ChainKG, depth: int = 2) -> dict[str, set[str]]:
    narrower: dict[str, set[str]] = defaultdict(set)
    for r in kg.relations:
        if r.relation == "subclass":
            narrower[r.product].add(r.related)

    def down(name: str) -> set[str]:
        out, frontier = set(), {name}
        for _ in range(depth):
            frontier = {c for f in frontier for c in narrower.get(f, ())} - out - {name}
            out |= frontier
        return out

    return {name: down(name) for name in list(narrower)}


def b4_queries(path: Path, kg: ChainKG) -> list[dict]:
    """The needs with ``relevant`` (code -> grade) and ``peers`` (codes) filled in from the data."""
    lists: dict[str, dict[str, float]] = defaultdict(dict)  # product -> company code -> share
    for cp in kg.company_products:
        lists[cp.product][cp.company_code] = cp.revenue_share
    sub = _subclasses(kg)
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        q = json.loads(line)
        relevant: dict[str, float] = {}
        for t in q["targets"]:
            for s in sub.get(t, ()):
                for code in lists.get(s, {}):
                    relevant.setdefault(code, 1.0)
        makers_of_target: set[str] = set()
        for t in q["targets"]:
            for code, share in lists.get(t, {}).items():
                makers_of_target.add(code)
                relevant[code] = max(relevant.get(code, 0.0), 2.0 if share >= 0.10 else 1.0)
        peers = {code for p in q.get("poster_products", []) for code in lists.get(p, {})} - makers_of_target
        out.append({**q, "nodes": [], "scope": "node", "exclude": [], "relevant": relevant, "peers": sorted(peers)})
    return out


def split(queries: Sequence[dict]) -> tuple[list[dict], list[dict]]:
    """Odd- and even-numbered needs: tune on one half, report the other too."""
    return list(queries[0::2]), list(queries[1::2])


def evaluate_b4(ranker: Ranker, queries: Sequence[dict]) -> dict[str, float]:
    """nDCG@10, Recall@50, MRR, nDCG@10 per trap, and the peers' share of top-10 slots."""
    rows, by_trap = [], defaultdict(list)
    peer_slots = slots = 0
    for q in queries:
        ranked = ranker(q, 50)
        rel = q["relevant"]
        nd = ndcg_at_k(ranked, rel, 10)
        rows.append((nd, recall_at_k(ranked, rel, 50), reciprocal_rank(ranked, rel)))
        for t in q["traps"]:
            by_trap[t].append(nd)
        if q.get("poster_products"):
            peers = set(q["peers"])
            slots += 10
            peer_slots += sum(c in peers for c in ranked[:10])
    out = {
        "nDCG@10": mean([r[0] for r in rows]),
        "Recall@50": mean([r[1] for r in rows]),
        "MRR": mean([r[2] for r in rows]),
        "peers@10": peer_slots / slots if slots else 0.0,
    }
    out.update({f"nDCG@10 {t}": mean(by_trap[t]) for t in TRAPS if by_trap[t]})
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Write B4 needs with their relevance filled in, the format ``chainmatch learn --queries`` checks."""
    import argparse

    from bench.quality_data import load

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("needs", type=Path, help="a B4 needs file (realistic_needs.jsonl, b4_fresh_needs.jsonl …)")
    ap.add_argument("out", type=Path)
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data" / "chainkg")
    args = ap.parse_args(argv)
    kg, _, _ = load(args.data)
    keep = ("id", "text", "nodes", "scope", "exclude", "relevant")
    with open(args.out, "w", encoding="utf-8") as fh:
        for q in b4_queries(args.needs, kg):
            fh.write(json.dumps({k: q[k] for k in keep}, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
