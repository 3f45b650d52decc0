import json

import numpy as np
import pytest

from matching import (
    EmptyQueryError,
    EnterpriseRecord,
    MatchConfig,
    MatchIndex,
    MatchQuery,
    UnknownNodeError,
    fuse,
    rank,
)


def ids(results):
    return [r.enterprise_id for r in results]


def test_node_query_ranks_makers_then_subkind_makers(index):
    res = rank(index, MatchQuery(nodes=("锂电池",)))
    assert ids(res)[:2] == [1, 2]  # maker of the node, then maker of its sub-kind
    assert res[0].score > res[1].score


def test_text_only_query_links_the_node(index):
    res = rank(index, MatchQuery(text="我公司需要采购一批锂电池，欢迎有实力的企业联系"))
    assert ids(res)[0] == 1
    expl = res[0].explanation
    assert expl["need_nodes"][0]["node"] == "锂电池"
    assert "锂电池" in expl["matched_words"]


def test_upstream_ranks_suppliers_not_competitors_and_explains_the_path(index):
    res = rank(index, MatchQuery(text="为生产锂电池寻找上游原材料供应商", nodes=("锂电池",), scope="upstream"))
    got = ids(res)
    assert set(got[:2]) == {4, 5}  # makers of 正极材料 and 电解液 (and 隔膜, contained in 5's product)
    assert got.index(3) < (got.index(1) if 1 in got else len(got))  # 碳酸锂 (input of an input) beats a competitor
    assert 1 not in got[:3] and 2 not in got[:3]
    lithium = next(r for r in res if r.enterprise_id == 3)
    path = lithium.explanation["graph_paths"][0]
    assert path["text"].startswith("锂电池 —上游材料→ 正极材料 —上游材料→ 碳酸锂")
    assert "占营收32%" in path["text"]
    json.dumps([r.explanation for r in res])  # plain JSON all the way down


def test_filters_apply_before_top_k(index):
    q = dict(nodes=("锂电池",), limit=1)
    assert ids(rank(index, MatchQuery(**q, regions=("江苏省",)))) == [2]
    assert ids(rank(index, MatchQuery(**q, exclude=frozenset({1})))) == [2]
    assert ids(rank(index, MatchQuery(nodes=("碳酸锂",), kinds=("large",)))) == [3]
    assert ids(rank(index, MatchQuery(nodes=("正极材料",), tiers=("gold",)))) == [4]
    assert ids(rank(index, MatchQuery(nodes=("锂电池",), regions=("山东",))))[0] == 1  # a plain string prefix


def test_errors(index):
    with pytest.raises(EmptyQueryError):
        rank(index, MatchQuery())
    with pytest.raises(UnknownNodeError) as err:
        rank(index, MatchQuery(nodes=("锂电池", "不存在的节点")))
    assert err.value.names == ["不存在的节点"]
    assert ids(rank(index, MatchQuery(nodes=("单水氢氧化锂",))))[0] == 3  # aliases are accepted


def test_fusion_formula():
    cfg = MatchConfig(w_graph=1.0, w_text=0.5, w_cooc=0.2, competitor_penalty=0.6, sum_bonus=0.1)
    g_max, g_sum = np.array([1.0, 0.6, 0.0]), np.array([1.0, 1.2, 0.0])
    text, cooc, comp = np.array([1.0, 0.0, 0.5]), np.array([0.0, 1.0, 0.0]), np.array([0.0, 0.0, 1.0])
    node = fuse(g_max, g_sum, text, cooc, comp, config=cfg, scope="node")
    assert np.allclose(node, [1.5, 0.66 + 0.2, 0.25])
    up = fuse(g_max, g_sum, text, cooc, comp, config=cfg, scope="upstream")
    assert np.allclose(up, [1.0 + cfg.w_text_upstream, 0.86, 0.5 * cfg.w_text_upstream - 0.6])


def test_upsert_and_remove_are_fresh_and_versioned(index, graph, records):
    v0, n0 = index.version_, index.size
    new = EnterpriseRecord(99, "000099", "新锂业", "sme", "none", "四川省/成都市", products=(("碳酸锂", 0.9),))
    index.upsert(new)
    assert (index.version_, index.size) == (v0 + 1, n0 + 1)
    assert 99 in ids(rank(index, MatchQuery(nodes=("碳酸锂",))))
    # replacing changes what the firm is found for
    index.upsert(EnterpriseRecord(99, "000099", "新旅游", "sme", "none", "四川省/成都市", products=(("出境游", 1.0),)))
    assert (index.version_, index.size) == (v0 + 2, n0 + 1)
    assert 99 not in ids(rank(index, MatchQuery(nodes=("碳酸锂",))))
    assert ids(rank(index, MatchQuery(nodes=("出境游",))))[0] == 99
    index.remove(99)
    assert (index.version_, index.size) == (v0 + 3, n0)
    assert 99 not in ids(rank(index, MatchQuery(text="出境游")))
    index.remove(99)  # removing what is not there changes nothing
    assert (index.version_, index.size) == (v0 + 3, n0)
    # after the round trip the scores equal a fresh fit (document frequencies were kept exact)
    fresh = MatchIndex().fit(graph, records)
    q = MatchQuery(text="采购锂电池和碳酸锂", limit=10)
    a = [(r.enterprise_id, round(r.score, 6)) for r in rank(index, q)]
    b = [(r.enterprise_id, round(r.score, 6)) for r in rank(fresh, q)]
    assert a == b


def test_many_updates_compact_without_losing_anyone(graph, records):
    idx = MatchIndex(MatchConfig(compact_at=4)).fit(graph, records)
    for i in range(100, 140):
        idx.upsert(EnterpriseRecord(i, str(i), f"企业{i}", "sme", "none", "", products=(("电解液", 0.5),)))
    for i in range(100, 130):
        idx.remove(i)
    assert idx.size == len(records) + 10
    got = set(ids(rank(idx, MatchQuery(nodes=("电解液",), limit=50))))
    assert {5, *range(130, 140)} <= got and not got & set(range(100, 130))
    assert len(idx.alive_) < 40  # dead slots were dropped


def test_an_empty_index_can_grow(graph):
    idx = MatchIndex().fit(graph, [])
    assert idx.size == 0 and rank(idx, MatchQuery(nodes=("锂电池",))) == []
    idx.upsert(EnterpriseRecord(1, "1", "甲", "sme", "none", "", products=(("锂电池", 0.5), ("新产品名", 0.5))))
    assert ids(rank(idx, MatchQuery(text="采购锂电池"))) == [1]
    assert ids(rank(idx, MatchQuery(text="新产品名"))) == [1]  # a product that is no node, found by its words


def test_a_maker_of_the_product_is_pushed_below_pure_suppliers(graph, records):
    both = EnterpriseRecord(8, "8", "综合", "sme", "none", "", products=(("锂电池", 0.001), ("电解液", 0.9)))
    idx = MatchIndex().fit(graph, [*records, both])
    res = rank(idx, MatchQuery(nodes=("锂电池",), scope="upstream"))
    got = ids(res)
    assert got.index(5) < got.index(8)  # 5 supplies 电解液 only; 8 also makes 锂电池
    assert next(r for r in res if r.enterprise_id == 8).explanation["competitor"] is True


def test_queries_and_updates_from_two_threads(graph, records):
    import threading

    idx = MatchIndex(MatchConfig(compact_at=8)).fit(graph, records)
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for i in range(200, 400):
                idx.upsert(EnterpriseRecord(i, str(i), "企业", "sme", "none", "", products=(("电解液", 0.5),)))
                if i % 3 == 0:
                    idx.remove(i - 1)
        except BaseException as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)

    t = threading.Thread(target=writer)
    t.start()
    while t.is_alive():
        rank(idx, MatchQuery(text="采购电解液", limit=5))
    t.join()
    assert not errors
    assert idx.size == len(records) + 200 - 67
