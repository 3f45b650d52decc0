"""Rules of clause wording from issue #10's session of 2026-11-28 (17:11 UTC) and its set fresh11, each on a
hand-checkable sentence: what comes before an infix 用 is never the want, even when nothing after it is a known
product; a modal with 已 before its verb (需已通过, 须已取得) or a certificate after it (需SGS认证) states a
condition; a tender's lots (包1：) list what is bought; an annual framework (年度框架) is no product; a service word
overlapping the product before it (冷链运输服务) wants that product; 我司经营 names the poster's own trade; a project
named in Latin words joined by / is one purpose; the trade of the firms invited to quote is wanted; a product firms
list with 销售 after it is found without it; a Latin abbreviation before a head of its kind names which one; a
bureau or hospital after a product word is the poster; 母液 is a form a product comes in."""

from matching.understanding import NeedReader
from tests.matching.conftest import need_reader, own, wanted

NODES = ("铝合金轮毂", "细化剂", "片剂", "一致性评价", "电缆", "认证", "办公家具", "办公桌", "办公椅", "气压",
         "油套管", "冷链物流服务", "运输服务", "疫苗", "商品混凝土搅拌站", "减水剂", "快递服务", "电商", "LED显示",
         "MINI", "外延片销售", "氮化镓", "螺旋焊管", "钢管", "医用耗材销售", "耗材", "API")


def _reader() -> NeedReader:
    return need_reader(NODES, aliases=[("冷链运输", "冷链物流服务"), ("快递", "快递服务"), ("SSAW", "螺旋焊管"),
                                       ("医用耗材", "耗材")])


def test_the_product_before_an_infix_yong_is_not_wanted_when_nothing_known_follows():
    u = _reader().read("铝合金轮毂熔铸用铝钛硼变质剂，月用量20吨")
    assert "铝合金轮毂" not in wanted(u)
    assert [m.nodes[0] for m in u.modifiers] == ["铝合金轮毂"]
    # the words after 用 are what the ranking reads instead
    assert any(w.startswith("变质") for w in u.words)
    # with a known product after 用 that product is wanted, as before
    assert wanted(_reader().read("铝合金轮毂熔铸用细化剂，月用量20吨")) == ["细化剂"]


def test_a_modal_with_yi_before_its_verb_states_a_condition():
    u = _reader().read("寻找片剂品种做代理，需已通过一致性评价")
    assert wanted(u) == ["片剂"]
    u = _reader().read("采购电缆，须已取得认证")
    assert wanted(u) == ["电缆"]
    # without the modal the evaluation itself can be what is sought
    assert "一致性评价" in wanted(_reader().read("征集一致性评价服务机构"))


def test_a_certificate_after_a_modal_is_a_condition():
    u = _reader().read("包2：办公椅300把，带头枕和扶手，气压棒需SGS认证")
    assert wanted(u) == ["办公椅"]
    assert wanted(_reader().read("采购电缆需3C认证")) == ["电缆"]


def test_the_lots_of_a_tender_list_what_is_bought():
    u = _reader().read("政务服务中心办公家具采购项目\n包1：办公桌200张；\n包2：办公椅300把；\n供货期：30日内。")
    assert {"办公家具", "办公桌", "办公椅"} <= set(wanted(u))


def test_an_annual_framework_after_a_product_is_no_unknown_head():
    u = _reader().read("油田油套管年度框架采购：API 5CT套管，年量约1.5万吨")
    assert wanted(u)[0] == "油套管"


def test_a_service_word_overlapping_the_product_before_it_wants_that_product():
    u = _reader().read("疫苗冷链运输服务招标：覆盖全省14个地市，服务期两年")
    assert "冷链物流服务" in wanted(u)


def test_jingying_after_the_poster_names_its_own_trade():
    u = _reader().read("我司经营商品混凝土搅拌站3座，现招减水剂供应商")
    assert "商品混凝土搅拌站" in own(u)
    assert wanted(u) == ["减水剂"]


def test_a_project_named_in_latin_words_joined_by_a_slash_is_one_purpose():
    u = _reader().read("合作需求：Mini/Micro LED显示项目寻求外延片稳定来源")
    assert "MINI" not in wanted(u)
    assert {"MINI", "LED显示"} <= {n for m in u.purposes for n in m.nodes}


def test_the_trade_of_the_firms_invited_to_quote_is_wanted():
    u = _reader().read("电商仓发合作：日均出单约2万票，欢迎快递网点报价")
    assert "快递服务" in wanted(u)


def test_a_product_listed_with_xiaoshou_after_it_is_found_without_it():
    u = _reader().read("寻求4英寸GaN基蓝光外延片稳定来源")
    assert "外延片销售" in wanted(u)
    # the alias list's word for a form outranks the listed name with 销售 dropped
    assert wanted(_reader().read("医用耗材带量采购"))[0] == "耗材"


def test_a_latin_abbreviation_before_a_head_of_its_kind_names_which_one():
    u = _reader().read("SSAW钢管采购，约38公里")
    assert wanted(u)[0] == "螺旋焊管"
    assert u.wanted[0].weight > u.wanted[1].weight


def test_a_bureau_or_hospital_after_a_product_word_names_the_poster():
    r = need_reader(("管理", "尾气", "检测"))
    u = r.read("市机关事务管理局公务用车年检服务外包：尾气排放检测及预检")
    assert "管理" in own(u) and "管理" not in wanted(u)


def test_mother_liquor_after_a_product_says_which_form_it_comes_in():
    r = need_reader(("聚羧酸减水剂", "商砼", "技术服务"), aliases=[("PCE", "聚羧酸减水剂")])
    u = r.read("我司经营搅拌站3座，年产商砼约150万方，现招PCE母液供应商：固含量40%，需驻站技术服务。")
    assert wanted(u)[0] == "聚羧酸减水剂"
