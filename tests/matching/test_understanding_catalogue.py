"""Supply–demand catalogue entries and tender headings as fresh15 writes them (issue #10): the labelled fields of an
entry (需求企业｜产品名称｜规格型号｜用途) each say what their value is; a purpose before the want verb
(为二期产线配套采购) leaves the goods after the verb wanted; 定点 and 研制 name no product; a bare number between
commas (1,4-丁二醇) hands a label on; a name with a packaging word (变速器总成) brings the product without it as a
synonym."""

from tests.matching.conftest import need_reader, own, purposes, wanted


def test_the_fields_of_a_catalogue_entry_say_what_their_values_are():
    r = need_reader(("磁材", "钕铁硼永磁材料", "金属镨钕", "磁体", "产品"))
    u = r.read("需求企业：某烧结钕铁硼磁材厂（主营钕铁硼永磁材料）｜产品名称：金属镨钕（PrNd）｜规格型号：TREM≥99%｜"
               "月需求量：120吨｜用途：用于烧结磁体速凝甩带熔炼。")
    assert wanted(u) == ["金属镨钕"]
    assert "磁材" in own(u) and "磁体" in purposes(u)


def test_a_label_word_at_the_start_of_a_phrase_is_no_label():
    r = need_reader(("机械硬盘", "数据中心"))
    assert wanted(r.read("数据中心扩容，采购企业级机械硬盘，需原厂质保五年")) == ["机械硬盘"]


def test_a_purpose_before_the_want_verb_leaves_the_goods_wanted():
    r = need_reader(("一体机", "动力电池", "产线"))
    u = r.read("我司主营动力电池，为二期产线配套采购极片模切分条一体机，共18台")
    assert wanted(u) == ["一体机"]


def test_designated_supply_and_development_words_name_no_product():
    r = need_reader(("乘用车自动变速器总成", "定点", "液压机", "研制"))
    assert wanted(r.read("项目名称：乘用车自动变速器总成定点采购")) == ["乘用车自动变速器总成"]
    assert wanted(r.read("等温锻造液压机研制：公称力≥1.5万吨")) == ["液压机"]


def test_a_bare_number_between_commas_hands_the_label_on():
    r = need_reader(("丁二醇", "化纤", "名称"), aliases=[("1,4-丁二醇", "丁二醇")])
    u = r.read("需求企业：某化纤新材料公司｜产品名称：1,4-丁二醇（BDO）｜规格型号：纯度≥99.7%")
    assert wanted(u) == ["丁二醇"]


def test_a_name_with_a_packaging_word_brings_the_product_without_it():
    r = need_reader(("乘用车自动变速器总成", "乘用车自动变速器"))
    u = r.read("乘用车自动变速器总成定点采购，年需求约12万台")
    assert wanted(u) == ["乘用车自动变速器总成"]
    assert u.wanted[0].synonyms == ("乘用车自动变速器",)
