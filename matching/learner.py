"""Learn from outcomes: a re-ranker fitted on what posters and firms did with the matches they were shown.

Every match shown to a poster or delivered to a firm is an *impression* with the evidence behind its score
(:func:`features_of`); what happened next labels it, best first: selected > invited > interested > shown >
dismissed (:data:`GRADES`). :class:`Reranker` fits a logistic regression (scikit-learn) of "this went further
than being shown" on the features, weighting each impression by how far it went, and scores firms by its
decision function. :func:`time_split` keeps the newest needs apart and :func:`evaluate` compares, on them, the
model's order with the order the engine gave (nDCG@10 over the grades), so a model is installed only when it
does better on needs it has not seen.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matching.types import MatchResult

__all__ = ["FEATURES", "GRADES", "Reranker", "Sample", "evaluate", "features_of", "time_split"]

FEATURES = ("graph", "text", "cooccurrence", "feedback", "industry", "match", "competitor")
GRADES = {"dismissed": 0, "shown": 1, "interested": 2, "invited": 3, "selected": 4}


def features_of(result: MatchResult) -> dict[str, float]:
    """The evidence behind a result's score, as the learner reads it (all in about 0..1)."""
    scores = result.explanation.get("scores", {})
    out = {k: float(scores.get(k, 0.0)) for k in FEATURES[:5]}
    out["match"] = result.match / 100.0
    out["competitor"] = float(bool(result.explanation.get("competitor")))
    return out


def vector(features: dict[str, float]) -> list[float]:
    return [float(features.get(k, 0.0)) for k in FEATURES]


@dataclass(frozen=True)
class Sample:
    """One impression: its need (``group``), when the need was first shown (``time``), the engine's rank,
    the features and the outcome's grade."""

    group: int
    time: float
    rank: int
    features: tuple[float, ...]
    grade: int


class Reranker:
    """Logistic regression of "went further than shown" on :data:`FEATURES` (see the module docstring).

    Parameters
    ----------
    C : inverse regularisation strength of the regression.
    """

    def __init__(self, *, C: float = 1.0) -> None:
        self.C = C

    def fit(self, samples: Sequence[Sample]) -> Reranker:
        from sklearn.linear_model import LogisticRegression

        X = np.array([s.features for s in samples], dtype=np.float64)
        grades = np.array([s.grade for s in samples])
        y = (grades >= GRADES["interested"]).astype(int)
        if len(set(y.tolist())) < 2:
            raise ValueError("outcomes of one kind only: nothing to learn from")
        # a selection says more than an interest; a dismissal is as clear a "no" as an interest is a "yes"
        weight = np.where(y == 1, grades - 1.0, np.where(grades == 0, 2.0, 1.0))
        model = LogisticRegression(C=self.C, max_iter=1000).fit(X, y, sample_weight=weight)
        self.coef_ = model.coef_[0].astype(float)
        self.intercept_ = float(model.intercept_[0])
        return self

    def decision(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(X, dtype=np.float64) @ self.coef_ + self.intercept_

    def params(self) -> dict:
        return {"features": list(FEATURES), "coef": [round(float(c), 6) for c in self.coef_],
                "intercept": round(self.intercept_, 6), "C": self.C}

    @classmethod
    def from_params(cls, params: dict) -> Reranker:
        model = cls(C=float(params.get("C", 1.0)))
        coef = dict(zip(params["features"], params["coef"], strict=True))
        model.coef_ = np.array([float(coef.get(k, 0.0)) for k in FEATURES])
        model.intercept_ = float(params["intercept"])
        return model

    def rerank(self, results: Sequence[MatchResult]) -> list[MatchResult]:
        """``results`` in the model's order (ties keep the engine's order)."""
        if not results:
            return []
        s = self.decision(np.array([vector(features_of(r)) for r in results]))
        return [results[i] for i in sorted(range(len(results)), key=lambda i: (-s[i], i))]


def time_split(samples: Sequence[Sample], test_share: float = 0.3) -> tuple[list[Sample], list[Sample]]:
    """Needs in the order they were first shown; the newest ``test_share`` of them are held out."""
    first: dict[int, float] = {}
    for s in samples:
        first[s.group] = min(first.get(s.group, math.inf), s.time)
    groups = sorted(first, key=lambda g: (first[g], g))
    cut = len(groups) - max(1, round(test_share * len(groups)))
    train = set(groups[:cut])
    return [s for s in samples if s.group in train], [s for s in samples if s.group not in train]


def _ndcg(grades: list[int], k: int = 10) -> float:
    def dcg(gs: list[int]) -> float:
        return sum((2 ** max(g - 1, 0) - 1) / math.log2(i + 2) for i, g in enumerate(gs[:k]))

    ideal = dcg(sorted(grades, reverse=True))
    return dcg(grades) / ideal if ideal > 0 else 0.0


def evaluate(model: Reranker, samples: Sequence[Sample], k: int = 10) -> dict[str, float]:
    """Mean nDCG@k over the needs of ``samples`` (those with any outcome beyond being shown): the engine's
    order next to the model's."""
    by_need: dict[int, list[Sample]] = defaultdict(list)
    for s in samples:
        by_need[s.group].append(s)
    current, learned = [], []
    for group in by_need.values():
        if max(s.grade for s in group) < GRADES["interested"]:
            continue
        engine = sorted(group, key=lambda s: s.rank)
        scores = model.decision(np.array([s.features for s in engine]))
        ordered = [engine[i] for i in sorted(range(len(engine)), key=lambda i: (-scores[i], i))]
        current.append(_ndcg([s.grade for s in engine], k))
        learned.append(_ndcg([s.grade for s in ordered], k))
    n = len(current)
    return {"needs": n, "current": float(np.mean(current)) if n else 0.0,
            "model": float(np.mean(learned)) if n else 0.0}
