"""Needs typed or dictated in a chat (issue #10's fresh30 set): phrases spaced rather than punctuated, the poster's
trade said in passing (做智能电表的, 漆包线产能扩了, 氯化钙我们自己有), counts in Chinese numbers (月5万pcs)."""

from tests.matching.conftest import need_reader, own, wanted


def test_a_chat_line_opening_with_the_posters_trade():
    r = need_reader(("智能电表", "石英晶振", "营销服务", "会议场地"))
    # the poster's meters were wanted beside the crystals and brought its peers
    u = r.read("做智能电表的 找石英晶振供应商 DIP插件 月用量80k")
    assert wanted(u) == ["石英晶振"] and "智能电表" in own(u)


def test_a_product_line_the_firm_names_before_asking():
    r = need_reader(("智能终端", "摄像头模组", "PCS", "变流器"), aliases=[("pcs", "变流器")])
    # 公司产品… made the whole line the poster's, the camera modules after 求 too; 5万pcs is a count
    u = r.read("公司产品线是智能终端（平板 学习机）求摄像头模组供应商 AF 月5万pcs")
    assert wanted(u) == ["摄像头模组"] and "智能终端" in own(u)


def test_what_the_poster_makes_said_in_passing():
    r = need_reader(("改性塑料", "增塑剂", "漆包线", "铜杆", "电解铜", "铜精矿", "氯化钙", "工业盐", "肉制品", "生猪",
                     "聚酯切片", "PIA", "黄芪", "中成药"))
    # 主做… marked the whole spaced line as the poster's own, the plasticiser with it
    u = r.read("主做改性塑料 线缆料这块要耐105℃的增塑剂 月20吨 有直接厂家吗")
    assert wanted(u) == ["增塑剂"] and "改性塑料" in own(u)
    u = r.read("漆包线产能扩了 铜杆不够用 想找铜杆厂")
    assert wanted(u) == ["铜杆"] and "漆包线" in own(u)
    u = r.read("冶炼厂 电解铜产能十万吨 现在收铜精矿")
    assert wanted(u) == ["铜精矿"] and "电解铜" in own(u)
    u = r.read("做融雪剂的 氯化钙我们自己有 还缺工业盐")
    assert wanted(u) == ["工业盐"] and "氯化钙" in own(u)
    u = r.read("我们肉制品做了十几年 现在每天要收200头生猪")
    assert wanted(u) == ["生猪"] and "肉制品" in own(u)
    u = r.read("公司现有两条聚酯切片线，拟求购PIA，月需求约300吨")
    assert wanted(u) == ["PIA"] and "聚酯切片" in own(u)
    u = r.read("俺们合作社种了两千亩黄芪 想找中成药厂签订单")
    assert "黄芪" in own(u) and "黄芪" not in wanted(u)


def test_more_casual_self_descriptions_and_a_posts_tags():
    r = need_reader(("水泥", "矿粉", "监控", "NVR", "饰品", "金条", "白酒", "高粱", "教育培训", "文化用品", "小家电",
                     "ABS"))
    u = r.read("喂 那个我们这边是做水泥的啊 粉磨站 想找S95级的矿粉")
    assert wanted(u) == ["矿粉"] and "水泥" in own(u)
    u = r.read("我们自己是做监控的，这次后端想找人配：NVR")
    assert wanted(u) == ["NVR"] and "监控" in own(u)
    u = r.read("顾客在我们店里买得最多的是饰品，今年想直接对接上游拿金条")
    assert wanted(u) == ["金条"] and "饰品" in own(u)
    u = r.read("做电饭煲、空气炸锅这类小家电的，想问下有没有稳定供应ABS的厂家")
    assert wanted(u) == ["ABS"] and "小家电" in own(u)
    # a line of tags says what the post is about; the goods are in the text below
    u = r.read("#酒厂采购 #白酒\n收购新季高粱，年收购约1.2万吨")
    assert wanted(u) == ["高粱"]
    u = r.read("#采购需求 #教育培训\n本机构统一采购学员文化用品")
    assert wanted(u) == ["文化用品"]


def test_a_trade_described_as_a_supplier_a_farm_or_a_factory_of_the_poster():
    r = need_reader(("汽车零部件", "保理", "干果", "坚果", "主播", "生猪", "疫苗", "菜籽油", "油菜", "旅行社", "客房"))
    # the parts the poster supplies were wanted beside the factoring and brought the other parts makers
    u = r.read("做汽车零部件的二级供应商，给主机厂配套，想做应收账款保理，找商业保理公司")
    assert wanted(u) == ["保理"] and "汽车零部件" in own(u)
    u = r.read("自家工厂生产干果和每日坚果礼盒，找带货主播合作")
    assert "干果" in own(u) and "干果" not in wanted(u)
    u = r.read("本场存栏生猪1200头，现寻动保合作厂家：疫苗")
    assert wanted(u) == ["疫苗"] and "生猪" in own(u)
    u = r.read("公司做菜籽油压榨，寻求油菜种植主体合作")
    assert "菜籽油" in own(u) and "菜籽油" not in wanted(u)


def test_a_source_factory_and_what_it_supports():
    r = need_reader(("按摩椅", "电视购物", "一件代发"))
    # the massage chairs of the factory posting were wanted, and 支持一件代发 (what it offers) too
    u = r.read("按摩椅源头工厂，寻电视购物频道合作，可提供样机，支持一件代发。")
    assert wanted(u) == ["电视购物"] and "按摩椅" in own(u)


def test_approximately_is_no_product():
    r = need_reader(("MOS管", "大概", "样品"))
    # 大概 is a node of the data (a firm lists it) and was wanted beside the MOSFETs
    u = r.read("求MOS管 月需求大概50万颗 能先给样品吗")
    assert wanted(u) == ["MOS管"]


def test_installing_a_system_is_asked_for_and_where_the_poster_speaks_from():
    r = need_reader(("商砼", "信息化系统", "酒店", "客房", "旅行社"))
    # 想上一套 was no want verb: the station's concrete, named first, was all that was wanted
    u = r.read("商砼站3条生产线，调度还在用电话。想上一套信息化系统")
    assert wanted(u)[0] == "信息化系统"
    u = r.read("酒店这边客房220间，想跟旅行社合作")
    assert "酒店" in own(u)


def test_a_condition_speaks_for_its_own_spaced_phrase():
    r = need_reader(("小家电", "EPS", "泡沫", "保丽龙", "包装"))
    # 佛山附近优先 at the end made the whole spaced line a requirement: nothing was wanted
    u = r.read("小家电（电饭煲 空气炸锅）出货包装要EPS泡沫 就是保丽龙 缓冲内衬 开模定做 月20万套 佛山附近优先")
    assert {"泡沫", "保丽龙"} <= set(wanted(u)) and "小家电" not in wanted(u)


def test_the_verb_yao_asks_for_goods_but_is_a_modal_before_a_verb():
    r = need_reader(("液态奶", "白砂糖", "沥青", "防水卷材", "薄膜按键", "弹簧钢", "盘条", "棒材"))
    # 要 asks for the goods after it; the product line before it is the subject, not a topic
    assert wanted(r.read("乳企 液态奶调味系列要白砂糖 一级 月300吨 长期合作")) == ["白砂糖"]
    # 要用, 要重新找: a modal before another verb, which asks for nothing itself
    assert wanted(r.read("防水卷材生产线每月要用道路沥青2000吨左右。求炼厂直供")) == ["沥青"]
    assert wanted(r.read("面板上的薄膜按键要重新找供应商：带LED透光窗")) == ["薄膜按键"]
    # 盘条和棒材都要: the forms of the goods already asked for
    u = r.read("求购60Si2Mn弹簧钢，盘条和棒材都要，直径8-20mm")
    assert wanted(u)[0] == "弹簧钢" and "盘条" in wanted(u)


def test_the_partner_one_wishes_to_work_with_is_sought():
    r = need_reader(("旅行社", "客房", "酒店"))
    u = r.read("酒店这边客房220间，淡季入住率掉得厉害。想跟旅行社合作接团队客")
    assert "旅行社" in wanted(u)
