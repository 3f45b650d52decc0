"""What the benchmarks share (bench/common): the percentile they all report with and the BM25 baseline they are
compared against. A wrong percentile or a baseline that ranks differently would silently move every figure."""

from __future__ import annotations

import random
from typing import NamedTuple

import numpy as np
import pytest

from bench.common.bm25 import BigramBM25, bigrams
from bench.common.stats import pct


@pytest.mark.parametrize("n", [1, 2, 7, 40, 301])
def test_the_percentile_is_numpys_linear_one(n: int) -> None:
    xs = [random.Random(n).expovariate(1.0) for _ in range(n)]
    for q in (0, 1, 50, 90, 95, 99, 100):
        assert pct(xs, q) == pytest.approx(float(np.percentile(xs, q)))
    assert pct([3.0, 1.0, 2.0], 50) == 2.0  # sorts first


def test_bigrams_ignore_white_space_and_case() -> None:
    assert bigrams("Ab c") == ["ab", "bc"]
    assert bigrams("锂 电池") == ["锂电", "电池"]
    assert bigrams("x") == ["x"] and bigrams("  ") == []


class Firm(NamedTuple):
    name: str
    products: tuple[tuple[str, float], ...]


FIRMS = [Firm(f"公司{i}", tuple((p, 0.1) for p in products)) for i, products in enumerate([
    ("锂电池", "电池隔膜"), ("电池隔膜",), ("正极材料", "锂电池"), ("光伏组件",), ("锂电池", "锂电池回收"),
    ("电解液",), ("隔膜涂覆",), ("负极材料",), ("电池隔膜", "隔膜涂覆"), ("光伏玻璃",),
])]


@pytest.fixture(scope="module")
def baseline() -> BigramBM25:
    pytest.importorskip("bm25s")
    return BigramBM25(FIRMS)


@pytest.mark.parametrize("text", ["锂电池", "电池隔膜", "隔膜 锂电池 回收", "光伏"])
def test_the_baseline_ranks_by_bm25_score_best_first(baseline: BigramBM25, text: str) -> None:
    scores = baseline.retriever.get_scores(baseline.tokens(text))
    ranked = baseline.top(text, 3)
    assert ranked == baseline.top(text, 3, full=True)  # argpartition and a full sort agree
    assert ranked and all(scores[i] > 0 for i in ranked)
    assert [scores[i] for i in ranked] == sorted((scores[i] for i in ranked), reverse=True)
    assert min(scores[i] for i in ranked) >= max(np.delete(scores, ranked), default=0.0)
    everything = baseline.top(text, len(FIRMS))
    assert set(everything) == {i for i, s in enumerate(scores) if s > 0}


def test_the_baseline_leaves_out_excluded_firms_and_unknown_text(baseline: BigramBM25) -> None:
    best = baseline.top("电池隔膜", 3)
    assert best[0] not in baseline.top("电池隔膜", 3, exclude=[best[0]])
    assert baseline.top("电池隔膜", 3, exclude=[best[0]])[0] == best[1]
    assert baseline.top("无关文字", 5) == [] and baseline.tokens("无关文字") == []
    ids, _ = baseline.retrieve(baseline.tokens("光伏组件"), k=2)
    assert int(ids[0][0]) == 3
