"""Rules of clause wording from issue #10's set fresh13 (session of 2026-11-28, 17:11 UTC), each on a hand-checkable
sentence: one character after a mention that names a kind of goods (风电纱, 印刷膜) makes a head the data does not
know, unless an abbreviation before it names a product of that kind (BOPET印刷膜); an abbreviation never ends in the
poster's own product (BOPET is not PET); what the poster has or supplies itself (我方模具, 我方提供配方) is its
own; a brand, chain or kitchen before the want verb is the poster, also with a note in brackets after it; a licence
after a modal (需食品SC证) is a condition; a Latin unit one space after its number (5000 hp) is a measurement; a
product firms list with 业务 after it is found without it; the trade of the firms invited to quote restates the want
and weighs less than what is named as wanted; reaching a standard is a condition, a project of supplying goods
(统一供种项目) names them, and 进一批 is a want verb."""

from matching.spec import spec_spans
from matching.understanding import NeedReader
from tests.matching.conftest import need_reader, own, wanted

NODES = ("风电", "玻纤纱", "印刷", "聚酯薄膜", "PET", "单面", "酒瓶", "模具", "PET瓶", "配方", "品牌", "食品",
         "高筋小麦粉", "中央厨房", "鸡精", "标签", "HP", "拖轮", "外轮代理业务", "代理", "聚酯树脂", "树脂", "粉末涂料")


def _reader() -> NeedReader:
    return need_reader(NODES, aliases=[("无捻粗纱", "玻纤纱"), ("BOPET", "聚酯薄膜")])


def test_one_character_naming_goods_after_a_mention_makes_an_unknown_head():
    u = _reader().read("风电叶片用风电纱：无碱直接无捻粗纱，2400 tex")
    assert wanted(u) == ["玻纤纱"]
    assert "风电" not in wanted(u)


def test_an_abbreviation_before_an_unknown_head_of_its_kind_names_it():
    u = _reader().read("求购BOPET印刷膜：12 μm单面电晕，主要做三层复合袋（PET/PE）")
    assert wanted(u)[0] == "聚酯薄膜"
    assert "聚酯薄膜" not in own(u)


def test_what_the_poster_has_or_supplies_itself_is_its_own():
    u = _reader().read("寻找酒瓶供应商，瓶口按我方模具定制")
    assert wanted(u) == ["酒瓶"] and "模具" in own(u)
    u = _reader().read("寻找代工厂合作：500 ml PET瓶，我方提供配方")
    assert "配方" in own(u) and "配方" not in wanted(u)


def test_a_brand_chain_or_kitchen_before_the_want_verb_is_the_poster():
    u = _reader().read("烘焙连锁品牌（门店420家）集采高筋小麦粉：蛋白质≥13.0%")
    assert wanted(u) == ["高筋小麦粉"] and "品牌" in own(u)
    u = _reader().read("中式快餐连锁，中央厨房找工厂定制一款鸡精")
    assert wanted(u) == ["鸡精"]


def test_a_licence_after_a_modal_is_a_condition():
    u = _reader().read("寻找代工厂：500 ml PET瓶，需食品SC证")
    assert wanted(u) == ["PET瓶"]


def test_a_latin_unit_one_space_after_its_number_is_a_measurement():
    t = "需4艘全回转拖轮（≥5000 hp）"
    assert any(t[a:b].endswith("hp") for a, b, _ in spec_spans(t))
    assert wanted(_reader().read(t)) == ["拖轮"]


def test_a_product_listed_with_yewu_after_it_is_found_without_it():
    assert wanted(_reader().read("现招标外轮代理：负责船舶进出港申报"))[0] == "外轮代理业务"


def test_the_trade_invited_to_quote_weighs_less_than_the_named_want():
    u = _reader().read("我司为粉末涂料生产企业，拟联合开发户外型聚酯树脂，欢迎树脂厂家共同立项")
    weights = {n: m.weight for m in u.wanted for n in m.nodes}
    assert weights["聚酯树脂"] == 1.0 and weights.get("树脂", 0.0) < 0.6


def test_reaching_a_standard_is_a_condition_and_a_supply_project_names_its_goods():
    r = need_reader(("小麦种子", "标准", "统一"), aliases=[("小麦良种", "小麦种子")])
    u = r.read("××县秋播小麦良种统一供种项目：济麦22等品种，质量达到GB 4404.1大田用种标准，共1200吨")
    assert wanted(u) == ["小麦种子"]


def test_a_colloquial_want_verb():
    r = need_reader(("猪用浓缩料", "生猪养殖"), aliases=[("猪浓缩料", "猪用浓缩料"), ("养猪", "生猪养殖")])
    assert wanted(r.read("我们合作社十几户养猪的，想统一进一批育肥猪浓缩料，每月100吨"))[0] == "猪用浓缩料"
