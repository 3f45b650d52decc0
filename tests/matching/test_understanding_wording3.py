"""Rules a fifth set of needs from other trades showed (issue #10, branch wording3), each on a hand-checkable case."""

import pytest

from graph import ChainGraph, NodeSpec
from matching import EnterpriseRecord, MatchConfig, MatchIndex, MatchQuery, rank
from matching.understanding import NeedReader
from tests.matching.conftest import need_reader, purposes, wanted


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


# ---- reading the text ------------------------------------------------------------------------------------------

NODES = ("粉末冶金", "结构件", "水处理", "药剂", "乳化剂", "原药", "农药制剂", "涡轮增压器", "发动机", "重卡",
         "浮法玻璃", "耐火材料")


@pytest.fixture(scope="module")
def reader() -> NeedReader:
    return need_reader(NODES)


@pytest.mark.parametrize(("text", "first"), [
    ("寻找粉末冶金结构件供应商", "粉末冶金"),  # 结构件 says only that it is a part; 粉末冶金 says which
    ("污水厂采购水处理药剂", "水处理"),
])
def test_a_generic_part_or_agent_word_defers_to_the_product_before_it(reader, text, first):
    assert wanted(reader.read(text))[0] == first


def test_a_want_clause_ending_in_yong_keeps_its_object(reader):
    u = reader.read("农药制剂厂需要乳化剂（农乳）原药配套用")
    assert wanted(u) == ["乳化剂"] and purposes(u) == ["原药"]
    # without a want verb, or with no separator before the phrase ending in 用, the clause is a purpose as before
    assert purposes(reader.read("采购耐火材料，浮法玻璃生产线用")) == ["浮法玻璃"]
    assert wanted(reader.read("采购耐火材料，浮法玻璃生产线用")) == ["耐火材料"]
    assert wanted(reader.read("需要乳化剂原药配套用")) == []


def test_a_qualified_supplier_is_who_is_sought_not_a_product_head(reader):
    # 合格供方 (a qualified supplier) continued the phrase, so 涡轮增压器 only qualified an unknown head and the
    # topic before the verb (发动机) was read as the want
    u = reader.read("重卡发动机配套寻涡轮增压器合格供方")
    assert wanted(u) == ["涡轮增压器"]
    # and X配套 before the verb says what the goods are for, with or without 为 before it
    assert "发动机" in purposes(u)
