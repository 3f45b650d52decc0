"""What need understanding changes in the ranking, and what 匹配度 means (tiny index, no database)."""

import pytest

from graph import ChainGraph, NodeSpec
from matching import EnterpriseRecord, MatchIndex, MatchQuery, rank

NODES = ("动力电池", "电池隔膜", "光伏玻璃", "封装", "组件", "整车", "转向节", "连接器", "汽车连接器", "电解液",
         "锂电池")
EDGES = [("电池隔膜", "动力电池", "input"), ("连接器", "汽车连接器", "subkind"), ("电解液", "锂电池", "input")]


def firm(i: int, name: str, *products: tuple[str, float]) -> EnterpriseRecord:
    return EnterpriseRecord(i, f"{i:06d}", name, "sme", "none", "山东省/济南市", products=products)


FIRMS = [
    firm(1, "甲隔膜", ("电池隔膜", 0.8)),
    firm(2, "乙电池", ("动力电池", 0.9)),
    firm(3, "丙玻璃", ("光伏玻璃", 0.6)),
    firm(4, "丁封装", ("封装", 0.7), ("组件", 0.2)),
    firm(5, "戊汽车", ("整车", 0.9)),
    firm(6, "己锻造", ("转向节", 0.05)),
    firm(7, "庚综合", ("整车", 0.5), ("转向节", 0.3)),
    firm(8, "辛新材", ("锂电池电池隔膜", 0.4)),
    firm(9, "壬电子", ("汽车连接器", 0.6)),
    firm(10, "癸热能", ("空气能热水器", 0.9)),
]


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return MatchIndex().fit(ChainGraph.build([NodeSpec(n) for n in NODES], EDGES), FIRMS, aliases=())


def ranked(index, text="", nodes=(), limit=20):
    res = rank(index, MatchQuery(text=text, nodes=nodes, limit=limit))
    return [r.enterprise_id for r in res], {r.enterprise_id: r for r in res}


def test_a_modifier_does_not_pull_its_makers_in(index):
    ids, res = ranked(index, "寻找动力电池隔膜供应商")
    assert ids[0] == 1
    # the battery maker is the separator maker's customer, not a supplier of separators
    assert 2 not in ids or (ids.index(2) > ids.index(8) and res[2].match < 30)


def test_a_purpose_does_not_pull_its_makers_in(index):
    ids, res = ranked(index, "采购光伏玻璃，用于组件封装")
    assert ids[0] == 3
    assert 4 not in ids or res[4].match < 30


def test_the_posters_peers_are_pushed_out(index):
    ids, res = ranked(index, "我司为整车企业，现需采购转向节")
    assert ids[:2] == [7, 6]  # both make 转向节; the one for which it is a main line first
    assert 5 not in ids or res[5].match < 15  # a maker of 整车 only is the poster's competitor


def test_the_scale_says_what_evidence_a_firm_has(index):
    _, res = ranked(index, nodes=("转向节",))
    assert res[7].match >= 80  # 30 % of revenue: a main line of business
    assert 65 <= res[6].match < 80  # 5 %: makes it, not as a main line
    _, res = ranked(index, nodes=("连接器",))
    assert 50 <= res[9].match < 65  # makes a narrower kind
    _, res = ranked(index, nodes=("电池隔膜",))
    assert 30 <= res[8].match < 50  # a product whose name contains the wanted one
    _, res = ranked(index, "空气能热泵")
    assert res[10].match < 30  # words only
    weak = {"score": res[10].match, "level": "weak", "meaning": "仅有文本或同类企业等弱证据"}
    assert res[10].explanation["match"] == weak


def test_answers_go_band_by_band(index):
    res = rank(index, MatchQuery(nodes=("转向节", "连接器"), limit=20))
    bands = [80 if r.match >= 80 else 65 if r.match >= 65 else 50 if r.match >= 50 else 0 for r in res]
    assert bands == sorted(bands, reverse=True)


def test_reasons_are_whole_words(index):
    _, res = ranked(index, "采购净水器")
    expl = res[10].explanation  # found through the bigram 水器 of its 空气能热水器
    # a bigram or a cut-off piece is evidence, never a reason shown to people
    assert expl["matched_words"] == []
    assert "水器" not in expl["summary"]
    _, res = ranked(index, "采购空气能热泵")
    assert set(res[10].explanation["matched_words"]) <= {"空气", "空气能", "热泵"}
