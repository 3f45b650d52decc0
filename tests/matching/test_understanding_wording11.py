"""Rules of wording from issue #10's sets (session of 2026-11-29), each on a hand-checkable sentence: a count an
English order gives after its number (5000 pcs, 3 sets) is a quantity, not the product its letters abbreviate;
Latin letters in brackets right after a wanted product (己二酸（AA）) gloss it; a category that fills a column of a
catalogue entry (服装类｜…) classifies the entry; 编号 names no product."""

from tests.matching.conftest import need_reader, own, purposes, wanted


def test_a_count_after_its_number_is_a_quantity_not_a_product():
    r = need_reader(("螺栓", "变流器", "电池管理系统", "电缆"), aliases=[("PCS", "变流器"), ("BMS", "电池管理系统")])
    # PCS (a power conversion system) was wanted at full weight beside the bolts
    assert wanted(r.read("采购不锈钢螺栓 5000 pcs，交货期30天")) == ["螺栓"]
    assert wanted(r.read("螺栓询价，MOQ 2,000 PCS，样品 3 pcs")) == ["螺栓"]
    # without a number before it the abbreviation names the product
    assert wanted(r.read("储能PCS采购，500kW")) == ["变流器"]


def test_latin_letters_in_brackets_after_a_product_gloss_it():
    r = need_reader(("己二酸", "AA", "无水氟化氢", "氟化氢", "白羽肉鸡"), aliases=[("AHF", "氟化氢")])
    # AA, read on its own, was wanted beside the acid it abbreviates
    assert wanted(r.read("成盐工序需己二酸（AA），工业一级，年需求2万吨")) == ["己二酸"]
    # nor is the first of the breeds or grades listed in the brackets
    assert "AA" not in wanted(r.read("屠宰车间需白羽肉鸡（AA+、罗斯308），日收12万羽"))
    # letters that name the product or a name within its own stay (AHF is 氟化氢)
    assert set(wanted(r.read("采购需求：无水氟化氢（AHF），年需求约2.4万吨"))) == {"无水氟化氢", "氟化氢"}
    # letters on their own, not a gloss, are asked for
    assert "AA" in wanted(r.read("采购AA，年需求2万吨"))


def test_a_category_column_of_a_catalogue_entry_is_not_what_it_asks_for():
    r = need_reader(("服装类", "化工类", "裤子", "液碱", "编号", "工装"), aliases=[("长裤", "裤子")])
    # the catalogue's classification and the entry's number were wanted; the trousers were context
    u = r.read("服装类｜需求编号FZ-0312｜男士弹力棉卡其长裤，首单5000条")
    assert wanted(u) == ["裤子"]
    assert wanted(r.read("需求类别：化工类｜采购液碱 500吨")) == ["液碱"]
    # a category the sentence asks for, or the only product named, is still wanted
    assert wanted(r.read("采购服装类，男女工装各500套"))[0] == "服装类"
    assert wanted(r.read("服装类")) == ["服装类"]


def test_materials_goods_and_channels_name_no_product():
    r = need_reader(("物料", "胶带", "电商", "渠道", "婴儿推车", "商品", "戒指"))
    assert wanted(r.read("渠道寻源：现引入婴儿推车等品类供应商")) == ["婴儿推车"]
    assert wanted(r.read("2025年度珠宝商品采购计划：钻石戒指")) == ["戒指"]
    # 物料询价 (a request for quotation of materials) wanted 物料 at full weight
    assert wanted(r.read("物料询价（电商仓耗材）\n名称：封箱胶带，48mm×100m"))[0] == "胶带"


def test_a_trade_after_the_placeholder_of_a_firms_name_is_the_posters():
    r = need_reader(("化纤", "乙二醇", "聚酯", "钢铁", "焦炭", "空调", "品牌"))
    # XX化纤 is the tendering firm: 化纤 was wanted at full weight
    u = r.read("项目名称：XX化纤2024年聚酯原料采购比选 / 采购内容：聚酯级煤制乙二醇，月供5000吨")
    assert wanted(u) == ["乙二醇"] and "化纤" in own(u)
    assert wanted(r.read("某钢铁2024年焦炭采购")) == ["焦炭"]
    # after the want verb the placeholder qualifies what is bought
    assert wanted(r.read("采购某品牌空调20台")) == ["空调"]


def test_an_industrial_park_is_a_place_not_a_product():
    r = need_reader(("园区", "摄像机", "化工", "防护服", "工业蒸汽"))
    assert "园区" not in wanted(r.read("园区新上印染线，急求稳定工业蒸汽，每小时20吨"))
    assert wanted(r.read("我司为化工园区运营方，拟将园区进口防爆摄像机更换为国产设备")) == ["摄像机"]
    assert "化工" not in wanted(r.read("化工园区应急储备：一次性防护服5000套"))


def test_works_that_localise_a_product_ask_for_it():
    r = need_reader(("控制系统", "平台", "球阀", "改造"), aliases=[("DCS", "控制系统")])
    # DCS国产化改造 read the DCS as what the works are for, and the platform as the want
    assert wanted(r.read("DCS国产化改造：计划整体替换为国产集散控制平台，约3000个I/O点"))[0] == "控制系统"
    assert wanted(r.read("管廊改造项目，急需球阀")) == ["球阀"]


def test_a_product_is_wanted_with_the_extrusion_or_finish_done_on_it():
    r = need_reader(("铝型材", "挤压", "阳极", "电池"))
    # 挤压 was the head and the profiles only qualified it
    assert wanted(r.read("谁家能做6063-T5工业铝型材挤压+阳极氧化？电池托盘边框用"))[0] == "铝型材"


def test_the_fields_of_a_registration_form_about_the_firm_name_its_own_products():
    r = need_reader(("电机制造", "永磁同步电机", "钕铁硼磁钢", "汽车零部件", "制动盘", "灰铸铁", "不锈钢管", "镍板"))
    u = r.read("企业类型：电机制造（主营永磁同步电机）｜对接方向：上游配套｜需求明细：烧结钕铁硼磁钢，月需求20吨")
    assert wanted(u) == ["钕铁硼磁钢"] and "电机制造" in own(u)
    u = r.read("企业名称：某汽车零部件公司｜主营产品：制动盘｜需求产品：灰铸铁")
    assert wanted(u) == ["灰铸铁"] and "制动盘" in own(u)
    assert wanted(r.read("主要产品：不锈钢管；需求：镍板 100吨")) == ["镍板"]


def test_a_poster_saying_in_speech_what_it_makes_names_its_own_products():
    r = need_reader(("电动自行车", "控制器", "面条", "高筋面粉", "空调压缩机", "定子"))
    # the e-bike makers (the poster's peers) were wanted at full weight
    assert wanted(r.read("那个我们厂是做电动自行车的，就是说要找控制器供应商，一个月两万套")) == ["控制器"]
    assert wanted(r.read("我们做面条的，需要高筋面粉，每月50吨")) == ["高筋面粉"]
    assert "空调压缩机" not in wanted(r.read("本企业以生产空调压缩机为主，现寻找电机定子冲片供应商"))


def test_more_ways_a_poster_names_its_own_trade():
    r = need_reader(("锂电池", "正极材料", "汽车座椅", "聚氨酯海绵", "太阳能电池片", "铝锭", "石英砂", "光伏玻璃"))
    # 作为一家…企业 is who the poster is, not what the goods are used as
    u = r.read("作为一家锂电池企业，我们需要正极材料")
    assert wanted(u) == ["正极材料"] and "锂电池" in own(u)
    assert wanted(r.read("本司生产汽车座椅，求购聚氨酯海绵")) == ["聚氨酯海绵"]
    # a note in brackets about the poster's trade ends with the brackets: the purchase after it was lost
    assert wanted(r.read("某公司（主营：太阳能电池片）拟采购铝锭")) == ["铝锭"]
    assert "光伏玻璃" in purposes(r.read("采购石英砂，作为光伏玻璃原料"))


def test_goods_in_stock_are_still_what_is_asked_for():
    r = need_reader(("螺纹钢",))
    # 现货 started the delivery terms, so the rebar after 现货的 was ignored
    assert wanted(r.read("帮忙问下谁家有现货的螺纹钢")) == ["螺纹钢"]
    assert wanted(r.read("螺纹钢，现货，日照港提货")) == ["螺纹钢"]


def test_what_the_poster_lacks_is_what_it_asks_for():
    r = need_reader(("铝锭", "产品"))
    # 我们这边缺铝锭 read the ingots as something the poster has
    assert wanted(r.read("我们这边缺铝锭，一个月300吨左右")) == ["铝锭"]
    assert wanted(r.read("产品无缺陷，采购铝锭")) == ["铝锭"]


def test_an_ordinal_says_when_not_what():
    r = need_reader(("第一", "第二", "螺栓", "法兰", "第三方物流"))
    # 第一 and 第二 are node names of the data: a plan's quarters were wanted beside its goods
    assert wanted(r.read("2025年采购计划：第一季度 螺栓 5万套；第二季度 法兰 2000片")) == ["法兰", "螺栓"]
    assert wanted(r.read("采购第三方物流服务")) == ["第三方物流"]


def test_chinese_in_brackets_after_an_english_name_weighs_as_the_english():
    r = need_reader(("茄克衫", "冲锋衣", "户外"), aliases=[("hardshell jacket", "茄克衫")])
    u = r.read("我们是北欧户外品牌，寻找 3-layer hardshell jacket（硬壳冲锋衣）代工，4,000 pcs/style")
    weights = {m.nodes[0]: m.weight for m in u.wanted}
    # the Chinese in brackets says the English in the data's words: it was wanted at 0.6 as a bracketed detail
    assert set(weights) == {"茄克衫", "冲锋衣"} and min(weights.values()) > 0.9
    # Chinese in brackets after a Chinese name still details it
    u = r.read("寻找冲锋衣（茄克衫款式）代工")
    assert {m.nodes[0]: m.weight for m in u.wanted}.get("茄克衫", 0.0) < 0.7
