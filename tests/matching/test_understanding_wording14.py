"""Self-descriptions from issue #10's fresh27 set (session of 2026-11-29, third), written the ways posters write
when they do not open with 我司为: by their peers, their work, their buyers, a form's fields, a greeting, English."""

from tests.matching.conftest import need_reader, own, wanted


def test_the_poster_named_by_its_peers_its_work_or_its_buyers():
    r = need_reader(("草甘膦", "黄磷", "爆破作业", "炸药", "中药饮片", "当归", "压力容器", "阀门"))
    # 草甘膦 was wanted beside the phosphorus and brought the poster's peers
    u = r.read("问下做草甘膦的同行，最近黄磷你们都从哪儿拿货？想再找一两家黄磷厂")
    assert wanted(u) == ["黄磷"] and "草甘膦" in own(u)
    u = r.read("项目业主委托我公司承担某露天铁矿爆破作业，现需采购炸药")
    assert wanted(u) == ["炸药"] and "爆破作业" in own(u)
    u = r.read("炮制车间扩了两条线，中药饮片主要供省内医院。现大量采购当归")
    assert wanted(u) == ["当归"] and "中药饮片" in own(u)
    u = r.read("询价：阀门。备注：压力容器由我方制造，阀门随设备出厂")
    assert "压力容器" in own(u) and "压力容器" not in wanted(u)


def test_greetings_forms_and_english_before_what_the_poster_makes():
    r = need_reader(("热像仪", "光电器件", "散货船", "船舶修理", "坯布", "平牵丝", "电容器", "钽粉"))
    u = r.read("你好 我们这边做手持热像仪跟安防用的摄像机 现在想找做光电器件的厂家")
    assert wanted(u) == ["光电器件"] and "热像仪" in own(u)
    u = r.read("船队情况：散货船6艘。需求：今年有4艘船到期，找船舶修理厂报价")
    assert wanted(u) == ["船舶修理"] and "散货船" in own(u)
    u = r.read("织造车间：喷水织机320台，产品线：化纤坯布。求购：平牵丝，月用量800吨")
    assert wanted(u) == ["平牵丝"] and "坯布" in own(u)
    u = r.read("RFQ: tantalum powder. Our 电容器 line makes chips for automotive customers; we need 钽粉.")
    assert wanted(u) == ["钽粉"] and "电容器" in own(u)


def test_what_the_poster_sells_its_own_brand_and_its_firms_note():
    r = need_reader(("空气炸锅", "咖啡机", "仓储物流", "城市客车", "散热器", "杏鲍菇", "LED补光灯", "LED灯具"))
    u = r.read("在亚马逊卖自家的空气炸锅、咖啡机，想找海外仓储物流服务商")
    assert wanted(u) == ["仓储物流"] and {"空气炸锅", "咖啡机"} <= set(own(u))
    u = r.read("我们的XL6129 12米城市客车（纯电版）明年改款，需要重新定点一家散热器供应商")
    assert wanted(u) == ["散热器"] and "城市客车" in own(u)
    # the output in brackets after the poster's firm word is its own; 请X厂家报价 invites X, it is no self-description
    u = r.read("漳州某食用菌企业（日产杏鲍菇60吨）新建出菇房，需要LED补光灯，请LED灯具厂家报价")
    assert "杏鲍菇" in own(u) and "杏鲍菇" not in wanted(u) and "LED灯具" not in own(u)


def test_a_tables_header_row_names_columns_and_its_rows_list_the_goods():
    r = need_reader(("标准", "盐酸二甲双胍", "阿莫西林", "口服固体制剂"))
    # 标准, a column's name, was the only product wanted; the drugs in the rows were context
    u = r.read("原料询价（口服固体制剂车间）\n品名｜标准｜年用量\n盐酸二甲双胍｜CP2020/EP｜25吨\n阿莫西林｜CP2020｜8吨")
    assert set(wanted(u)) == {"盐酸二甲双胍", "阿莫西林"}


def test_a_firm_asked_about_or_to_be_contacted_is_the_one_sought():
    r = need_reader(("环境咨询", "精细化学品", "输变电设备", "电解铝"))
    # the firm word after the trade made it the poster's own
    u = r.read("我们精细化学品项目要做环评，有没有靠谱的环境咨询公司推荐")
    assert wanted(u) == ["环境咨询"] and "环境咨询" not in own(u)
    u = r.read("领导让我对接一下输变电设备厂家：我们电解铝系列要扩容")
    assert wanted(u) == ["输变电设备"] and "电解铝" in own(u)


def test_what_the_poster_makes_itself_or_takes_orders_for():
    r = need_reader(("伺服电机", "减速机", "编码器", "印染", "面料", "污水处理工程"))
    # the servo motors and reducers the poster now makes itself were wanted beside the encoders
    u = r.read("伺服电机、减速机这两年都自己做了，但编码器这些还得外购。求国产编码器供应商")
    assert wanted(u) == ["编码器"] and {"伺服电机", "减速机"} <= set(own(u))
    u = r.read("厂里主要接面料的印染订单，日排水4000吨，寻污水处理工程公司")
    assert wanted(u) == ["污水处理工程"] and "面料" in own(u)


def test_a_forms_admission_and_background_fields_and_what_the_firm_must_have():
    r = need_reader(("模具", "冲压件", "检具", "主机厂"))
    u = r.read("供应商准入：模具\n背景：冲压件配套两家主机厂\n需求：检具共约40副，模具厂需有汽车冲压模经验。")
    # 模具厂需有…经验 made the mould makers the poster (its own product), and 模具 was dropped from the want
    assert "模具" in wanted(u) and "模具" not in own(u) and "冲压件" not in wanted(u)


def test_more_names_a_notice_gives_its_purchaser():
    r = need_reader(("图书馆", "报纸", "期刊", "配电网", "电力设计"))
    # 比选人 was no label: the library was wanted beside the newspapers
    u = r.read("比选人：XX市图书馆（公共文化服务单位）\n内容：\n一、中文报纸、期刊订阅，约1100种")
    assert set(wanted(u)) == {"报纸", "期刊"} and "图书馆" in own(u)
    u = r.read("询价单位：XX配电网运维公司\n项目：电力设计")
    assert wanted(u) == ["电力设计"]


def test_goods_bought_separately_are_not_sought():
    r = need_reader(("教辅资料", "教师用书", "课外读物"))
    # 另行采购 without 由… before it: the teachers' books were wanted beside the study aids
    u = r.read("采购内容：学生用书及配套教辅资料，约12.6万册\n备注：教师用书及课外读物另行采购。")
    assert wanted(u) == ["教辅资料"]


def test_a_registered_firm_names_tail_names_the_poster():
    r = need_reader(("小额贷款", "防火墙", "光电", "LED芯片"))
    # 股份有限公司 was no firm word: the lender's trade was wanted first
    u = r.read("XX市小额贷款股份有限公司\n安全防护服务采购询价\n采购内容：边界防火墙供货及部署")
    assert wanted(u) == ["防火墙"] and "小额贷款" in own(u)
    u = r.read("某光电科技有限公司采购LED芯片")
    assert wanted(u) == ["LED芯片"] and "光电" in own(u)


def test_more_self_descriptions_of_farms_stations_and_institutions():
    r = need_reader(("骨科用药", "心血管用药", "酸奶", "核桃乳", "电吹风", "洗地机", "铝型材", "数控加工", "供热",
                     "动力煤", "检测服务", "维保", "医疗服务", "药品配送"))
    # 本院拟新增骨科用药: what the hospital plans to add is wanted, not its own (拟 is no product)
    u = r.read("本院拟新增骨科用药（骨质疏松治疗药物）及心血管用药若干品种")
    assert set(wanted(u)) == {"骨科用药", "心血管用药"} and not own(u)
    u = r.read("奶牛存栏800头的牧场，自有酸奶品牌。想拓核桃乳，找代工厂")
    assert wanted(u) == ["核桃乳"] and "酸奶" in own(u)
    u = r.read("厂里自己的电吹风卖得还可以，今年想加一款洗地机，找ODM工厂")
    assert wanted(u) == ["洗地机"] and "电吹风" in own(u)
    u = r.read("铝型材挤压是我们的老本行，但我们机加能力不够，找周边数控加工厂")
    assert wanted(u) == ["数控加工"] and "铝型材" in own(u)
    u = r.read("公司负责城区集中供热，需采购动力煤约25万吨")
    assert wanted(u) == ["动力煤"] and "供热" in own(u)
    u = r.read("作为一家第三方检测服务机构，我们两部客梯需要年度维保")
    assert wanted(u) == ["维保"] and "检测服务" in own(u)
