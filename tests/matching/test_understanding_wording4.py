"""Rules of procurement wording from issue #10's sixth pass (branch wording4), each on a hand-checkable sentence."""

from graph import ChainGraph, NodeSpec
from matching import ChineseAnalyzer, NodeLinker
from matching.clauses import zones
from matching.understanding import NeedReader
from tests.matching.conftest import need_reader, own, purposes, wanted

NODES = ("压力", "压力传感器", "温度传感器", "高压开关柜", "低压开关柜", "开关柜", "智能电能表", "三相智能电能表",
         "活性", "活性染料", "分散染料", "钢管", "不锈钢法兰", "法兰", "电缆", "变压器", "球墨铸铁件", "灰铁铸件",
         "外加工", "中成药", "医用口罩", "医院", "石灰石", "水泥熟料", "除草剂", "原药", "草甘膦", "硫酸", "磷矿石",
         "技术", "钛精矿", "铝合金", "铜合金", "轴承", "齿轮箱", "轴承箱", "木门", "整体橱柜", "橱柜")


def _reader() -> NeedReader:
    return need_reader(NODES, aliases=[("草甘膦原药", "草甘膦")])


# ---- elided heads --------------------------------------------------------------------------------------------

def test_a_stem_before_a_coordination_takes_the_head_written_once():
    r = _reader()
    assert sorted(wanted(r.read("压力、温度传感器采购"))) == ["压力传感器", "温度传感器"]
    assert sorted(wanted(r.read("高、低压开关柜采购"))) == ["低压开关柜", "高压开关柜"]
    assert sorted(wanted(r.read("活性、分散染料采购，用于面料印染"))) == ["分散染料", "活性染料"]


def test_a_stem_naming_no_product_stands_for_the_shared_products_kind():
    # 单相智能电能表 is no node and 单相 links to nothing: it is a 智能电能表
    assert sorted(wanted(_reader().read("单相、三相智能电能表批量采购"))) == ["三相智能电能表", "智能电能表"]


def test_three_conjuncts_share_the_head_too():
    got = wanted(_reader().read("高、中、低压开关柜采购"))
    assert "高压开关柜" in got and "低压开关柜" in got and "开关柜" in got  # 中压开关柜 is only a 开关柜


def test_products_in_a_list_are_not_read_as_stems():
    r = _reader()
    # a measure word after a number ends the item before it: 樘 is no stem of 整体橱柜 (樘体橱柜 → 橱柜)
    assert sorted(wanted(r.read("采购木门约3000樘、整体橱柜1500套"))) == ["整体橱柜", "木门"]
    # a product of its own before 、 keeps its own reading when the composed name is none (钢管钢法兰)
    assert sorted(wanted(r.read("钢管、不锈钢法兰采购"))) == ["不锈钢法兰", "钢管"]
    # a shared part of one character is no shared head (轴承、齿轮箱 is not 轴承箱)
    assert sorted(wanted(r.read("轴承、齿轮箱采购"))) == ["轴承", "齿轮箱"]


# ---- lists after a heading ----------------------------------------------------------------------------------

def test_every_item_of_a_numbered_or_semicolon_list_after_a_heading_is_wanted():
    r = _reader()
    assert sorted(wanted(r.read("采购物资明细如下：1.电缆；2.变压器；3.开关柜。"))) == ["变压器", "开关柜", "电缆"]
    assert sorted(wanted(r.read("需求如下：电缆；变压器"))) == ["变压器", "电缆"]
    # a list item is not a condition after it: 需提供 still opens the fine print
    assert wanted(r.read("需求如下：电缆；需提供变压器试验报告")) == ["电缆"]


def test_a_heading_on_its_own_line_before_a_numbered_list_hands_the_want_to_every_item():
    r = _reader()
    assert sorted(wanted(r.read("采购清单\n1、电缆 200米\n2、变压器 2台\n3、开关柜"))) == ["变压器", "开关柜", "电缆"]
    assert sorted(wanted(r.read("现有一批物资需要采购，明细如下：\n（1）电缆\n（2）变压器"))) == ["变压器", "电缆"]
    # without numbering the next line is no list item: it stays context
    assert wanted(r.read("采购电缆\n变压器厂家勿扰")) == ["电缆"]


# ---- want verbs, posters and purposes -----------------------------------------------------------------------

def test_contracting_out_and_volume_procurement_are_want_verbs():
    r = _reader()
    u = r.read("泵阀企业委外加工：球墨铸铁件、灰铁铸件")
    assert sorted(wanted(u)) == ["灰铁铸件", "球墨铸铁件"]  # not 外加工, cut out of 委外加工
    assert wanted(r.read("县域医共体中成药带量采购")) == ["中成药"]


def test_the_procurement_methods_of_public_tenders_are_want_verbs():
    r = need_reader((*NODES, "单一"))
    for method in ("单一来源采购", "竞争性谈判", "竞争性磋商", "询比价", "比选"):
        text = f"电缆{method}，交货期30天"
        zone, _ = zones(text, set(range(len(text) + 1)))
        assert zone[2:2 + len(method)] == ["verb"] * len(method), method
        assert zone[0] in ("object", "title") and zone[1] == zone[0], method  # what the method is for
        assert wanted(r.read(text)) == ["电缆"], method  # 单一 is a node name, but not in 单一来源采购


def test_an_institution_before_the_want_verb_is_the_poster():
    u = _reader().read("医院集采：一次性医用口罩，年需求约200万只")
    assert wanted(u) == ["医用口罩"]
    assert own(u) == ["医院"]


def test_a_plant_named_before_the_want_verb_is_what_the_goods_are_for():
    u = _reader().read("水泥熟料生产线需石灰石，运距100公里以内优先")
    assert wanted(u) == ["石灰石"]
    assert "水泥熟料" in purposes(u)
    # the line itself, asked for with nothing after the verb, is still the want
    assert wanted(_reader().read("水泥熟料生产线采购")) == ["水泥熟料"]


# ---- words that name no product ------------------------------------------------------------------------------

def test_technical_grade_is_a_class_word_after_the_product():
    assert wanted(_reader().read("除草剂原药采购：草甘膦原药95%，年需求2000吨"))[:1] == ["除草剂"]


def test_a_word_naming_no_product_is_not_wanted_beside_a_product():
    r = _reader()
    # no mention heads a phrase here (提质降杂 goes on after them): 技术 is not among the products
    assert sorted(wanted(r.read("揭榜挂帅：钛精矿提质降杂技术攻关"))) == ["钛精矿"]
    # and not alone either (wording5): the text's words rank, not every firm listing 技术
    assert wanted(r.read("技术攻关")) == []


def test_a_name_starting_with_a_symbol_does_not_hide_the_product_inside_it():
    graph = ChainGraph.build([NodeSpec(n) for n in ("%硫酸", "硫酸", "磷矿石")], [])
    analyzer = ChineseAnalyzer().fit(graph.surface_forms())
    r = NeedReader().fit(NodeLinker().fit(graph, analyzer, []), graph)
    assert sorted(wanted(r.read("采购磷矿石和98%硫酸"))) == ["硫酸", "磷矿石"]


# ---- 需 + product is a want, 需 + condition is a requirement --------------------------------------------------

def test_a_bare_xu_before_a_product_asks_for_it():
    # a clause opening with 需 was read as a condition (需符合…), so the product after it was set aside as a term
    r = need_reader(("碳酸锂", "正极材料", "发票"))
    u = r.read("用于正极材料生产，需电池级碳酸锂，年需求500吨，交付至济南。")
    assert wanted(u) == ["碳酸锂"]
    assert "碳酸锂" not in u.ignored and "正极材料" in purposes(u)
    assert wanted(r.read("需电池级碳酸锂")) == ["碳酸锂"]


def test_xu_before_a_condition_still_states_a_requirement():
    r = need_reader(("碳酸锂", "发票"))
    u = r.read("采购碳酸锂。需开具增值税发票，需符合国标")
    assert wanted(u) == ["碳酸锂"] and "发票" in u.ignored
    assert wanted(r.read("需在月底前交货，采购碳酸锂")) == ["碳酸锂"]
