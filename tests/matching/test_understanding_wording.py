"""Rules of wording the needs of other trades showed (issue #10), each on a hand-checkable sentence."""

import pytest

from matching.spec import word_list
from matching.understanding import NeedReader
from tests.matching.conftest import need_reader, wanted

NODES = tuple(word_list(
    """
    电石 碳化钙 氯碱化工 聚氯乙烯 汽车零部件 铝合金 铝合金锭 电热水器 小家电 ODM 铁合金 硅铁 高碳铬铁 不锈钢
    聚酯切片 瓶级聚酯切片 自来水 离心泵 集成电路 IC 机器人 工业机器人 焊接机器人 热轧卷板 热卷 拖车 氢气
    """)
)
ALIASES = [("电石", "碳化钙"), ("硅铁", "铁合金"), ("高碳铬铁", "铁合金"), ("IC", "集成电路"),
           ("工业机器人", "机器人")]


@pytest.fixture(scope="module")
def reader() -> NeedReader:
    return need_reader(NODES, aliases=ALIASES)


def test_a_firm_before_the_want_verb_is_the_poster_even_with_an_adverb_between(reader):
    u = reader.read("某汽车零部件企业拟寻找铝合金锭供应商，年需4000吨")
    assert [m.words for m in u.own] == ["汽车零部件"]
    assert "汽车零部件" not in wanted(u)
    u = reader.read("小家电企业长期采购电热水器")
    assert [m.words for m in u.own] == ["小家电"] and wanted(u) == ["电热水器"]


def test_a_mention_followed_by_a_firm_word_names_the_poster_only_before_the_verb(reader):
    u = reader.read("某氯碱化工集团2027年度碳化钙采购项目")
    assert [m.words for m in u.own] == ["氯碱化工"] and wanted(u) == ["碳化钙"]
    u = reader.read("自来水公司二次供水改造，采购离心泵")
    assert [m.words for m in u.own] == ["自来水"] and wanted(u) == ["离心泵"]
    # after the verb the same words ask for the makers
    u = reader.read("寻找电热水器生产企业")
    assert wanted(u) == ["电热水器"] and not u.own


def test_oem_and_odm_name_an_arrangement_not_a_product(reader):
    u = reader.read("寻储水式电热水器ODM代工合作伙伴")
    assert wanted(u) == ["电热水器"]


def test_examples_before_deng_weigh_less_than_the_kind_after_it(reader):
    u = reader.read("我们是不锈钢冶炼企业，现需高碳铬铁、硅铁等铁合金")
    weights = {m.words: m.weight for m in u.wanted}
    assert set(weights) == {"高碳铬铁", "硅铁", "铁合金"}
    # specificity still counts; the half makes the kind come first
    assert weights["铁合金"] == 1.0 and max(weights["硅铁"], weights["高碳铬铁"]) < 0.6
    # without 等 the mentions before the class only modify it, as before
    u = reader.read("采购硅铁铁合金")
    assert wanted(u) == ["铁合金"]


def test_a_material_in_its_delivery_form_is_the_material(reader):
    u = reader.read("求购铝合金锭")
    assert u.wanted[0].nodes == ("铝合金锭",) and u.wanted[0].synonyms == ("铝合金",)
    # a grade before the name is dropped the same way (瓶级 as 电池级)
    u = reader.read("求购瓶级聚酯切片")
    assert u.wanted[0].nodes == ("瓶级聚酯切片",) and u.wanted[0].synonyms == ("聚酯切片",)


def test_two_names_paired_one_to_one_are_synonyms_both_ways(reader):
    assert reader.read("采购电石").wanted[0].synonyms == ("碳化钙",)
    assert reader.read("采购碳化钙").wanted[0].synonyms == ("电石",)


def test_a_category_an_abbreviation_and_a_narrower_kind_are_not_turned_round(reader):
    # 硅铁 and 高碳铬铁 are sold as 铁合金: asking for 铁合金 does not ask for each
    assert reader.read("采购铁合金").wanted[0].synonyms == ()
    # IC may stand for more than 集成电路 says; 工业机器人 is a kind of 机器人
    assert reader.read("采购集成电路").wanted[0].synonyms == ()
    assert reader.read("采购机器人").wanted[0].synonyms == ()
    assert reader.read("采购工业机器人").wanted[0].synonyms == ("机器人",)


def test_what_carries_the_goods_is_a_delivery_term(reader):
    # nothing the data names is wanted here (高纯氢 is no node): the trailer must not stand in for it
    u = reader.read("加氢站运营方求购高纯氢，长管拖车运输，日需2吨")
    assert "拖车" not in wanted(u) and "拖车" in u.ignored
    assert wanted(reader.read("求购氢气，长管拖车运输")) == ["氢气"]
