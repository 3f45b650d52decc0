"""The learner on simulated feedback: it recovers a planted preference and beats the engine's order only then."""

import numpy as np

from matching.learner import FEATURES, GRADES, Reranker, Sample, evaluate, features_of, time_split
from matching.types import MatchResult


def _simulate(planted: str, n_needs: int = 60, seed: int = 7) -> list[Sample]:
    """Per need 12 firms ranked by graph evidence; posters pick firms by the ``planted`` feature instead."""
    rng = np.random.default_rng(seed)
    out = []
    col = FEATURES.index(planted)
    for need in range(n_needs):
        X = rng.random((12, len(FEATURES)))
        order = np.argsort(-X[:, 0])  # the engine ranks by graph
        for rank, i in enumerate(order, start=1):
            liked = X[i, col] + 0.1 * rng.standard_normal()
            grade = (GRADES["selected"] if liked > 0.9 else GRADES["interested"] if liked > 0.7
                     else GRADES["dismissed"] if liked < 0.15 else GRADES["shown"])
            out.append(Sample(group=need, time=float(need), rank=rank, features=tuple(X[i]), grade=grade))
    return out


def test_a_planted_preference_is_recovered_and_wins_on_later_needs():
    train, test = time_split(_simulate("cooccurrence"))
    assert max(s.group for s in train) < min(s.group for s in test)  # newest needs held out
    model = Reranker().fit(train)
    coef = dict(zip(FEATURES, model.coef_, strict=True))
    assert max(coef, key=coef.get) == "cooccurrence" and coef["cooccurrence"] > 2
    held = evaluate(model, test)
    assert held["needs"] >= 0.8 * len({s.group for s in test})  # needs where something went further
    assert held["model"] > held["current"] + 0.2


def test_no_preference_beyond_the_engine_gives_no_gain():
    model = Reranker().fit(time_split(_simulate("graph"))[0])
    held = evaluate(model, time_split(_simulate("graph"))[1])
    assert abs(held["model"] - held["current"]) < 0.05


def test_a_model_survives_storage_and_reorders_results():
    model = Reranker().fit(_simulate("text"))
    again = Reranker.from_params(model.params())
    assert np.allclose(again.coef_, model.coef_) and abs(again.intercept_ - model.intercept_) < 1e-5
    results = [MatchResult(1, 2.0, {"scores": {"graph": 1.0, "text": 0.0}}, 90),
               MatchResult(2, 1.0, {"scores": {"graph": 0.2, "text": 1.0}}, 40)]
    assert [r.enterprise_id for r in again.rerank(results)] == [2, 1]
    assert features_of(results[0])["match"] == 0.9


def _seen(results: list[MatchResult]) -> list[tuple]:
    return [(r.enterprise_id, r.score, r.match, r.explanation) for r in results]


def test_ranking_with_the_reranker_explains_only_what_it_returns_and_equals_reranking_after():
    from matching import MatchIndex, MatchQuery, rank
    from tests.matching.conftest import tiny_graph, tiny_records

    index = MatchIndex().fit(tiny_graph(), tiny_records())
    # prefers text and co-occurrence over graph evidence, so the order changes
    model = Reranker.from_params({"features": list(FEATURES), "coef": [-1.0, 2.0, 1.5, 1.0, 0.5, 0.3, -2.0],
                                  "intercept": 0.0})
    changed = 0
    for q in (MatchQuery(text="采购锂电池", limit=8), MatchQuery(text="碳酸锂 供应商", limit=8),
              MatchQuery(nodes=("锂电池",), scope="upstream", limit=8), MatchQuery(text="隔膜", limit=8)):
        engine = rank(index, q)
        assert _seen(rank(index, q, rerank=model.rerank, keep=3)) == _seen(model.rerank(engine)[:3])
        changed += _seen(model.rerank(engine)) != _seen(engine)
    assert changed
