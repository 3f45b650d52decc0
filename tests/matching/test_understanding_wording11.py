"""Rules of wording from issue #10's sets (session of 2026-11-29), each on a hand-checkable sentence: a count an
English order gives after its number (5000 pcs, 3 sets) is a quantity, not the product its letters abbreviate."""

from tests.matching.conftest import need_reader, wanted


def test_a_count_after_its_number_is_a_quantity_not_a_product():
    r = need_reader(("螺栓", "变流器", "电池管理系统", "电缆"), aliases=[("PCS", "变流器"), ("BMS", "电池管理系统")])
    # PCS (a power conversion system) was wanted at full weight beside the bolts
    assert wanted(r.read("采购不锈钢螺栓 5000 pcs，交货期30天")) == ["螺栓"]
    assert wanted(r.read("螺栓询价，MOQ 2,000 PCS，样品 3 pcs")) == ["螺栓"]
    # without a number before it the abbreviation names the product
    assert wanted(r.read("储能PCS采购，500kW")) == ["变流器"]
