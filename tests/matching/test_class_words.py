"""A class word beside a product of that class (药品采购：肝素钠注射液) names the class: the few firms that make
the product come before the many that list the class (issue #10)."""

from graph import ChainGraph, NodeSpec
from matching import EnterpriseRecord, MatchConfig, MatchIndex, MatchQuery, rank


def _firm(i: int, product: str, share: float) -> EnterpriseRecord:
    return EnterpriseRecord(i, str(i), f"企业{i}", "sme", "none", "", products=((product, share),))


GRAPH = ChainGraph.build([NodeSpec(n) for n in ("药品", "肝素钠注射液", "医院", "铸件", "灰铁铸件")], [])
# twelve firms list the class as their main line; one lists the wanted product as a small line (as in the data:
# 肝素钠注射液 is 0.05 % of one maker's revenue)
FIRMS = [*(_firm(i, "药品", 0.9) for i in range(1, 13)), _firm(20, "肝素钠注射液", 0.02)]
TEXT = "XX市人民医院药品采购：肝素钠注射液 2ml:12500单位，年用量约2万支"


def _matches(idx: MatchIndex, text: str) -> dict[int, int]:
    return {r.enterprise_id: r.match for r in rank(idx, MatchQuery(text=text, limit=20))}


def test_the_product_comes_before_the_many_makers_of_its_class():
    got = _matches(MatchIndex().fit(GRAPH, FIRMS, aliases=()), TEXT)
    assert list(got)[0] == 20
    # the class's makers are scored as a chain relation (30-50), not as makers of what was asked for
    assert all(30 <= got[i] < 50 for i in range(1, 13))


def test_without_the_rule_the_class_buries_the_product():
    got = _matches(MatchIndex(MatchConfig(class_makers=10_000)).fit(GRAPH, FIRMS, aliases=()), TEXT)
    assert list(got)[0] != 20 and got[1] >= 80


def test_the_class_alone_is_what_is_wanted():
    got = _matches(MatchIndex().fit(GRAPH, FIRMS, aliases=()), "医院药品采购，年度框架")
    assert all(got[i] >= 80 for i in range(1, 13))


def test_two_products_listed_by_similar_numbers_of_firms_are_both_wanted():
    firms = [*(_firm(i, "铸件", 0.8) for i in range(1, 4)), *(_firm(i, "灰铁铸件", 0.8) for i in range(4, 6))]
    got = _matches(MatchIndex().fit(GRAPH, firms, aliases=()), "求购铸件：灰铁铸件，单重5-500kg")
    assert all(got[i] >= 80 for i in range(1, 6))
