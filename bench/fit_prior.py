"""Fit the prior re-ranker (matching/prior.py) on the B4 development sets and write matching/data/prior.json.

    .venv/bin/python -m bench.fit_prior [--data ../shared/data/chainkg] [--out matching/data/prior.json]
                                        [--check-only]

Each development need is ranked by the engine alone (``prior_depth=0``; its best 50 firms); every firm is a
row of :data:`matching.prior.FEATURES` labelled by its relevance grade (0, 1 or 2, bench/quality_b4.py; -1 for
the poster's peers, who are worse than unrelated firms).
Gradient-boosted regression trees are fitted on the rows, and judged two ways before they are written:
five folds of whole development sets (fitted on four fifths, nDCG@10 on the rest), and the blind sets, which
are never fitted on and are reported only as one sum. ``--check-only`` prints the figures and writes nothing.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bench.quality_b4 import b4_queries
from bench.quality_data import load
from bench.quality_metrics import dcg
from matching import MatchConfig, MatchIndex, MatchQuery, rank
from matching.prior import FEATURES, Trees, prior_applies, prior_features, prior_order

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
# the sets the trees learn from (written by helpers who read neither the engine nor earlier needs) ...
DEV_SETS = ("realistic", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh8", "fresh9", "fresh11", "fresh13",
            "fresh14", "fresh15", "fresh18", "fresh20", "fresh23", "fresh25", "fresh27", "fresh29", "fresh30",
            "fresh31", "fresh32", "fresh33")
# ... and those kept out of every fit and every reading rule: the check that what is learned carries over
BLIND_SETS = ("fresh6", "fresh7", "fresh10", "fresh12", "fresh17", "fresh19", "fresh21", "fresh22", "fresh24",
              "fresh26", "fresh28")
DEPTH = 50  # the firms the trees learn from: set MatchConfig.prior_depth to the same to apply them
PEER_GRADE = -1.0
PARAMS = {"n_estimators": 100, "learning_rate": 0.1, "max_depth": 3, "min_samples_leaf": 50, "subsample": 0.8,
          "random_state": 0}


def needs_path(name: str) -> Path:
    if name == "realistic":
        return SHARED / "bench" / "realistic_needs.jsonl"
    return ROOT / "bench" / ("b4_fresh_needs.jsonl" if name == "fresh" else f"b4_{name}_needs.jsonl")


Rows = tuple[np.ndarray, np.ndarray, list[float], bool]


def rows_of(index: MatchIndex, needs: Sequence[dict], codes: dict[int, str]) -> list[Rows]:
    """Per need: the features of the engine's best firms, their grades, the grades an ideal order has, and
    whether the engine applies the trees to it (:func:`matching.prior.prior_applies`: not to a product lookup).
    The trees learn from every need, lookups included: what orders a lookup's firms orders a sentence's too."""
    out = []
    for q in needs:
        results = rank(index, MatchQuery(text=q["text"], limit=DEPTH))
        peers = set(q["peers"])
        # a firm making the poster's own products and none wanted is worse than one unrelated: it fills the list
        # with the poster's competitors (the peers bench.quality counts)
        grades = np.array([q["relevant"].get(codes[r.enterprise_id], PEER_GRADE if codes[r.enterprise_id] in peers
                                             else 0.0) for r in results])
        expl = [r.explanation for r in results]
        u = index.understand(q["text"])
        X = prior_features(
            index, u, q["text"], [r.enterprise_id for r in results],
            {k: [e["scores"].get(k, 0.0) for e in expl] for k in ("graph", "text", "cooccurrence", "industry")},
            [r.match for r in results], [bool(e.get("competitor")) for e in expl], [bool(e.get("rival")) for e in expl],
        )
        out.append((X, grades, sorted(q["relevant"].values(), reverse=True), prior_applies(u)))
    return out


def fit(rows: Sequence[Rows]):  # type: ignore[no-untyped-def]
    from sklearn.ensemble import GradientBoostingRegressor

    X = np.vstack([r[0] for r in rows if len(r[0])])
    y = np.concatenate([r[1] for r in rows if len(r[1])])
    return GradientBoostingRegressor(**PARAMS).fit(X, y)  # type: ignore[arg-type]


def ndcg_sum(rows: Sequence[Rows], predict=None) -> float:  # type: ignore[no-untyped-def]
    """Sum of nDCG@10 over the needs, in the engine's order or, where the engine applies the trees, in the
    order ``predict`` gives within the limits the engine keeps (:func:`matching.prior.prior_order`); the ideal
    order counts the relevant firms the engine's best 50 missed, as bench.quality does."""
    total = 0.0
    for X, grades, ideal, applies in rows:
        best = dcg(ideal[:10])
        if not len(grades) or best <= 0:
            continue
        order = prior_order(predict(X), X) if predict is not None and applies else np.arange(len(grades))
        total += dcg(np.maximum(grades[order][:10], 0.0).tolist()) / best
    return total


def export(model, n_rows: int, meta: dict) -> dict:  # type: ignore[no-untyped-def]
    lr = model.learning_rate
    trees = []
    for est in model.estimators_[:, 0]:
        t = est.tree_
        trees.append({"feature": [max(int(f), 0) for f in t.feature], "threshold": [float(v) for v in t.threshold],
                      "left": [int(c) for c in t.children_left], "right": [int(c) for c in t.children_right],
                      "value": [float(v) * lr for v in t.value[:, 0, 0]]})
    return {"features": list(FEATURES), "base": float(model.init_.constant_[0][0]), "depth": model.max_depth,
            "meta": {**meta, "rows": n_rows, "params": PARAMS}, "trees": trees}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=SHARED / "data" / "chainkg")
    ap.add_argument("--out", type=Path, default=ROOT / "matching" / "data" / "prior.json")
    ap.add_argument("--check-only", action="store_true")
    args = ap.parse_args(argv)
    import sklearn

    t0 = time.perf_counter()
    kg, graph, records = load(args.data)
    index = MatchIndex(MatchConfig(prior_depth=0)).fit(graph, records)
    codes = {r.id: r.code for r in records}
    per_set = {name: rows_of(index, b4_queries(needs_path(name), kg), codes) for name in (*DEV_SETS, *BLIND_SETS)}
    print(f"features of {sum(len(v) for v in per_set.values())} needs in {time.perf_counter() - t0:.0f} s")
    folds = [DEV_SETS[i::5] for i in range(5)]
    before = after = 0.0
    for fold in folds:
        model = fit([r for name in DEV_SETS if name not in fold for r in per_set[name]])
        held = [r for name in fold for r in per_set[name]]
        before += ndcg_sum(held)
        after += ndcg_sum(held, model.predict)
    n_dev = sum(len(per_set[name]) for name in DEV_SETS)
    model = fit([r for name in DEV_SETS for r in per_set[name]])
    blind = [r for name in BLIND_SETS for r in per_set[name]]
    figures = {
        "dev_needs": n_dev, "dev_folds_ndcg10_before": round(before / n_dev, 4),
        "dev_folds_ndcg10_after": round(after / n_dev, 4), "blind_needs": len(blind),
        "blind_ndcg10_before": round(ndcg_sum(blind) / len(blind), 4),
        "blind_ndcg10_after": round(ndcg_sum(blind, model.predict) / len(blind), 4),
    }
    print(json.dumps(figures))
    dev_rows = [r for name in DEV_SETS for r in per_set[name]]
    doc = export(model, sum(len(r[0]) for r in dev_rows),
                 {"dev_sets": list(DEV_SETS), "figures": figures, "sklearn": sklearn.__version__})
    X = np.vstack([r[0] for r in dev_rows if len(r[0])])
    # the stored trees must give what scikit-learn gives, or the figures above say nothing of the engine
    gap = float(np.abs(Trees.from_dict(doc).predict(X) - model.predict(X)).max())
    print(f"stored trees against scikit-learn: largest difference {gap:.2e}")
    if gap > 1e-6:
        raise SystemExit("the exported trees do not reproduce the model")
    if not args.check_only:
        args.out.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB)")
    return 0 if math.isfinite(after) else 1


if __name__ == "__main__":
    raise SystemExit(main())
