"""Rules of wording from issue #10's sets (session of 2026-11-29, third), each on a hand-checkable sentence."""

from tests.matching.conftest import need_reader, wanted


def test_a_delivery_term_asked_for_after_the_goods_is_a_term_not_a_want():
    r = need_reader(("疫苗", "冷链配送", "冷链运输"))
    # 需冷链配送 was read as a second want at full weight and brought logistics firms to the top of a vaccine need
    u = r.read("疾控中心采购流感疫苗，需冷链配送。")
    assert wanted(u) == ["疫苗"] and "冷链配送" in u.ignored
    # the carrier itself is still what a need can ask for
    assert wanted(r.read("需冷链运输公司，运送疫苗至济南。")) == ["冷链运输"]
