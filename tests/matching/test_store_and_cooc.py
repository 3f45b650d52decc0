import numpy as np
import scipy.sparse as sp

from graph import ChainGraph, NodeSpec
from matching import EnterpriseRecord, MatchConfig, MatchIndex, MatchQuery, rank
from matching.evidence import _listed, _listed_each
from matching.store import SparseRows


def test_sparse_rows_agree_with_dense_algebra():
    rng = np.random.default_rng(0)
    dense = (rng.random((30, 12)) < 0.3) * rng.random((30, 12))
    rows = [(np.flatnonzero(r), r[np.flatnonzero(r)]) for r in dense]
    store = SparseRows(compact_at=5).build(rows[:20], 12)
    for cols, vals in rows[20:]:
        store.append(cols, vals, 12)  # two compactions and an overlay of the rest
    assert store.n_rows == 30
    np.testing.assert_allclose(store.matrix().toarray(), dense, rtol=1e-6)
    cols, w = np.array([1, 4, 7]), np.array([0.5, 2.0, 1.0])
    np.testing.assert_allclose(store.column_sums(cols, w), dense[:, cols] @ w, rtol=1e-5)
    np.testing.assert_allclose(store.column_sums(cols, w, reduce="max"), (dense[:, cols] * w).max(axis=1), rtol=1e-5)
    slots, sw = np.array([0, 3, 29]), np.array([1.0, 0.5, 2.0])
    touched, vals = store.rows_dot(slots, sw)
    expected = sw @ dense[slots]
    np.testing.assert_allclose(vals, expected[touched], rtol=1e-5)
    assert set(touched) == set(np.flatnonzero(expected))
    # columns beyond the known width are simply empty
    assert store.column_sums(np.array([50]), np.array([1.0])).sum() == 0
    assert sp.issparse(store.matrix())


def test_products_made_together_surface_a_firm_that_does_not_list_the_product():
    graph = ChainGraph.build([NodeSpec(n) for n in ("碳酸锂", "锂矿石", "氯化锂", "出境游")], [])
    # three makers of 碳酸锂 also make 锂矿石; a fourth firm makes only 锂矿石 and 氯化锂
    recs = [EnterpriseRecord(i, str(i), f"锂业{i}", "sme", "none", "", products=(("碳酸锂", 0.5), ("锂矿石", 0.3)))
            for i in range(3)]
    recs.append(EnterpriseRecord(3, "3", "矿业", "sme", "none", "", products=(("锂矿石", 0.6), ("氯化锂", 0.4))))
    recs.append(EnterpriseRecord(4, "4", "旅行社", "sme", "none", "", products=(("出境游", 1.0),)))
    idx = MatchIndex(MatchConfig(w_text=0.0)).fit(graph, recs)
    res = rank(idx, MatchQuery(text="采购碳酸锂", exclude=frozenset({0, 1, 2})))
    assert [r.enterprise_id for r in res] == [3]
    assert res[0].explanation["made_together"] == [{"product": "锂矿石", "node": "锂矿石"}]
    assert res[0].explanation["scores"]["cooccurrence"] == 1.0


def test_a_text_of_only_filler_words_is_taken_literally(index):
    # 配套 is a filler word of need texts, but when it is all there is, it is what is asked for
    res = rank(index, MatchQuery(text="需要配套"))
    assert isinstance(res, list)


def test_listed_flags_of_several_node_sets_from_one_gather_are_each_sets_own(index):
    # 锂电池 is listed by 甲 itself, only contained in 戊's 锂电池隔膜 (not listed); 碳酸锂 by 丙; 隔膜 and 计划 by
    # nobody (出境游 is: 己 lists 出境旅游, another name of it in the shipped alias list)
    G = index.graph_
    sets = [np.array([G.lookup("锂电池")]), np.array([G.lookup("碳酸锂"), G.lookup("隔膜")]),
            np.array([G.lookup("计划")])]
    cand = np.arange(len(index.alive_))
    each = _listed_each(index, sets, cand)
    for nodes, flags in zip(sets, each, strict=True):
        assert flags.tolist() == _listed(index, nodes, cand).tolist()
    ids = index.slot_ids_.tolist()
    assert [[ids[s] for s in np.flatnonzero(f)] for f in each] == [[1], [3], []]
