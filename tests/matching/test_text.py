import jieba
import numpy as np
import pytest

from matching import ChineseAnalyzer, MatchConfig, MatchIndex, NodeLinker
from matching.bm25 import bm25_idf, bm25_tf


@pytest.fixture(scope="module")
def analyzer(graph) -> ChineseAnalyzer:
    return ChineseAnalyzer().fit(graph.surface_forms())


def test_node_names_stay_whole_and_filler_is_dropped(analyzer):
    assert analyzer.words("我公司需要采购一批单水氢氧化锂，欢迎有实力的企业联系") == ["单水氢氧化锂"]
    # filler beats a node that would swallow it: 原材料供应 / 商 must not happen
    assert analyzer.words("为生产锂电池寻找上游原材料供应商") == ["锂电池"]


def test_terms_are_words_plus_bigrams(analyzer):
    assert analyzer.analyze("采购出境游") == ["w:出境游", "g:出境", "g:境游"]
    assert analyzer.analyze("LED灯") [0] == "w:led"


def test_private_tokenizer_leaves_global_jieba_alone(analyzer):
    ChineseAnalyzer().fit(["奇怪的产品名称甲乙"])
    assert "奇怪的产品名称甲乙" not in jieba.dt.FREQ


def test_linker_weighs_specificity_position_and_boundaries(analyzer, graph):
    linker = NodeLinker().fit(graph, analyzer)
    names = graph.names_
    # 计划 is an ordinary word mentioned by accident; the specific product wins
    links = linker.link_need("计划采购碳酸锂")
    assert names[links[0].node] == "碳酸锂" and links[0].weight == 1.0
    assert all(names[lk.node] != "计划" or lk.weight < 0.5 for lk in links)
    # AP hides inside APP: a Latin mention must not cut a Latin word
    assert linker.link_need("需要APP开发") == []
    assert [names[lk.node] for lk in linker.link_need("需要AP")] == ["AP"]
    # the head of 锂电池隔膜 is 隔膜
    links = linker.link_need("采购锂电池隔膜")
    assert names[links[0].node] == "隔膜"
    # fuzzy near miss: 出境旅游 -> 出境游
    fz = linker.link_need("需要出境旅游")
    assert [(names[lk.node], lk.how) for lk in fz] == [("出境游", "fuzzy")]
    # alias
    assert names[linker.link_need("采购单水氢氧化锂")[0].node] == "氢氧化锂"
    # products: exact node, else the contained head gets the contained weight
    assert sorted(linker.link_product("锂电池隔膜", contained_weight=0.3)) == sorted([(linker.forms_["隔膜"], 0.3),
                                                                   (linker.forms_["锂电池"], 0.15)])


def test_bm25_parts_match_the_textbook_formula():
    tf = np.array([1.0, 3.0])
    k1, b, dl, avg = 1.2, 0.75, 10.0, 8.0
    expected = tf / (tf + k1 * (1 - b + b * dl / avg))
    assert np.allclose(bm25_tf(tf, dl, avg, k1, b), expected)
    df = np.array([1, 5])
    assert np.allclose(bm25_idf(df, 10), np.log(1 + (10 - df + 0.5) / (df + 0.5)))


def test_text_scores_agree_with_bm25s_reference(graph, records):
    bm25s = pytest.importorskip("bm25s")
    cfg = MatchConfig(bm25_k1=1.5, bm25_b=0.75)
    idx = MatchIndex(cfg).fit(graph, records)
    corpus = [list(idx._term_counts(r).elements()) for r in records]
    ref = bm25s.BM25(k1=1.5, b=0.75, method="lucene")
    ref.index(corpus, show_progress=False)
    query = ["w:锂电池", "g:锂电", "g:电池", "w:碳酸锂"]
    cols = np.array([idx.vocab_[t] for t in query])
    ours = idx.text_.column_sums(cols, bm25_idf(idx.df_[cols], idx.size))
    theirs = ref.get_scores(query)
    assert np.allclose(ours, theirs, rtol=1e-4, atol=1e-6)
