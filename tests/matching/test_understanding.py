"""Need understanding on hand-checkable sentences, one trap at a time (tiny graph, no database)."""

import pytest

from matching.spec import word_list
from matching.understanding import NeedReader
from tests.matching.conftest import need_reader, wanted

NODES = tuple(word_list(
    """
    动力电池 电池隔膜 隔膜 锂电池 电解液 光伏玻璃 光伏组件 组件 封装 EVA胶膜 整车 乘用车 转向节 连接器 汽车线束 轴承
    风电齿轮箱 水分 μm 万吨 济南 半导体器件 模块 传感器 TPMS 热轧卷板 热轧板卷 铝电解电容器 电容器 复合肥 尿素 氯化钾
    电线电缆 电解铜 铜杆 定制家具 家具 锂电池设备 电芯 设备
    """)
)
EDGES = [
    ("隔膜", "动力电池", "input"),
    ("电解液", "锂电池", "input"),
    ("EVA胶膜", "光伏组件", "input"),
    ("隔膜", "电池隔膜", "subkind"),
]
ALIASES = [("IGBT", "半导体器件"), ("热卷", "热轧卷板"), ("热卷", "热轧板卷"), ("热轧板卷", "热轧卷板"),
           ("电芯", "锂电池")]


@pytest.fixture(scope="module")
def reader() -> NeedReader:
    return need_reader(NODES, EDGES, ALIASES)


def test_the_head_of_a_compound_is_wanted_and_the_modifier_set_aside(reader):
    u = reader.read("寻找动力电池隔膜供应商")
    assert wanted(u) == ["电池隔膜"]
    assert [m.words for m in u.modifiers] == ["动力电池"]
    # the chain graph tells which way round: the separator goes into the battery
    assert u.modifiers[0].note == "电池隔膜是动力电池的上游材料"


def test_an_infix_yong_marks_what_the_product_is_for(reader):
    u = reader.read("光伏组件用EVA胶膜，年需求约6000万㎡")
    assert wanted(u) == ["EVA胶膜"]
    assert [m.words for m in u.modifiers] == ["光伏组件"]
    # 用的 is the same infix (the word cutter takes it as one word)
    u = reader.read("采购光伏组件用的EVA胶膜")
    assert wanted(u) == ["EVA胶膜"]
    assert [m.words for m in u.modifiers] == ["光伏组件"]
    # after an adverb 用 is the verb "use": what it uses is what the need is about, no modifier
    u = reader.read("汽车线束的连接器目前主要用进口的，想找国内供应商")
    assert "连接器" in wanted(u) and not [m.words for m in u.modifiers if m.words == "连接器"]


def test_a_purpose_in_brackets_ends_with_them(reader):
    u = reader.read("光伏组件（电站配套）的EVA胶膜")
    assert "EVA胶膜" in wanted(u) and "EVA胶膜" not in [m.words for m in u.purposes]


def test_a_purpose_clause_is_no_want(reader):
    u = reader.read("采购光伏玻璃，用于组件封装")
    assert wanted(u) == ["光伏玻璃"]
    assert {m.words for m in u.purposes} == {"组件", "封装"}
    u = reader.read("复合肥原料采购：尿素、氯化钾")
    assert sorted(wanted(u)) == ["尿素", "氯化钾"] and [m.words for m in u.purposes] == ["复合肥"]


def test_the_material_before_yuanliao_is_wanted_when_nothing_else_is_named(reader):
    """X原料 names the inputs of X, unless no input is named: 需复合肥原料 alone then asks for that material."""
    u = reader.read("化肥厂需复合肥原料，月需500吨")
    assert wanted(u) == ["复合肥"] and not u.purposes
    u = reader.read("复合肥原料采购：尿素")  # an input named: 复合肥 stays what it is for
    assert wanted(u) == ["尿素"] and [m.words for m in u.purposes] == ["复合肥"]


def test_the_posters_own_products_are_set_aside(reader):
    u = reader.read("我司为整车企业，现需采购转向节")
    assert wanted(u) == ["转向节"]
    assert [m.words for m in u.own] == ["整车"]
    u = reader.read("我司为电线电缆企业，长单采购1#电解铜，用于铜杆生产")
    assert wanted(u) == ["电解铜"] and [m.words for m in u.own] == ["电线电缆"]
    assert [m.words for m in u.purposes] == ["铜杆"]
    assert [m.words for m in reader.read("光伏组件用EVA胶膜，交付至我司盐城组件工厂").own] == ["组件", "光伏组件"]


def test_specifications_quantities_standards_and_delivery_never_link(reader):
    u = reader.read("电解液采购：水分≤20ppm，厚度9μm，月供约300万吨，需通过IATF16949，交付至济南")
    assert wanted(u) == ["电解液"]
    assert not u.context and not u.modifiers
    for term in ("水分≤20ppm", "iatf16949", "μm", "济南"):
        assert any(term in x for x in u.ignored), term
    assert "济南" not in u.words and "水分" not in u.words


def test_a_sum_of_components_before_a_limit_is_a_specification():
    """CaO+MgO≤1.5%: one measured limit; the first formula is no product asked for (氧化钙 has the alias CaO)."""
    r = need_reader(("钛精矿", "氧化钙", "氧化镁"), [], [("CaO", "氧化钙"), ("MgO", "氧化镁")])
    u = r.read("采购钛精矿，CaO+MgO≤1.5%")
    assert wanted(u) == ["钛精矿"] and not u.context
    assert any("cao+mgo≤1.5%" in x for x in u.ignored)


def test_a_class_word_head_keeps_the_specific_mention_first(reader):
    u = reader.read("IGBT模块国产替代：1200V/450A半桥，车规级")
    assert u.wanted[0].nodes == ("半导体器件",) and u.wanted[0].how == "alias"
    u = reader.read("直接式TPMS传感器，433MHz")
    assert wanted(u)[0] == "TPMS"


def test_aliases_and_synonyms(reader):
    u = reader.read("Q355B热卷，月需5000吨")
    assert u.wanted[0].nodes == ("热轧卷板", "热轧板卷")  # an alias of two nodes
    u = reader.read("采购热轧板卷")
    assert u.wanted[0].nodes == ("热轧板卷",) and u.wanted[0].synonyms == ("热轧卷板",)


def test_a_broader_kind_by_name_is_reported(reader):
    u = reader.read("光伏逆变器用铝电解电容器 450V")
    assert u.wanted[0].broader == ("电容器",)  # never 容器, which cuts the word 电容


def test_equipment_for_a_product(reader):
    u = reader.read("新建20GWh电芯产线整线设备招标")
    assert wanted(u) == ["锂电池设备"]
    assert [m.words for m in u.purposes] == ["电芯"]


def test_plain_requests_read_as_before(reader):
    assert wanted(reader.read("采购转向节")) == ["转向节"]
    assert wanted(reader.read("寻找连接器供应商")) == ["连接器"]
    assert wanted(reader.read("需要定制家具")) == ["定制家具"]  # a product name may start with a want verb
    assert wanted(reader.read("风电齿轮箱轴承：行星轮轴承")) == ["轴承"]
    assert reader.read("").wanted == () and reader.read("，。").wanted == ()


def test_the_result_is_plain_json(reader):
    import json

    d = reader.read("我司为整车企业，现需采购转向节，交付至济南").as_dict()
    json.dumps(d, ensure_ascii=False)
    assert d["wanted"][0]["nodes"] == ["转向节"] and d["own_products"][0]["words"] == "整车"
    assert set(d) == {"wanted", "modifiers", "purposes", "own_products", "context", "removed", "ignored",
                      "quantities", "specs", "certifications", "regions"}
    assert d["regions"] == ["济南"]


def test_the_fine_print_is_sorted_for_the_poster(reader):
    d = reader.read("求购电解液500吨，纯度99.5%以上，需IATF16949认证，交付至济南").as_dict()
    assert d["quantities"] == ["500吨"]
    assert any("99.5%" in s for s in d["specs"])
    assert d["certifications"] == ["iatf16949认证"]
    assert d["regions"] == ["济南"]


def test_a_removed_node_is_set_aside_with_its_words(reader):
    u = reader.read("寻找动力电池隔膜供应商")
    node = reader.graph_.lookup(u.wanted[0].nodes[0])
    fixed = u.without({node})
    assert fixed.wanted == () and fixed.removed[0].words == u.wanted[0].words
    assert fixed.removed[0].note == "需求方已移除"
    assert not any(w in u.wanted[0].words for w in fixed.words)
    assert u.without(set()) is u
