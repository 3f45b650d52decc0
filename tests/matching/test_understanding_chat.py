"""Needs typed or dictated in a chat (issue #10's fresh30 set): phrases spaced rather than punctuated, the poster's
trade said in passing (做智能电表的, 漆包线产能扩了, 氯化钙我们自己有), counts in Chinese numbers (月5万pcs)."""

from tests.matching.conftest import need_reader, own, wanted


def test_a_chat_line_opening_with_the_posters_trade():
    r = need_reader(("智能电表", "石英晶振", "营销服务", "会议场地"))
    # the poster's meters were wanted beside the crystals and brought its peers
    u = r.read("做智能电表的 找石英晶振供应商 DIP插件 月用量80k")
    assert wanted(u) == ["石英晶振"] and "智能电表" in own(u)


def test_a_product_line_the_firm_names_before_asking():
    r = need_reader(("智能终端", "摄像头模组", "PCS", "变流器"), aliases=[("pcs", "变流器")])
    # 公司产品… made the whole line the poster's, the camera modules after 求 too; 5万pcs is a count
    u = r.read("公司产品线是智能终端（平板 学习机）求摄像头模组供应商 AF 月5万pcs")
    assert wanted(u) == ["摄像头模组"] and "智能终端" in own(u)


def test_what_the_poster_makes_said_in_passing():
    r = need_reader(("改性塑料", "增塑剂", "漆包线", "铜杆", "电解铜", "铜精矿", "氯化钙", "工业盐", "肉制品", "生猪",
                     "聚酯切片", "PIA", "黄芪", "中成药"))
    # 主做… marked the whole spaced line as the poster's own, the plasticiser with it
    u = r.read("主做改性塑料 线缆料这块要耐105℃的增塑剂 月20吨 有直接厂家吗")
    assert wanted(u) == ["增塑剂"] and "改性塑料" in own(u)
    u = r.read("漆包线产能扩了 铜杆不够用 想找铜杆厂")
    assert wanted(u) == ["铜杆"] and "漆包线" in own(u)
    u = r.read("冶炼厂 电解铜产能十万吨 现在收铜精矿")
    assert wanted(u) == ["铜精矿"] and "电解铜" in own(u)
    u = r.read("做融雪剂的 氯化钙我们自己有 还缺工业盐")
    assert wanted(u) == ["工业盐"] and "氯化钙" in own(u)
    u = r.read("我们肉制品做了十几年 现在每天要收200头生猪")
    assert wanted(u) == ["生猪"] and "肉制品" in own(u)
    u = r.read("公司现有两条聚酯切片线，拟求购PIA，月需求约300吨")
    assert wanted(u) == ["PIA"] and "聚酯切片" in own(u)
    u = r.read("俺们合作社种了两千亩黄芪 想找中成药厂签订单")
    assert "黄芪" in own(u) and "黄芪" not in wanted(u)
