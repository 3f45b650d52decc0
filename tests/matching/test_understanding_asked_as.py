"""Work asked for as a service or business (仓储服务, 印刷业务) is that work: the firms doing it list it
without the word, so the mention stands for the bare name too."""

from matching.understanding import Understanding
from tests.matching.conftest import need_reader

NODES = ("仓储", "仓储服务", "印刷", "印刷业务", "图书", "餐饮", "铝合金", "铝合金锭", "轴承")


def _named(u: Understanding) -> list[str]:
    return [n for m in u.wanted for n in (*m.nodes, *m.synonyms)]


def test_a_service_named_with_fu_wu_or_ye_wu_also_names_the_bare_work():
    r = need_reader(NODES)
    assert _named(r.read("跨境电商卖家寻求华东地区第三方仓储服务")) == ["仓储服务", "仓储"]
    assert "印刷" in _named(r.read("出版社外包图书印刷业务，诚招印厂"))


def test_the_bare_name_must_be_a_node_and_the_rest_at_least_two_characters():
    r = need_reader(("服务", "业务", "餐饮服务", "轴承"))
    assert _named(r.read("需要餐饮服务")) == ["餐饮服务"]  # 餐饮 is no node here


def test_the_delivered_form_rule_is_unchanged():
    assert _named(need_reader(NODES).read("采购铝合金锭")) == ["铝合金锭", "铝合金"]
