"""Rules of wording from issue #10's sets (session of 2026-11-28, 20:02 UTC), each on a hand-checkable sentence: a
phrase going on with a step of buying (打样, 询价) has no unknown head; a mention starting inside a product and
ending inside a word that names no product (矿长 in 钼精矿长协) is an accident of the characters; a catalogue entry's
packaging, payment and warranty fields (包装：25kg复合袋) are delivery terms; an institution after a service
(招标代理机构) is the firm that gives it; every product named for a plant whose inputs are sought (PBT和PBAT聚合装置
原料) is its purpose; a size or a layer before its value (规模200m³/h, 耐磨层0.5) is a specification; an item
field of a request for quotation (物料1：, 品类：) names what is asked for; 成品 names no product."""

from tests.matching.conftest import need_reader, purposes, wanted


def test_a_phrase_going_on_with_a_step_of_buying_has_no_unknown_head():
    r = need_reader(("铜基板", "铝基板"))
    # read as 铜基板 qualifying an unknown 打样, the second product was lost
    assert wanted(r.read("采购LED铝基板，另需铜基板打样50片")) == ["铝基板", "铜基板"]


def test_a_mention_ending_inside_a_word_that_names_no_product_is_an_accident():
    r = need_reader(("钼精矿", "矿长", "长协"))
    assert wanted(r.read("钼精矿长协采购，年需求6000吨")) == ["钼精矿"]
    # a mention that starts where no other one ends is kept (the rule needs the product before the word)
    r = need_reader(("矿长",))
    assert wanted(r.read("矿长长协采购")) == ["矿长"]


def test_a_packaging_field_of_a_catalogue_entry_is_a_delivery_term():
    r = need_reader(("碳酸氢钠", "包装", "包装材料"))
    u = r.read("产品名称：食品级碳酸氢钠｜年需求量：2000吨｜包装：25kg复合袋｜用途：饼干膨松剂")
    assert wanted(u) == ["碳酸氢钠"]
    # a field that names packaging goods is still what is asked for
    assert wanted(r.read("需求企业：某饮料厂｜包装材料：瓶坯")) == ["包装材料"]


def test_an_institution_after_a_service_is_the_firm_that_gives_it():
    r = need_reader(("招标代理", "机构", "房建", "执行机构"))
    assert wanted(r.read("城投公司公开遴选招标代理机构入库，服务期三年"))[0] == "招标代理"
    # a product whose name ends so is still that product
    assert wanted(r.read("采购电动执行机构20台")) == ["执行机构"]


def test_every_product_named_for_a_plant_whose_inputs_are_sought_is_its_purpose():
    r = need_reader(("PBT", "PBAT", "BDO", "装置"))
    u = r.read("PBT和PBAT聚合装置原料：1,4-BDO，纯度≥99.7%，月需求约1500吨")
    assert wanted(u) == ["BDO"]
    assert set(purposes(u)) >= {"PBT", "PBAT"}


def test_a_size_or_a_layer_before_its_value_is_a_specification():
    r = need_reader(("焦化", "废水", "规模", "地板", "耐磨层"))
    assert "规模" not in wanted(r.read("焦化废水深度处理项目寻合作方，规模200m³/h"))
    assert wanted(r.read("SPC锁扣地板 5.5mm 耐磨层0.5")) == ["地板"]


def test_an_item_field_of_a_request_for_quotation_names_what_is_asked_for():
    r = need_reader(("物料", "玻璃", "冰箱", "真皮"))
    u = r.read("RFQ 表单\n需求部门：采购二科\n物料1：冰箱搁架玻璃，钢化 4mm\n付款：月结 90 天")
    assert "物料" not in wanted(u) and "玻璃" in wanted(u)


def test_finished_goods_name_no_product():
    r = need_reader(("成品", "书柜", "鞋柜"))
    assert "成品" not in wanted(r.read("求购板式收纳柜成品（书柜、鞋柜），E0级颗粒板"))
