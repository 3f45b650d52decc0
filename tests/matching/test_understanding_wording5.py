"""Rules of service and cooperation wording from issue #10's seventh pass (branch wording5), each on a
hand-checkable sentence."""

from matching.phrases import is_service
from matching.understanding import NeedReader
from tests.matching.conftest import need_reader, own, wanted

NODES = ("电梯", "维保", "冷库", "安装", "叉车", "租赁", "锅炉", "检测", "环境检测", "地下水", "变压器", "检修服务",
         "仪器仪表", "校准", "中央空调", "维修保养", "光伏组件", "发电", "组件", "轴承", "轴承制造", "注塑模具", "新品",
         "智能仓储", "整体解决方案", "风电叶片", "利用", "动力电池", "隔膜")


def _reader() -> NeedReader:
    return need_reader(NODES)


# ---- work done on a thing ----------------------------------------------------------------------------------

def test_a_bare_service_word_wants_the_thing_it_is_done_on_too():
    r = _reader()
    assert set(wanted(r.read("寻求电梯维保服务商"))) == {"电梯", "维保"}
    assert set(wanted(r.read("需要一家做冷库安装的公司"))) == {"安装", "冷库"}
    assert set(wanted(r.read("叉车租赁，短期使用"))) == {"叉车", "租赁"}
    assert set(wanted(r.read("厂区变压器检修服务招标"))) == {"变压器", "检修服务"}
    assert set(wanted(r.read("寻求仪器仪表校准服务供应商"))) == {"仪器仪表", "校准"}


def test_a_name_made_of_service_words_only_is_bare_work():
    assert is_service("维保") and is_service("维修保养") and is_service("检修服务") and is_service("安装业务")
    assert set(wanted(_reader().read("中央空调维修保养外包"))) == {"中央空调", "维修保养"}


def test_a_service_that_names_its_object_keeps_the_thing_before_it_a_modifier():
    # 环境检测 already says what is tested: 地下水 only narrows it, as 动力电池 narrows 隔膜
    assert not is_service("环境检测") and not is_service("检测设备")
    assert wanted(_reader().read("采购地下水环境检测")) == ["环境检测"]
    assert wanted(_reader().read("采购动力电池隔膜")) == ["隔膜"]


# ---- working together --------------------------------------------------------------------------------------

def test_the_trade_named_after_yu_in_a_cooperation_clause_is_the_partner_sought():
    u = _reader().read("我公司拟与光伏组件企业开展战略合作，共同开发双面发电组件")
    assert "光伏组件" in wanted(u) and "光伏组件" not in own(u)


def test_the_partners_firm_word_is_not_part_of_its_product():
    assert "轴承" in wanted(_reader().read("我公司拟牵头组建创新联合体，联合轴承制造企业与高校开展攻关"))


def test_a_trade_before_a_firm_word_without_cooperation_is_still_the_poster():
    assert "光伏组件" in own(_reader().read("与光伏组件企业同属一个园区，现采购隔膜"))


# ---- words that name no product ----------------------------------------------------------------------------

def test_generic_solutions_new_products_and_use_name_no_product():
    r = _reader()
    assert wanted(r.read("征集智能仓储整体解决方案服务商")) == ["智能仓储"]
    assert wanted(r.read("有没有做注塑模具的厂家，想找人合作开发一款新品")) == ["注塑模具"]
    assert wanted(r.read("共建风电叶片回收利用示范线")) == ["风电叶片"]


def test_making_words_name_no_product():
    # 设计制造一体化: 制造 says the supplier makes it, not what it makes
    r = need_reader(("钢结构", "制造", "生产"))
    assert wanted(r.read("征集钢结构设计制造一体化解决方案")) == ["钢结构"]
    assert wanted(r.read("寻找钢结构生产")) == ["钢结构"]


# ---- when nothing names a product ---------------------------------------------------------------------------

def test_a_word_naming_no_product_is_not_wanted_even_alone():
    # 保洁 links to nothing; the node 服务 would bring every firm listing 服务: the words carry the need instead
    u = need_reader(("服务", "材质")).read("寻找厂区保洁服务外包单位")
    assert wanted(u) == [] and "保洁" in u.words
    assert wanted(need_reader(("服务", "材质")).read("求购150方坯，Q235材质")) == []


# ---- a supplier sought before the verb ------------------------------------------------------------------------

def test_a_supplier_word_before_a_call_with_no_object_is_the_one_sought():
    r = need_reader(("冷链", "运输", "生鲜", "叉车"))
    u = r.read("生鲜冷链运输服务商征集，覆盖华东")
    assert set(wanted(u)) == {"冷链", "运输"} and own(u) == []
    # with an object after the verb the supplier word is still the poster (系统集成商 buying 叉车)
    assert own(r.read("冷链运输服务商采购叉车")) and wanted(r.read("冷链运输服务商采购叉车")) == ["叉车"]


def test_carriage_named_with_a_service_word_is_the_service_not_a_delivery_term():
    r = need_reader(("冷链", "运输", "钢坯"))
    assert "运输" in wanted(r.read("采购冷链运输服务"))
    assert "运输" not in wanted(r.read("采购钢坯，汽车运输"))


# ---- a shop as the poster, the source factory as the supplier (fresh8 f863, issue #10) ---------------------

def test_a_shop_before_the_verb_is_the_poster_and_a_source_factory_the_supplier():
    r = need_reader(("电商", "店铺", "牛仔裤", "长裤", "运动", "源头"))
    u = r.read("电商店铺找牛仔裤、运动长裤源头厂家，支持一件代发")
    assert set(wanted(u)) == {"牛仔裤", "长裤"}  # not 店铺 (the poster), not 源头 (a word of the call)
    assert "店铺" in own(u)


def test_a_common_word_wanted_beside_a_named_product_weighs_little():
    # 认证 and 平台 are everyday words that happen to be products: beside a named product they keep a share of the
    # weight that follows how specific they are, down to 0.3 (at 0.5 认证 weighed 0.67 of 涡轮增压器)
    r = need_reader(("涡轮增压器", "认证", "服务器", "平台"))
    weights = {m.words: m.weight for m in r.read("采购涡轮增压器及认证").wanted}
    assert weights["涡轮增压器"] == 1.0 and weights["认证"] < 0.6
    weights = {m.words: m.weight for m in r.read("采购服务器和平台").wanted}
    assert weights["服务器"] == 1.0 and weights["平台"] < 0.65
