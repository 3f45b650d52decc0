"""A compound with a word set into it names the compound without it too (锌铝合金 is a 锌合金): the reader adds
such names to the mention as further nodes, each rule on a hand-checkable sentence."""

from matching.understanding import NeedReader, Understanding
from tests.matching.conftest import need_reader, wanted

NODES = ("锌合金", "铝合金锭", "铝合金", "水处理", "水处理剂", "漆包线", "铜线", "浓缩果汁", "浓缩苹果汁", "苹果汁",
         "电子管", "雷管", "电子雷管", "图书业务", "印刷业务", "印刷", "市政工程", "亮化工程", "轴承", "苹果")
# 浓缩苹果汁 is a kind of 浓缩果汁; 电子管 and 电子雷管 have nothing to do with each other
EDGES = [("浓缩果汁", "浓缩苹果汁", "subkind"), ("苹果", "浓缩苹果汁", "input")]


def _reader() -> NeedReader:
    return need_reader(NODES, EDGES)


def _named(u: Understanding) -> set[str]:
    """Every node a wanted mention stands for: its own and the further ones."""
    return {n for m in u.wanted for n in (*m.nodes, *m.synonyms)}


def test_a_word_set_into_a_compound_is_left_out_to_name_the_compound():
    r = _reader()
    assert "锌合金" in _named(r.read("采购热镀锌用锌铝合金锭，年需6000吨"))
    assert "水处理剂" in _named(r.read("污水处理厂采购水处理药剂，年度框架招标"))
    assert "漆包线" in _named(r.read("征集漆包圆铜线供应商"))
    assert "浓缩果汁" in _named(r.read("另外采购浓缩苹果汁用于调配"))


def test_the_mention_itself_stays_first():
    u = _reader().read("采购锌铝合金锭")
    assert wanted(u)[0] == "铝合金锭"
    assert u.wanted[0].words == "铝合金锭"


def test_a_name_spelled_by_the_mentions_own_name_needs_the_chain_graph_to_relate_them():
    # 电子雷管 is a name of its own: 电子管 (雷 left out) is another product, which the graph does not relate to it
    assert "电子管" not in _named(_reader().read("采购电子雷管"))
    # 浓缩苹果汁 is a name of its own too, and a kind of 浓缩果汁
    assert "浓缩果汁" in _named(_reader().read("采购浓缩苹果汁"))


def test_a_name_in_the_text_is_a_mention_of_its_own_not_a_further_node():
    u = _reader().read("采购水处理剂和水处理药剂")
    assert [m.words for m in u.wanted].count("水处理剂") == 1
    assert all("水处理剂" not in m.synonyms for m in u.wanted)


def test_a_name_ending_in_a_word_that_names_no_product_is_never_taken():
    assert "图书业务" not in _named(_reader().read("出版社外包图书印刷业务，诚招印厂"))
    assert "市政工程" not in _named(_reader().read("市政亮化工程采购"))


def test_at_most_two_characters_are_left_out_and_never_across_a_separator_or_zone():
    r = _reader()
    assert "锌合金" not in _named(r.read("采购锌、铝合金锭"))  # a list, not one compound
    assert "锌合金" not in _named(r.read("锌用于铝合金锭"))  # a purpose clause between them
    assert "漆包线" not in _named(r.read("征集漆包扁平圆铜线供应商"))  # 扁平圆铜: four characters left out


def test_a_mention_with_nothing_set_into_it_reads_as_before():
    u = _reader().read("求购轴承")
    assert _named(u) == {"轴承"}


def test_an_alias_is_never_spelled_with_a_word_left_out():
    # 三元肥 is another name of 复合肥, written whole; 外三元育肥猪 spells it only with 育 left out, by accident
    r = need_reader(("复合肥", "育肥猪", "锌合金", "铝合金锭"), aliases=[("三元肥", "复合肥"), ("锌合金锭", "锌合金")])
    assert _named(r.read("屠宰企业长期收购外三元育肥猪")) == {"育肥猪"}
    assert "复合肥" in _named(r.read("采购三元肥500吨"))
    # a node's own name still is (锌铝合金锭 is a 锌合金 through its name, not through the alias 锌合金锭)
    assert "锌合金" in _named(r.read("采购锌铝合金锭"))
