"""Needs as people write them (issue #10, session of 2026-11-29, fifth): the firm sought named by its trade and a verb
(CNC精密加工外协厂, 中央厨房型代工厂)."""

from tests.matching.conftest import need_reader, own, purposes, wanted


def test_a_contract_maker_is_the_firm_sought_not_a_verb():
    r = need_reader(("精密加工", "不锈钢件", "中央厨房", "快餐"))
    # 外协 in 外协厂 was read as a verb, which made the machining before it what the parts are for
    u = r.read("寻CNC精密加工外协厂：铝件、不锈钢件，五轴加工，公差±0.01mm")
    assert {"精密加工", "不锈钢件"} <= set(wanted(u)) and "精密加工" not in purposes(u)
    # 中央厨房型: the type of contract kitchen sought, not a modifier of an unknown head 型代
    u = r.read("我司为连锁中式快餐企业，寻求中央厨房型代工厂")
    assert wanted(u) == ["中央厨房"]


def _kinds(u, node):
    return next(m.synonyms for m in u.wanted if m.nodes[0] == node)


def test_a_word_before_the_wanted_product_names_which_kind_is_meant():
    r = need_reader(("RFID", "标签", "RFID标签", "仓储", "摩托车", "齿轮", "摩托车齿轮", "变速箱", "工程", "施工",
                     "工程施工"))
    # RFID项目…吊牌标签: the project's RFID and the tags make the product RFID标签, sought beside the tags
    u = r.read("RFID仓储项目采购吊牌标签500万张")
    assert wanted(u)[0] == "标签" and "RFID标签" in _kinds(u, "标签")
    # the poster's motorcycles and the gears it seeks: gears for motorcycles
    u = r.read("踏板和弯梁摩托车是我们的拳头产品。现寻找变速箱主副轴齿轮配套厂")
    assert wanted(u)[0] == "齿轮" and "摩托车齿轮" in _kinds(u, "齿轮")
    # a class word (工程) names no kind
    assert "工程施工" not in _kinds(r.read("园林工程项目寻找施工单位"), "施工")


def test_the_firm_whose_purchase_it_is_names_the_poster():
    r = need_reader(("起重机", "旋挖钻机", "电缆"))
    # the cranes and drills of 我负责一家…整机企业的电气件采购 were wanted as the object before 采购
    u = r.read("您好，我负责一家履带起重机和旋挖钻机整机企业的电气件采购。")
    assert {"起重机", "旋挖钻机"} <= set(own(u)) and not {"起重机", "旋挖钻机"} & set(wanted(u))


def test_a_shortfall_asks_for_the_goods_before_it():
    r = need_reader(("机制砂", "碎石", "地铁"))
    # 缺口比较大 said nothing was asked for: the subway lots of the poster's were all that was read
    u = r.read("我们站在杭州萧山，今年接了几个地铁标段，机制砂和5-25碎石缺口比较大，每天大概3000吨")
    assert {"机制砂", "碎石"} <= set(wanted(u)) and "地铁" not in wanted(u)


def test_a_modifier_in_the_wanted_phrase_is_text_evidence():
    r = need_reader(("色织", "面料", "衬衫"))
    # 面料 alone is listed by hundreds of firms; 色织 says which of them make what is sought
    u = r.read("我们是衬衫品牌，需要色织面料，每款300米")
    assert wanted(u) == ["面料"] and "色织" in u.words and "衬衫" not in u.words


def test_custom_made_is_the_posters_trade_after_its_self_description():
    r = need_reader(("衣柜", "橱柜", "窗帘", "柜体"))
    # 定制 read as a want verb made the poster's own cabinets what it sought
    u = r.read("我们品牌做全屋定制柜体（衣柜、橱柜），门店客户老问窗帘能不能一起配，所以想找窗帘供应商")
    assert wanted(u) == ["窗帘"] and {"衣柜", "橱柜"} <= set(own(u))


def test_the_plant_a_supplier_must_have_and_the_form_of_cooperation_are_conditions():
    r = need_reader(("小容量注射剂", "净化工程", "生物降解塑料", "委托开发"), aliases=[("gmp车间", "净化工程")])
    # 需有…GMP车间 was read as asking for a clean room
    u = r.read("寻小容量注射剂代工厂，需有最终灭菌水针GMP车间，年产约2000万支")
    assert wanted(u) == ["小容量注射剂"]
    # 合作方式可为联合研发或委托开发: how the work may be done, not a second thing sought
    u = r.read("揭榜挂帅：生物降解塑料开发，年需求5000吨；合作方式可为联合研发或委托开发。")
    assert wanted(u) == ["生物降解塑料"]
