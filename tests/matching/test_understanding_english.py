"""Needs written in English, as foreign buyers write them: a product's English name in the plural, the want verb
(looking for, seeking, need, RFQ for), the poster describing itself (we are a solar module maker), and what the
goods are for (for street lights), each on a hand-checkable sentence."""

from tests.matching.conftest import need_reader, own, purposes, wanted

ALIASES = [("ball valve", "球阀"), ("eva film", "EVA胶膜"), ("solar module", "光伏组件"), ("pc", "聚碳酸酯"),
           ("led driver", "LED驱动电源"), ("street light", "路灯"), ("wiring harness", "线束"), ("connector", "连接器")]
NODES = ("球阀", "EVA胶膜", "光伏组件", "聚碳酸酯", "LED驱动电源", "路灯", "线束", "连接器")


def test_an_english_name_is_found_in_the_plural():
    r = need_reader(NODES, aliases=ALIASES)
    assert wanted(r.read("RFQ: ball valves DN50, 500 pcs")) == ["球阀"]
    assert set(wanted(r.read("Looking for EVA films and solar modules"))) == {"EVA胶膜", "光伏组件"}
    # a two-letter abbreviation is no singular: pcs (pieces) is not the plural of PC (polycarbonate)
    assert "聚碳酸酯" not in wanted(r.read("need 500 pcs of EVA film"))


def test_a_poster_describing_itself_in_english_names_its_own_products():
    r = need_reader(NODES, aliases=ALIASES)
    u = r.read("We are a solar module maker, looking for EVA film suppliers")
    # the modules were wanted at full weight: the buyer's own product brought its peers
    assert wanted(u) == ["EVA胶膜"] and own(u) == ["光伏组件"]
    u = r.read("Our company makes automotive wiring harnesses; we need connectors")
    assert wanted(u) == ["连接器"] and own(u) == ["线束"]


def test_for_says_what_the_goods_are_for_unless_it_follows_who_or_what_is_sought():
    r = need_reader(NODES, aliases=ALIASES)
    u = r.read("we need 2000 pcs of LED drivers for street lights")
    assert wanted(u) == ["LED驱动电源"] and purposes(u) == ["路灯"]
    assert wanted(r.read("RFQ for ball valves, DN50")) == ["球阀"]
    assert wanted(r.read("looking for suppliers for EVA film")) == ["EVA胶膜"]


def test_the_last_name_of_an_english_noun_phrase_is_its_head():
    r = need_reader(("不锈钢", "无缝管", "光伏组件", "EVA胶膜"),
                    aliases=[("stainless steel", "不锈钢"), ("seamless pipe", "无缝管"), ("eva film", "EVA胶膜"),
                             ("solar module", "光伏组件")])
    # the steel was wanted at full weight beside the pipes it qualifies
    u = r.read("We need stainless steel seamless pipes, ASTM A312 TP316L")
    assert wanted(u) == ["无缝管"] and [n for m in u.modifiers for n in m.nodes] == ["不锈钢"]
    # a list stays a list
    assert set(wanted(r.read("Looking for EVA film and solar modules"))) == {"EVA胶膜", "光伏组件"}
