"""Chain analytics on a tiny hand-computed chain: every figure below is worked out in the comments."""

import dataclasses
import json

import pytest

from graph import AnalyticsError, ChainGraph, Firm, Supply, UnknownFirmError, UnknownNodeError, supply_table
from graph.analytics import chain_analysis, concentration_band, node_table, supply_rate, weak_links

# 电池 ← 正极, 负极, 电解液; 电机 ← 磁材; 正极 ← 锂; 三元正极 is a sub-kind of 正极.
EDGES = [
    ("正极", "电池", "input"),
    ("负极", "电池", "input"),
    ("电解液", "电池", "input"),
    ("磁材", "电机", "input"),
    ("锂", "正极", "input"),
    ("正极", "三元正极", "subkind"),
]
CHAIN = ["电池", "电机", "正极", "负极", "电解液", "磁材", "锂", "三元正极"]
FIRMS = [
    Firm("L1", "山东省/济南市", "none", "leader"),
    Firm("A", "山东省/青岛市", "provincial"),
    Firm("B", "山东省/济南市", "none"),
    Firm("C", "江苏省/苏州市", "little_giant"),
    Firm("D", "山东省/烟台市", "innovative"),
    Firm("E", "山东省", "little_giant"),
]
LINKS = [
    # L1: 电池 0.6 and 电机 0.2 of its revenue -> weights 0.75 and 0.25 -> each input of 电池 0.25, 磁材 0.25
    Supply("L1", "电池", 0.6, "declared"),
    Supply("L1", "电机", 0.2, "declared"),
    Supply("A", "三元正极", 0.5, "imported"),  # a maker of 三元正极 makes 正极
    Supply("B", "负极", 0.4, "declared"),
    Supply("C", "电解液", None, "imported"),
    Supply("D", "磁材", 0.3, "declared"),
    Supply("E", "磁材", 0.1, "inferred"),  # inferred links are estimates
]


def graph() -> ChainGraph:
    return ChainGraph.build([], EDGES)


def table(firms=FIRMS, links=LINKS):
    return supply_table(graph(), firms, links)


def by_node(nodes):
    return {n.node: n for n in nodes}


def test_makers_by_region_and_tier_count_sub_kind_makers():
    nodes = by_node(node_table(graph(), table(), CHAIN, region="山东省"))
    assert nodes["正极"].local_makers == {"none": 0, "innovative": 0, "provincial": 1, "little_giant": 0}
    assert nodes["电解液"].local_makers == dict.fromkeys(("none", "innovative", "provincial", "little_giant"), 0)
    assert nodes["电解液"].outside_makers["little_giant"] == 1
    assert nodes["电解液"].suppliers.value == 0 and nodes["电解液"].suppliers.basis is None
    assert nodes["磁材"].local_makers == {"none": 0, "innovative": 1, "provincial": 0, "little_giant": 1}
    assert nodes["锂"].suppliers.value == 0 and nodes["锂"].makers_basis is None


def test_without_sub_kind_expansion_the_kind_has_no_maker():
    t = supply_table(graph(), FIRMS, LINKS, via_narrower=False)
    assert by_node(node_table(graph(), t, CHAIN))["正极"].suppliers.value == 0


def test_hhi_capacity_and_basis():
    nodes = by_node(node_table(graph(), table(), CHAIN, region="山东省"))
    cimag = nodes["磁材"]
    # shares 0.3 and 0.1 -> 0.75 and 0.25 of the node -> 10000 * (0.5625 + 0.0625) = 6250
    assert cimag.hhi.value == pytest.approx(6250.0)
    assert cimag.concentration == "high"
    assert cimag.capacity.value == pytest.approx(0.4) and cimag.capacity_known == 2
    assert cimag.hhi.basis == "estimated" and cimag.capacity.basis == "estimated"  # E's link is inferred
    assert nodes["负极"].hhi.value == 10000.0 and nodes["负极"].hhi.basis == "declared"
    assert nodes["电解液"].hhi.value is None and nodes["电解液"].concentration is None


def test_hhi_imputes_an_unknown_share_as_the_mean_known_share():
    firms = [Firm(i, "山东省") for i in "xyz"]
    links = [("x", "锂", 0.2, "declared"), ("y", "锂", None, "declared"), ("z", "锂", 0.4, "declared")]
    lith = by_node(node_table(graph(), supply_table(graph(), firms, links), ["锂"]))["锂"]
    # y gets 0.3 -> (0.04 + 0.09 + 0.16) / 0.81 = 0.35802...
    assert lith.hhi.value == pytest.approx(3580.2, abs=0.05)
    assert lith.hhi.basis == "estimated"
    assert lith.capacity.value == pytest.approx(0.6) and lith.capacity_known == 2
    assert lith.capacity.basis == "declared"
    assert lith.concentration == "high"


def test_hhi_with_no_known_share_treats_suppliers_as_equal():
    firms = [Firm(i, "山东省") for i in "wxyz"]
    links = [(f, "锂", 0.001, "imported") for f in "wxyz"]  # 0.001 is chainkg's "no figure"
    lith = node_table(graph(), supply_table(graph(), firms, links), ["锂"])[0]
    assert lith.hhi.value == pytest.approx(2500.0) and lith.concentration == "moderate"
    assert lith.capacity.value == 0.0 and lith.capacity.basis is None


@pytest.mark.parametrize(("hhi", "band"), [(0.0, "unconcentrated"), (1499.9, "unconcentrated"),
                                           (1500.0, "moderate"), (2500.0, "moderate"), (2500.1, "high"),
                                           (10000.0, "high"), (None, None)])
def test_concentration_bands(hhi, band):
    assert concentration_band(hhi) == band


def test_single_local_source_names_the_firm():
    nodes = by_node(node_table(graph(), table(), CHAIN, region="山东省"))
    assert nodes["正极"].single_source == "A"
    assert nodes["负极"].single_source == "B"
    assert nodes["磁材"].single_source is None  # two suppliers
    assert nodes["电解液"].single_source is None  # none


def test_supply_rate_weights_inputs_by_the_leaders_revenue_shares():
    rate = supply_rate(graph(), table(), CHAIN, region="山东省")
    # 正极 (A), 负极 (B), 磁材 (D, E) are supplied in 山东省, 电解液 is not: 1 - 0.25
    assert rate.rate.value == pytest.approx(0.75)
    assert rate.weighting == "leaders"
    assert [(m.node, m.uncovered, m.in_chain, m.suppliers, m.needed_by) for m in rate.missing] == [
        ("电解液", pytest.approx(0.25), True, 0, ("L1",))]
    assert rate.inputs == 4 and rate.covered == 3
    # weights are declared; the covered inputs rest at best on A's imported link
    assert rate.rate.basis == "imported"
    (leader,) = rate.leaders
    assert leader.leader == "L1" and leader.rate.value == pytest.approx(0.75) and leader.missing == 1


def test_supply_rate_by_region_and_tier():
    g, t = graph(), table()
    # provincial or above: A (provincial) and E (little giant) count, B (none) and D (innovative) do not
    r = supply_rate(g, t, CHAIN, region="山东省", min_tier="provincial")
    assert r.rate.value == pytest.approx(0.5)
    assert sorted(m.node for m in r.missing) == ["电解液", "负极"]
    # 济南市: only B's 负极 is local
    assert supply_rate(g, t, CHAIN, region="山东省/济南市").rate.value == pytest.approx(0.25)
    # everywhere: C's 电解液 counts too
    assert supply_rate(g, t, CHAIN).rate.value == pytest.approx(1.0)


def test_unequal_shares_weigh_inputs_unequally():
    # L1 with 电池 0.2 and 电机 0.6 -> 电机's one input 磁材 carries 0.75, each input of 电池 1/12
    links = [link if link.firm != "L1" else link._replace(share=0.2 if link.node == "电池" else 0.6)
             for link in LINKS]
    r = supply_rate(graph(), table(links=links), CHAIN, region="山东省")
    assert r.rate.value == pytest.approx(0.75 + 2 / 12)
    assert r.missing[0].uncovered == pytest.approx(1 / 12)


def test_unknown_shares_take_what_the_known_ones_leave():
    # P: 电池 0.5 known; 电机 and 正极 listed with no figure -> (1 - 0.5) / 2 = 0.25 each
    firms = [Firm("P", "山东省", kind="leader"), Firm("S", "山东省")]
    links = [("P", "电池", 0.5, "declared"), ("P", "电机", None, "declared"), ("P", "正极", None, "declared"),
             ("S", "锂", 0.9, "declared")]
    r = supply_rate(graph(), supply_table(graph(), firms, links), CHAIN, region="山东省")
    # demand: 正极 负极 电解液 0.5/3 each, 磁材 0.25, 锂 0.25 (正极's one input); only 锂 is supplied
    assert r.rate.value == pytest.approx(0.25)
    assert r.rate.basis == "estimated"
    assert {m.node: m.uncovered for m in r.missing} == pytest.approx(
        {"正极": 1 / 6, "负极": 1 / 6, "电解液": 1 / 6, "磁材": 0.25})


def test_a_leader_is_not_its_own_local_supplier():
    links = [*LINKS, Supply("L1", "电解液", 0.1, "declared")]
    nodes = by_node(node_table(graph(), table(links=links), CHAIN, region="山东省"))
    assert nodes["电解液"].suppliers.value == 1  # L1 does make it, in 山东省
    r = supply_rate(graph(), table(links=links), CHAIN, region="山东省")
    assert r.rate.value == pytest.approx(0.75)
    assert r.missing[0].node == "电解液" and r.missing[0].suppliers == 1


def test_chain_rate_is_the_mean_over_the_regions_leaders():
    firms = [*FIRMS, Firm("L2", "山东省/淄博市", "none", "leader"), Firm("L3", "江苏省", "none", "leader")]
    links = [*LINKS, Supply("L2", "电机", None, "declared"), Supply("L3", "电池", 1.0, "declared")]
    r = supply_rate(graph(), table(firms, links), CHAIN, region="山东省")
    # L1 0.75, L2 (电机 only -> 磁材, supplied) 1.0; L3 is in 江苏省 and not one of this region's leaders
    assert sorted(lr.leader for lr in r.leaders) == ["L1", "L2"]
    assert r.rate.value == pytest.approx(0.875)
    assert r.rate.basis == "estimated"  # L2's share is unknown, so its weight is an estimate
    assert r.missing[0].uncovered == pytest.approx(0.125)


def test_without_leaders_the_end_products_stand_in():
    r = supply_rate(graph(), table(), CHAIN, region="江苏省")
    # end products 电池 and 电机, 0.5 each: 正极 负极 电解液 1/6 each, 磁材 0.5; only 电解液 (C) is in 江苏省
    assert r.weighting == "end_products"
    assert r.rate.value == pytest.approx(1 / 6) and r.rate.basis == "estimated"
    assert r.leaders == ()
    assert r.missing[0].node == "磁材" and r.missing[0].needed_by == ()


def test_rate_of_one_leader_over_all_its_products():
    r = supply_rate(graph(), table(), leader="L1", region="山东省")
    assert r.rate.value == pytest.approx(0.75)
    firms = [*FIRMS, Firm("Q", "山东省", kind="leader")]
    lone = supply_rate(graph(), table(firms, [*LINKS, Supply("Q", "锂", 1.0)]), leader="Q")
    assert lone.rate.value is None and lone.inputs == 0  # 锂 has no listed input: nothing to weigh


def test_structural_importance():
    nodes = by_node(node_table(graph(), table(), CHAIN, region="山东省"))
    # 8 nodes; only the pair (电池, 锂) routes through 正极: 1 / (7 * 6)
    assert nodes["正极"].betweenness == pytest.approx(1 / 42)
    assert all(n.betweenness == 0 for k, n in nodes.items() if k != "正极")
    # losing 正极 cuts the leader's 电池 off from 锂; the leader's own products count 0
    assert nodes["正极"].cuts_off == 1
    assert nodes["电池"].cuts_off == 0 and nodes["磁材"].cuts_off == 0
    assert nodes["磁材"].demand.value == pytest.approx(0.25) and nodes["磁材"].demand.basis == "declared"
    assert nodes["锂"].demand.value == 0 and nodes["锂"].demand.basis is None


def test_weak_links_ranked_by_the_documented_score():
    weak = weak_links(graph(), table(), CHAIN, region="山东省")
    # importance: 正极 (1 + 1 + 1) / 3; 负极 电解液 磁材 (0 + 0 + 1) / 3; others 0
    # score = 0.5 gap + 0.3 importance + 0.2 hhi/10000 (1 without a supplier)
    assert [(w.node, w.score) for w in weak] == [
        ("电解液", pytest.approx(0.8)),
        ("正极", pytest.approx(0.75)),
        ("锂", pytest.approx(0.7)),
        ("负极", pytest.approx(0.55)),
        ("三元正极", pytest.approx(0.45)),
        ("电机", pytest.approx(0.45)),
        ("电池", pytest.approx(0.45)),
        ("磁材", pytest.approx(0.225)),
    ]
    ev = {w.node: {e.code: (e.value, e.basis) for e in w.evidence} for w in weak}
    assert ev["电解液"] == {"no_local_supplier": (0, None), "outside_suppliers": (1, "imported"),
                          "leader_demand": (pytest.approx(0.25), "declared")}
    assert ev["正极"]["single_source"] == ("A", "imported")
    assert ev["正极"]["cuts_off_inputs"] == (1, None)
    assert ev["磁材"]["high_concentration"] == (6250.0, "estimated")
    assert [w.node for w in weak_links(graph(), table(), CHAIN, region="山东省", limit=2)] == ["电解液", "正极"]


def test_well_supplied_nodes_are_not_listed():
    firms = [*FIRMS, *(Firm(f"M{i}", "山东省") for i in range(5))]
    links = [*LINKS, *(Supply(f"M{i}", "负极", 0.2) for i in range(5))]
    weak = weak_links(graph(), table(firms, links), CHAIN, region="山东省")
    assert "负极" not in {w.node for w in weak}  # six suppliers, HHI 1736: moderate at most


def test_region_prefix_matches_whole_parts_only():
    firms = [Firm("x", "山东省/济南市"), Firm("y", " 山东省 / 济南市历城区 "), Firm("z", "山东省外")]
    t = supply_table(graph(), firms, [])
    assert t.region_mask("山东省").tolist() == [True, True, False]
    assert t.region_mask("山东省／济南市/").tolist() == [True, False, False]  # NFKC turns ／ into /
    assert t.region_mask("山东").tolist() == [False, False, False]
    assert t.region_mask("").tolist() == [True, True, True]


def test_chain_analysis_is_all_three_and_serialises():
    page = chain_analysis(graph(), table(), CHAIN, region=" 山东省/ ", min_tier="none")
    assert page.region == "山东省"
    assert page.nodes == node_table(graph(), table(), CHAIN, region="山东省")
    assert page.supply == supply_rate(graph(), table(), CHAIN, region="山东省")
    assert page.weak == weak_links(graph(), table(), CHAIN, region="山东省")
    json.dumps(dataclasses.asdict(page), ensure_ascii=False)


def test_repeated_links_merge_and_unknown_nodes_can_be_skipped():
    links = [*LINKS, Supply("B", "负极", 0.7, "estimated"), Supply("B", "不存在", 0.1)]
    with pytest.raises(UnknownNodeError):
        table(links=links)
    t = supply_table(graph(), FIRMS, links, on_unknown_node="skip")
    neg = by_node(node_table(graph(), t, CHAIN))["负极"]
    assert neg.suppliers.value == 1 and neg.capacity.value == pytest.approx(0.7)
    assert neg.suppliers.basis == "estimated"


@pytest.mark.parametrize(("call", "error"), [
    (lambda g, t: node_table(g, t, CHAIN, min_tier="gold"), AnalyticsError),
    (lambda g, t: node_table(g, t, ["电池", "不存在"]), UnknownNodeError),
    (lambda g, t: node_table(g, t, []), AnalyticsError),
    (lambda g, t: node_table(g, t, "电池"), AnalyticsError),
    (lambda g, t: supply_rate(g, t), AnalyticsError),
    (lambda g, t: supply_rate(g, t, leader="nobody"), UnknownFirmError),
    (lambda g, t: supply_rate(g, t, leader="C"), None),  # C lists 电解液, which has no input
    (lambda g, t: supply_table(g, [Firm("x"), Firm("x")], []), AnalyticsError),
    (lambda g, t: supply_table(g, [Firm("x", tier="gold")], []), AnalyticsError),
    (lambda g, t: supply_table(g, [Firm("x")], [("y", "锂", 0.1, "declared")]), UnknownFirmError),
    (lambda g, t: supply_table(g, [Firm("x")], [("x", "锂", 0.1, "guessed")]), AnalyticsError),
    (lambda g, t: supply_table(g, [Firm("x")], [("x", "锂", "much", "declared")]), AnalyticsError),
    (lambda g, t: supply_table(g, [Firm(["x"])], []), AnalyticsError),
    (lambda g, t: supply_table(g, [("x", "山东省", "none", "sme", "extra")], []), AnalyticsError),
    (lambda g, t: supply_table(g, [Firm("x")], [("x",)]), AnalyticsError),
])
def test_bad_input_raises_the_librarys_own_errors(call, error):
    if error is None:
        assert call(graph(), table()).rate.value is None
    else:
        with pytest.raises(error):
            call(graph(), table())


def test_analytics_error_is_a_value_error():
    assert issubclass(UnknownNodeError, AnalyticsError) and issubclass(AnalyticsError, ValueError)


def test_a_chain_with_nothing_to_weigh_has_no_rate():
    # 锂 has no input and no leader makes it: no demand, so no rate (rather than 0 or 100%)
    page = chain_analysis(graph(), table(), ["锂"], region="山东省")
    assert page.supply.rate.value is None and page.supply.rate.basis is None
    assert page.supply.missing == () and page.supply.inputs == 0
    assert [w.node for w in page.weak] == ["锂"]
