"""Formal notices (issue #10, session of 2026-11-29, fourth): a title that names the goods before 采购公告, a label
that speaks for its whole line, the buyer's department named with a verb, a numbered list under an RFQ title and
goods the notice leaves to another tender."""

from tests.matching.conftest import need_reader, own, wanted


def test_a_notice_title_names_what_it_asks_for():
    r = need_reader(("财产保险", "烧碱", "机器"))
    # the title was skipped as a header (and 2025—2026 split it at the dash): 机器 of 机器损坏险 was all that was wanted
    for year in ("2025—2026", "2025"):
        u = r.read(
            f"某化工有限公司{year}年度财产保险采购招标公告\n招标人简介：公司主要生产烧碱。\n采购内容：财产一切险、机器损坏险"
        )
        assert wanted(u) == ["财产保险"] and own(u) == ["烧碱"]


def test_a_notice_named_by_its_verb_alone_asks_for_what_its_lines_say():
    r = need_reader(("施工图设计", "景观设计", "学院"))
    u = r.read("比选公告\n项目：新校区施工图设计\n比选人：某学院\n备注：景观设计另行比选。")
    assert wanted(u) == ["施工图设计"]


def test_a_label_speaks_for_its_line_while_it_goes_on_as_a_list():
    r = need_reader(("财产保险", "公众责任险", "财产一切险", "营业"))
    # 公众责任险 after the semicolon was context
    u = r.read("采购内容：财产一切险、营业中断险，保险金额约42亿元；公众责任险、雇主责任险")
    assert "公众责任险" in wanted(u)
    # a specification after the item (丝印 + 包边) is no second item
    r = need_reader(("钢化玻璃", "丝印", "冰箱"))
    assert wanted(r.read("需求部门：采购二科\n物料1：冰箱搁架钢化玻璃，丝印 + 包边\n付款：月结")) == ["钢化玻璃"]


def test_the_buyer_named_with_a_verb_asks_for_nothing():
    r = need_reader(("话剧", "儿童剧", "演出", "票务系统"))
    # 采购 in 采购人 was read as a verb, and the ticketing the buyer supplies itself as the only thing wanted
    u = r.read("询价人：某市文化馆\n内容：公益演出30场，其中话剧、儿童剧不少于20场\n备注：票务系统由采购人提供。")
    assert {"话剧", "儿童剧"} <= set(wanted(u)) and "票务系统" not in wanted(u)


def test_a_numbered_list_under_an_rfq_title_lists_its_goods():
    r = need_reader(("饲料添加剂", "苏氨酸", "植酸酶", "原料"))
    u = r.read("RFQ—饲料添加剂\n使用单位：原料采购部\n1. L-苏氨酸 98.5%，月用 40 吨\n2. 植酸酶 10000U/g，月用 6 吨")
    assert {"饲料添加剂", "苏氨酸", "植酸酶"} <= set(wanted(u))


def test_goods_left_to_another_tender_are_not_sought():
    r = need_reader(("工程材料", "钢芯铝绞线", "OPGW"))
    # only what the brackets hold is left out, not the goods before them
    u = r.read("某线路工程材料采购公告\n采购内容：钢芯铝绞线约180吨（OPGW另行招标）\n交货地点：宜昌")
    assert "钢芯铝绞线" in wanted(u) and "OPGW" not in wanted(u)


def test_a_dealer_or_agent_is_who_is_sought_not_what():
    r = need_reader(("水溶肥", "肥料", "农药", "经销", "代理", "化学发光"))
    # 经销 was the head of 肥料、农药经销商, wanted in place of the goods the dealer sells
    u = r.read("需要水溶肥约20吨，找有许可证的肥料、农药经销商长期供货")
    assert {"水溶肥", "肥料", "农药"} <= set(wanted(u)) and "经销" not in wanted(u)
    assert wanted(r.read("有没有做化学发光仪器代理的")) == ["化学发光"]


def test_a_stop_valve_is_no_deadline_and_a_plants_count_describes_the_poster():
    r = need_reader(("闸阀", "截止阀", "安全阀"))
    # 截止 (deadline) set the row of 截止阀 among the delivery terms, and the rows after it with it
    u = r.read("询价单\n物料名称｜规格｜数量\n闸阀 Z41H｜DN50｜86台\n截止阀 J41H｜DN25｜140台\n安全阀 A42Y｜DN50｜24台")
    assert set(wanted(u)) == {"闸阀", "截止阀", "安全阀"}
    r = need_reader(("商砼", "信息化系统"))
    u = r.read("商砼站3条HZS180生产线，罐车70多台，调度还在用电话。想上一套信息化系统")
    assert wanted(u) == ["信息化系统"] and own(u) == ["商砼"]


def test_the_party_sought_then_what_it_supplies():
    r = need_reader(("摩配", "抛光轮", "电器开关", "综艺节目制作", "电视剧"))
    # after 供应商：, 一是…，二是… lists the goods; 摩配 of the fair's name was all that was wanted
    u = r.read("下周摩配展我们会去，想提前约几家供应商：一是铝合金抛光轮，二是电器开关件。")
    assert {"抛光轮", "电器开关"} <= set(wanted(u))
    # the experience of the team a verb seeks is what it seeks, no condition set aside
    u = r.read("本公司主营电视剧，现寻找有综艺节目制作经验的团队")
    assert wanted(u) == ["综艺节目制作"]


def test_the_posters_brand_names_its_own_products():
    r = need_reader(("轮胎", "自卸车", "洒水车"))
    u = r.read("轮胎长期供应商招募：全钢子午线轮胎，需3C证书。我司“路驰”牌自卸车、洒水车均在公告目录内。")
    assert wanted(u) == ["轮胎"] and set(own(u)) == {"自卸车", "洒水车"}


def test_a_service_of_a_named_product_keeps_the_product_wanted():
    r = need_reader(("商业印刷", "印刷服务", "海报"))
    # 商业印刷|印刷服务 overlap: 商业印刷 was set aside as a modifier of the printing service
    u = r.read("关于征集2025年度商业印刷服务供应商的公告：承印宣传折页、海报。")
    assert {"商业印刷", "印刷服务"} <= set(wanted(u))


def test_words_of_measure_that_the_data_holds_as_names_are_never_wanted():
    r = need_reader(("以下", "均质机", "发酵罐"))
    # 以下 is a node name in the data (a listed product's truncated name)
    u = r.read("以下设备：均质机、发酵罐6台")
    assert "以下" not in wanted(u) and {"均质机", "发酵罐"} <= set(wanted(u))


def test_the_firm_a_verb_seeks_and_the_verbs_of_selecting():
    r = need_reader(("污水处理工程", "印染", "外协加工", "发动机", "骨科用药", "药品", "广告代理", "广告投放"))
    # a firm word before the works (…公司做提标改造) named the poster, also after 找
    u = r.read("厂里主要做印染。想找有印染废水案例的污水处理工程公司做提标改造EPC。")
    assert "污水处理工程" in wanted(u) and "污水处理工程" not in own(u)
    u = r.read("本所承担发动机零件的研制，拟择优选取若干家外协加工单位。")
    assert wanted(u) == ["外协加工"]
    u = r.read("市医院2024年度药品遴选公告\n本院拟新增骨科用药若干品种。")
    assert "骨科用药" in wanted(u)
    # a lot's label may describe the lot before its colon
    u = r.read("采购内容：\n包1 新媒体：信息流广告投放\n包2 户外及传统媒体：高铁站灯箱广告代理发布")
    assert {"广告投放", "广告代理"} <= set(wanted(u))


def test_a_material_in_the_form_of_bars_is_the_material():
    r = need_reader(("特钢", "渗碳钢", "齿轮箱"))
    # 棒料, no product in the data, made 特钢 a modifier of an unknown head
    u = r.read("风电齿轮箱厂家采购特钢棒料：渗碳钢，年用量约6000吨。")
    assert "特钢" in wanted(u)


def test_the_firm_of_a_named_product_keeps_the_product_wanted():
    r = need_reader(("智能制造系统集成", "系统集成商", "矿产", "贸易", "铁粉"))
    u = r.read("想做数字化车间改造，找有纺织行业案例的智能制造系统集成商。")
    assert "智能制造系统集成" in wanted(u)
    u = r.read("需要长期采购铁粉，求周边矿山或矿产贸易商。")
    assert "矿产" in wanted(u) and "贸易" not in wanted(u)


def test_what_the_poster_wants_to_do_and_an_own_brand():
    r = need_reader(("变压器", "保理", "电站", "自有品牌", "固体饮料", "连锁药店"))
    # 想做 names what the poster wants done (on the full data 保理 was only context, and 电站 wanted)
    u = r.read("我司生产变压器，客户主要是新能源电站，回款周期长。想做应收账款保理，请保理公司联系。")
    assert wanted(u) == ["保理"] and own(u) == ["变压器"]
    # an own brand is no product: the goods to be made under it are
    u = r.read("寻OEM工厂：益生菌固体饮料。\nPS：我们是连锁药店，门店300多家，想做自有品牌。")
    assert wanted(u) == ["固体饮料"]


def test_what_the_poster_plans_to_build_with_is_asked_for():
    r = need_reader(("轻钢结构", "生猪养殖", "安装"))
    u = r.read("集团生猪养殖板块新建育肥场，猪舍拟采用轻钢结构，寻求设计—制作—安装一体化厂家。")
    assert "轻钢结构" in wanted(u)
