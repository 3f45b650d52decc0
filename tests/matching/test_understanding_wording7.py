"""Rules of clause wording from issue #10's session of 2026-11-28 (17:11 UTC), each on a hand-checkable sentence:
what comes before an infix 用 is never the want, even when nothing after it is a known product, and a modal with
已 before its verb (需已通过, 须已取得) states a condition."""

from matching.understanding import NeedReader
from tests.matching.conftest import need_reader, wanted

NODES = ("铝合金轮毂", "细化剂", "片剂", "一致性评价", "电缆", "认证")


def _reader() -> NeedReader:
    return need_reader(NODES)


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
