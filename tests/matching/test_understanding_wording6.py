"""Rules of clause wording from issue #10's set fresh9, each on a hand-checkable sentence: a one-character modal
starts a condition only as a word of its own, a purpose clause may name its product after an infix 用, a bureau
before the want verb is the poster, a phrase going on with work words has no unknown head, what the wanted
product replaces is not wanted, every product joined before an infix 用 is what it is for, a contracting arrangement
(EPC) after a product says how it is bought, and what the product must work with (需与SAP对接) is a condition."""

import pytest

from matching.understanding import NeedReader
from tests.matching.conftest import need_reader, own, wanted

NODES = ("三轮摩托车", "散件", "组装", "药品零售", "药房", "柴油",
         "对讲机", "管理", "聚丙烯", "降解塑料", "能源", "润滑油", "说明书", "铜排", "开关柜", "母线", "光伏玻璃",
         "组件", "电缆", "公安", "电池组", "铅酸电池", "轴承",
         "车辆", "设备", "管道天然气", "燃气", "陶瓷窑",
         "成套设备", "工程总承包", "管理系统", "SAP", "铁路运输", "资源", "煤炭")


def _reader() -> NeedReader:
    return need_reader(NODES, aliases=[("EPC", "工程总承包"), ("铁运", "铁路运输")])


@pytest.mark.parametrize(("text", "product"), [
    ("应急管理局采购对讲机200台", "对讲机"),
    ("注塑用聚丙烯，每月200吨", "聚丙烯"),
    ("可降解塑料袋原料采购，降解塑料月需50吨", "降解塑料"),
    ("能源集团需润滑油，年用量300吨", "润滑油"),
    ("说明书印刷外包，年需100万份", "说明书"),
])
def test_a_word_that_starts_with_a_modal_character_is_no_condition(text, product):
    assert product in wanted(_reader().read(text))


def test_a_modal_standing_alone_still_starts_a_condition():
    u = _reader().read("采购电缆，可提供对讲机者优先")
    assert wanted(u) == ["电缆"]
    u = _reader().read("采购电缆。注：需具备对讲机资质")
    assert wanted(u) == ["电缆"]


def test_a_purpose_clause_names_its_product_after_an_infix_yong():
    u = _reader().read("配套开关柜母线用铜排，规格10×100mm，年用量约300吨")
    assert wanted(u) == ["铜排"]
    assert {m.nodes[0] for m in u.purposes} == {"开关柜", "母线"}
    # with nothing after 用 the clause stays a purpose only (采购光伏玻璃，配套组件用)
    u = _reader().read("采购光伏玻璃，配套组件用")
    assert wanted(u) == ["光伏玻璃"] and "组件" not in wanted(u)


def test_a_bureau_pharmacy_or_fleet_before_the_want_verb_is_the_poster():
    u = _reader().read("市公安局采购对讲机500台")
    assert wanted(u) == ["对讲机"] and "公安" in own(u)
    u = _reader().read("连锁药房集采：柴油100吨")  # the pharmacy chain buys; it is not what is bought
    assert wanted(u) == ["柴油"] and "药房" in own(u)


def test_a_phrase_going_on_with_work_words_has_no_unknown_head():
    # 出口西非 says what is done with the motorcycles; 车载中控屏-like unknown heads are nouns
    u = _reader().read("外贸公司采购三轮摩托车出口西非，散件组装也可以")
    assert wanted(u) == ["三轮摩托车"]
    # nor with what follows 的, which is a phrase of its own (the firm sought)
    u = _reader().read("有没有能给陶瓷窑供管道天然气的燃气公司？想签长期合同")
    assert wanted(u) == ["管道天然气"]


def test_what_the_wanted_product_replaces_is_not_wanted():
    u = _reader().read("电动叉车主机厂想找电池组供应商替代铅酸电池，年需3000套")
    assert wanted(u) == ["电池组"]
    assert wanted(_reader().read("寻找可替代进口的轴承供应商")) == ["轴承"]  # 的: the replacement is named after


def test_every_product_joined_before_an_infix_yong_is_what_it_is_for():
    u = _reader().read("矿区车辆及设备用柴油，每月约800吨")
    assert wanted(u) == ["柴油"]
    assert {m.nodes[0] for m in u.modifiers} == {"车辆", "设备"}


def test_a_contracting_arrangement_after_a_product_says_how_it_is_bought():
    # 成套设备EPC: the plant is wanted, EPC says how (as 模块 in IGBT模块, it stays at half weight)
    u = _reader().read("新建饲料厂整厂成套设备EPC招标")
    assert wanted(u)[0] == "成套设备"
    assert wanted(_reader().read("光伏电站EPC招标")) == ["工程总承包"]  # alone it is what is sought


def test_what_the_product_must_work_with_is_a_condition():
    u = _reader().read("采购管理系统，需与现有SAP对接")
    assert wanted(u) == ["管理系统"]


def test_a_source_word_after_a_product_says_which_source():
    # 铁运资源 is rail transport to be had, as 气源 after 天然气: the word 资源 alone names nothing wanted
    assert wanted(_reader().read("煤炭外运找铁运资源，月运量10万吨"))[0] == "铁路运输"
