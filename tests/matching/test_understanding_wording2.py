"""Rules of wording a fourth set of needs from other trades showed (issue #10), each on a hand-checkable sentence."""

import pytest

from matching.spec import word_list
from matching.understanding import NeedReader
from tests.matching.conftest import need_reader, own, wanted

NODES = tuple(word_list(
    """
    注塑机 冰箱 内胆 家电 化妆品 跨境电商 球阀 法兰 对焊法兰 管廊 数据中心 硬盘 玻璃幕墙 分包 门窗 自来水 离心泵
    """)
)


@pytest.fixture(scope="module")
def reader() -> NeedReader:
    return need_reader(NODES)


def test_acquiring_equipment_is_a_want_verb(reader):
    u = reader.read("家电厂计划新上5台注塑机")
    assert wanted(u) == ["注塑机"] and own(u) == ["家电"]
    # without the verb the second clause is only context, and the first one's product is all that is wanted
    assert "注塑机" in wanted(reader.read("新品为冰箱内胆，今年计划添置注塑机"))


def test_zhuyao_zuo_describes_the_poster(reader):
    u = reader.read("我司是家电厂，主要做冰箱内胆。计划新上注塑机")
    assert wanted(u) == ["注塑机"] and "内胆" in own(u)


def test_a_platform_or_a_dealer_before_the_want_verb_is_the_poster(reader):
    u = reader.read("跨境电商平台寻找化妆品代工厂")
    assert wanted(u) == ["化妆品"] and own(u) == ["跨境电商"]


def test_the_matching_part_after_ji_is_wanted_not_a_purpose(reader):
    assert wanted(reader.read("采购球阀及配套法兰")) == ["球阀", "法兰"]
    u = reader.read("为门窗配套，采购球阀")  # 配套 still says what the goods are for
    assert wanted(u) == ["球阀"] and [n for m in u.purposes for n in m.nodes] == ["门窗"]


def test_a_clause_opening_with_a_conjunction_goes_on_with_the_list(reader):
    u = reader.read("急需一批球阀DN50，以及配套的对焊法兰")
    assert wanted(u) == ["球阀", "对焊法兰"]
    u = reader.read("急需一批球阀DN50，法兰也可以")  # no conjunction: no want
    assert wanted(u) == ["球阀"]


def test_a_project_or_works_before_the_want_is_what_the_goods_are_for(reader):
    u = reader.read("化工园区管廊改造项目，急需一批球阀")
    assert wanted(u) == ["球阀"] and "管廊" not in wanted(u)
    u = reader.read("数据中心扩容，采购硬盘")
    assert wanted(u) == ["硬盘"] and [n for m in u.purposes for n in m.nodes] == ["数据中心"]
    u = reader.read("自来水公司二次供水改造，采购离心泵")  # the firm before the works is still the poster
    assert own(u) == ["自来水"] and wanted(u) == ["离心泵"]


def test_a_subcontract_is_an_arrangement_not_a_product(reader):
    assert wanted(reader.read("寻找玻璃幕墙分包单位")) == ["玻璃幕墙"]


def test_what_the_goods_must_be_is_a_condition_not_a_want(reader):
    u = reader.read("采购球阀DN50，法兰需为对焊法兰")
    assert wanted(u) == ["球阀"]
    u = reader.read("采购球阀，材质须符合GB标准")
    assert wanted(u) == ["球阀"]
    assert wanted(reader.read("急需对焊法兰")) == ["对焊法兰"]  # 需 before a product is still a want


def test_a_department_before_the_want_verb_is_the_poster(reader):
    u = reader.read("家电事业部寻找注塑机供应商")
    assert wanted(u) == ["注塑机"] and own(u) == ["家电"]
