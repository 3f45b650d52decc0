"""Ranking metrics of the quality benchmark, shared by the in-process and the HTTP runs."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

__all__ = ["dcg", "mean", "ndcg_at_k", "recall_at_k", "reciprocal_rank", "summarise"]


def dcg(grades: Sequence[float]) -> float:
    """Graded DCG with exponential gain ``2^g − 1`` and a ``log2(rank + 1)`` discount."""
    return sum((2.0**g - 1.0) / math.log2(i + 2) for i, g in enumerate(grades))


def ndcg_at_k(ranked: Sequence[str], relevant: Mapping[str, float], k: int = 10) -> float:
    ideal = dcg(sorted(relevant.values(), reverse=True)[:k])
    if ideal <= 0:
        return 0.0
    return dcg([relevant.get(c, 0.0) for c in ranked[:k]]) / ideal


def recall_at_k(ranked: Sequence[str], relevant: Mapping[str, float], k: int = 50) -> float:
    rel = {c for c, g in relevant.items() if g > 0}
    if not rel:
        return 0.0
    return len(rel.intersection(ranked[:k])) / len(rel)


def reciprocal_rank(ranked: Sequence[str], relevant: Mapping[str, float] | set[str]) -> float:
    rel = {c for c, g in relevant.items() if g > 0} if isinstance(relevant, Mapping) else set(relevant)
    for i, c in enumerate(ranked):
        if c in rel:
            return 1.0 / (i + 1)
    return 0.0


def mean(xs: Sequence[float]) -> float:
    return sum(xs) / len(xs) if xs else 0.0


def summarise(rows: Sequence[Mapping[str, float]]) -> dict[str, float]:
    """Mean of each metric over per-query rows."""
    keys = rows[0].keys() if rows else ()
    return {k: mean([r[k] for r in rows]) for k in keys}
