"""Rules of clause wording from issue #10's set fresh14 (session of 2026-11-28, 17:11 UTC), each on a hand-checkable
sentence: a phrase going on with a verb (胶合板要增加一家供应商) has no unknown head; renewal and long-term contract
words (更新, 长协) name no product; 原酒 after a drink says which form it comes in; a subject before 想长期采购 is
the poster; cold-chain delivery after a modal is a delivery term, a cold-chain carrier sought is not; the firm before
the works of a project (水厂泵房改造) is the poster, as is a centre (政务服务中心); 规格 and 型号 name no
product; the locants of a chemical name are a
number and the name after them is not (1,4-BDO)."""

from matching.spec import spec_spans
from tests.matching.conftest import need_reader, own, wanted


def test_a_phrase_going_on_with_a_verb_has_no_unknown_head():
    r = need_reader(("胶合板", "橱柜"))
    assert wanted(r.read("衣柜柜体用胶合板要增加一家供应商：E0级，18mm")) == ["胶合板"]


def test_renewal_and_contract_words_name_no_product():
    r = need_reader(("钼精矿", "更新", "长协"))
    assert wanted(r.read("需求名称：钼精矿长协采购")) == ["钼精矿"]
    r = need_reader(("读卡器", "更新"))
    assert wanted(r.read("窗口设备更新：读卡器500台")) == ["读卡器"]


def test_base_liquor_after_a_drink_says_which_form_it_comes_in():
    r = need_reader(("黄酒", "原酒", "料酒"))
    assert wanted(r.read("采购绍兴加饭型黄酒原酒，用于料酒调配"))[0] == "黄酒"


def test_a_subject_before_a_wish_to_buy_is_the_poster():
    r = need_reader(("中央厨房", "海蜇皮"))
    u = r.read("餐饮连锁中央厨房想长期采购盐渍海蜇皮")
    assert wanted(u) == ["海蜇皮"] and "中央厨房" in own(u)


def test_cold_chain_delivery_after_a_modal_is_a_delivery_term():
    r = need_reader(("冻干粉针", "物流服务"), aliases=[("冷链配送", "物流服务")])
    assert wanted(r.read("现需采购冻干粉针，年需求约5万支，需2–8℃冷链配送。")) == ["冻干粉针"]
    assert "物流服务" in wanted(r.read("寻找冷链配送服务商，覆盖全省"))


def test_the_firm_before_the_works_of_a_project_is_the_poster():
    r = need_reader(("水厂", "电动机", "泵房"))
    u = r.read("水厂泵房改造，需要三相异步电动机共24台")
    assert wanted(u) == ["电动机"] and "水厂" in own(u)


def test_the_locants_of_a_chemical_name_are_a_number_and_the_name_is_not():
    t = "原料:1,4-bdo,纯度≥99.7%"
    spans = [t[a:b] for a, b, _ in spec_spans(t)]
    assert "4-" in spans and not any("bdo" in s for s in spans)


def test_a_centre_after_a_product_word_is_the_poster_and_spec_words_name_no_product():
    r = need_reader(("读卡器", "政务服务", "规格", "支架", "数据中心", "硬盘"))
    u = r.read("政务服务中心窗口设备更新：读卡器500台")
    assert wanted(u) == ["读卡器"] and "政务服务" in own(u)
    assert wanted(r.read("采购2835/3030规格灯珠支架")) == ["支架"]
    # a project's name is no poster: 数据中心 is what the goods are for
    assert "数据中心" not in own(r.read("数据中心扩容，采购硬盘"))
