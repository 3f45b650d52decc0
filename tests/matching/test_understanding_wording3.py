"""Rules a fifth set of needs from other trades showed (issue #10, branch wording3), each on a hand-checkable case."""

from graph import ChainGraph, NodeSpec
from matching import EnterpriseRecord, MatchConfig, MatchIndex, MatchQuery, rank


def _firm(i: int, product: str) -> EnterpriseRecord:
    return EnterpriseRecord(i, str(i), f"企业{i}", "sme", "none", "", products=((product, 0.6),))


# 压缩机 has a relation (电机 is an input of it); 螺杆式压缩机 has none; 涡旋式压缩机 has one (电机 again)
GRAPH = ChainGraph.build(
    [NodeSpec(n) for n in ("螺杆式压缩机", "涡旋式压缩机", "压缩机", "电机", "水泵")],
    [("电机", "压缩机", "input"), ("电机", "涡旋式压缩机", "input")],
)
FIRMS = [_firm(1, "压缩机"), _firm(2, "水泵"), _firm(3, "电机")]


def _matches(idx: MatchIndex, text: str) -> dict[int, int]:
    return {r.enterprise_id: r.match for r in rank(idx, MatchQuery(text=text, limit=10))}


def test_a_product_the_graph_knows_only_by_name_seeks_its_kind():
    idx = MatchIndex().fit(GRAPH, FIRMS, aliases=())
    # no firm lists 螺杆式压缩机 and the graph has no relation for it: the maker of its kind is the answer, scored
    # as a chain relation (30-50), not as a maker of what was asked for
    got = _matches(idx, "采购螺杆式压缩机6套")
    assert 1 in got and 30 <= got[1] < 50
    assert list(got)[0] == 1


def test_a_product_with_relations_keeps_them_as_its_evidence():
    idx = MatchIndex().fit(GRAPH, FIRMS, aliases=())
    # 涡旋式压缩机 has an input in the graph: its own makers are found through that, the kind is not sought
    got = _matches(idx, "采购涡旋式压缩机6套")
    assert got.get(1, 0) < 30


def test_a_product_one_other_firm_lists_is_still_known_only_by_name():
    firms = [*FIRMS, _firm(4, "螺杆式压缩机")]
    idx = MatchIndex().fit(GRAPH, firms, aliases=())
    got = _matches(idx, "采购螺杆式压缩机")
    assert list(got)[:2] == [4, 1]  # its one maker first, then the maker of the kind
    # with two listers the data knows the product well enough: the kind is not sought
    idx = MatchIndex().fit(GRAPH, [*firms, _firm(5, "螺杆式压缩机")], aliases=())
    assert _matches(idx, "采购螺杆式压缩机").get(1, 0) < 30
    # and the rule can be switched off
    off = MatchIndex(MatchConfig(broader_unrelated_below=0)).fit(GRAPH, firms, aliases=())
    assert _matches(off, "采购螺杆式压缩机").get(1, 0) < 30
