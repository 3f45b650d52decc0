"""Rules of wording from issue #10's sets (session of 2026-11-29, third), each on a hand-checkable sentence."""

from tests.matching.conftest import need_reader, own, purposes, wanted


def test_a_delivery_term_asked_for_after_the_goods_is_a_term_not_a_want():
    r = need_reader(("疫苗", "冷链配送", "冷链运输"))
    # 需冷链配送 was read as a second want at full weight and brought logistics firms to the top of a vaccine need
    u = r.read("疾控中心采购流感疫苗，需冷链配送。")
    assert wanted(u) == ["疫苗"] and "冷链配送" in u.ignored
    # the carrier itself is still what a need can ask for
    assert wanted(r.read("需冷链运输公司，运送疫苗至济南。")) == ["冷链运输"]


def test_a_trade_said_to_be_the_posters_main_line_is_its_own():
    r = need_reader(("摩托车", "齿轮", "门窗", "铝门窗", "铝型材", "生猪养殖", "预混料"))
    # the poster's flagship product was wanted beside the gears and brought in the other motorcycle makers
    u = r.read("摩托车是我们的拳头产品，现寻找齿轮配套厂")
    assert wanted(u) == ["齿轮"] and "摩托车" in own(u)
    u = r.read("门窗是我们的主业（铝门窗），现采购铝型材")
    assert wanted(u) == ["铝型材"] and {"门窗", "铝门窗"} <= set(own(u))
    u = r.read("生猪养殖是主业，采购预混料")
    assert wanted(u) == ["预混料"] and "生猪养殖" in own(u)
    # the same words after the want verb name what is sought
    u = r.read("采购摩托车，齿轮是我们的主业")
    assert wanted(u) == ["摩托车"] and "齿轮" in own(u)


def test_notes_in_brackets_that_say_who_the_poster_is():
    r = need_reader(("糕点", "白砂糖", "房地产开发", "桩基施工", "物业管理服务", "绿化养护"))
    u = r.read("做糕点的老字号（我方），需要白砂糖300吨")
    assert wanted(u) == ["白砂糖"] and "糕点" in own(u)
    u = r.read("滨湖住宅项目（我司为房地产开发商）招桩基施工单位")
    assert wanted(u) == ["桩基施工"] and "房地产开发" in own(u)
    # the note after the poster's firm word describes the poster, also when an adverb stands before the verb
    u = r.read("物业公司（物业管理服务，在管面积1200万㎡）公开招标绿化养护")
    assert wanted(u) == ["绿化养护"] and "物业管理服务" in own(u)


def test_what_the_poster_says_it_makes_or_produces():
    r = need_reader(("电影", "院线发行", "三元前驱体", "氯化钴", "农药制剂", "颗粒剂", "硫双威", "浓硝酸", "稀硝酸",
                     "原料药", "中间体"))
    u = r.read("我们出品的电影已拿到龙标，寻找院线发行合作")
    assert wanted(u) == ["院线发行"] and "电影" in own(u)
    u = r.read("公司核心产品为三元前驱体，年产能5万吨。寻求氯化钴长期供应商")
    assert wanted(u) == ["氯化钴"] and "三元前驱体" in own(u)
    # the kinds listed in brackets after the poster's product are its own too
    u = r.read("本公司农药制剂（颗粒剂）登记证齐全，需采购硫双威原药")
    assert wanted(u) == ["硫双威"] and {"农药制剂", "颗粒剂"} <= set(own(u))
    u = r.read("我厂浓硝酸装置原料需外购稀硝酸，槽车运输")
    assert wanted(u) == ["稀硝酸"] and "浓硝酸" in own(u)
    u = r.read("API manufacturer（原料药）寻关键中间体供应商")
    assert wanted(u) == ["中间体"] and "原料药" in own(u)


def test_who_supplies_the_goods_and_how_is_a_delivery_term():
    r = need_reader(("氯气", "管道", "环氧丙烷", "氯碱"))
    # the pipeline the chlorine would come through was wanted, the chlorine a modifier of it
    u = r.read("本司年产10万吨环氧丙烷，装置所需氯气拟由周边氯碱企业管道供应，日需约200吨。")
    assert wanted(u) == ["氯气"] and "环氧丙烷" in own(u)


def test_the_product_before_a_run_of_class_words_is_the_one_meant():
    r = need_reader(("车载音响", "系统", "总成", "功放"))
    # 系统 was taken for the product (the mention before the last class word) and 车载音响 set aside as its modifier
    u = r.read("主机厂采购公告：车载音响系统总成，含功放")
    assert wanted(u) == ["车载音响"]


def test_a_trade_that_starts_with_a_want_verb_names_the_poster_before_its_own_verb():
    r = need_reader(("定制家具", "衣柜", "五金", "铰链"))
    # 定制 was read as the want verb, so the poster's wardrobes and cabinets were wanted beside the hardware
    u = r.read("定制家具工厂（全屋定制，衣柜）找五金：铰链")
    assert set(wanted(u)) == {"五金", "铰链"} and {"定制家具", "衣柜"} <= set(own(u))


def test_what_the_want_is_for_and_where_it_goes():
    r = need_reader(("公交车", "座椅", "LED灯珠", "LCM", "饲料", "板块", "畜禽饲料", "粉碎机"))
    u = r.read("我们正为新能源公交车型招募座椅配套商")
    assert wanted(u) == ["座椅"] and "公交车" in purposes(u)
    u = r.read("我们做LCM，背光要外采：LED灯珠3014")
    assert wanted(u) == ["LED灯珠"]
    # the group's division is the poster; the line being built is what the machines are for
    u = r.read("集团旗下饲料板块计划新建一条畜禽饲料生产线，现面向社会征集粉碎机供应商")
    assert wanted(u) == ["粉碎机"] and "畜禽饲料" in purposes(u) and "板块" not in wanted(u)


def test_a_generic_word_for_the_goods_after_the_posters_name():
    r = need_reader(("中餐", "餐饮服务", "冷鲜猪肉", "牛肉"))
    # the restaurant chain's own trade was wanted first, ahead of the meat
    u = r.read("连锁中餐（餐饮服务，门店60家）中央厨房食材集采：冷鲜猪肉、牛肉")
    assert set(wanted(u)) == {"冷鲜猪肉", "牛肉"} and {"中餐", "餐饮服务"} <= set(own(u))


def test_goods_the_text_says_are_not_sought():
    r = need_reader(("齿轮箱", "风电设备", "渗碳钢", "光伏组件", "逆变器", "支架", "安装"))
    # the gearboxes the poster makes and says it does not buy were wanted at full weight
    u = r.read("齿轮箱厂家采购渗碳钢，年用量约6000吨。齿轮箱成品及风电设备整机不需要报价，只买原材料。")
    assert wanted(u) == ["渗碳钢"]
    u = r.read("采购光伏支架，光伏组件、逆变器由业主另行采购")
    assert wanted(u) == ["支架"]
    assert wanted(r.read("渗碳钢采购。齿轮箱成品及风电设备整机不需要报价")) == ["渗碳钢"]


def test_more_ways_the_poster_names_its_products():
    r = need_reader(("螺纹钢", "线材", "气体", "动力电池包", "主机厂", "汽车结构件", "装载机", "挖掘机", "散热器",
                     "生猪养殖", "种猪", "钢结构"))
    u = r.read("我们是长流程钢企，产品螺纹钢、线材，想找气体公司合作")
    assert wanted(u) == ["气体"] and {"螺纹钢", "线材"} <= set(own(u))
    u = r.read("我司给某新势力主机厂供动力电池包，需采购汽车结构件")
    assert wanted(u) == ["汽车结构件"] and {"动力电池包", "主机厂"} <= set(own(u))
    u = r.read("装载机、挖掘机整机年产约1.5万台，为装载机配套的散热器寻找二供")
    assert wanted(u) == ["散热器"] and {"装载机", "挖掘机"} <= set(own(u))
    u = r.read("集团养殖板块（生猪养殖、种猪）新建育肥场，寻求钢结构厂家")
    assert wanted(u) == ["钢结构"] and {"生猪养殖", "种猪"} <= set(own(u))


def test_where_and_in_what_the_goods_are_used():
    r = need_reader(("电容器", "钽粉", "锂电池", "消防工程", "设计", "制作", "安装", "钢结构"))
    # the capacitors the powder goes into were wanted beside it
    u = r.read("钽电解电容器生产中使用的高比容钽粉，寻找国内厂家长期合作")
    assert wanted(u) == ["钽粉"] and "电容器" in purposes(u)
    u = r.read("锂电池成品仓库（约1.2万㎡）需要做消防工程")
    assert wanted(u) == ["消防工程"] and "锂电池" in purposes(u)
    # a single dash linking short works is no clause end: the three are asked for together
    u = r.read("猪舍拟采用钢结构，寻求设计—制作—安装一体化厂家")
    assert {"设计", "制作", "安装"} <= set(wanted(u))


def test_a_need_that_opens_with_the_use_then_names_the_product():
    r = need_reader(("激光雷达", "光电子器件", "储能电站", "集成变电站", "储能电池", "分析仪", "原煤"))
    # the clause was a purpose from end to end, the product at its end set aside with the rest
    u = r.read("应用在车载激光雷达接收端的光电子器件：905nm APD阵列，需满足车规AEC-Q102")
    assert wanted(u) == ["光电子器件"] and "激光雷达" in purposes(u)
    u = r.read("为100MW储能电站配套一座110kV集成变电站，储能电池舱已单独定标，EPC方采购")
    assert wanted(u) == ["集成变电站"] and "储能电站" in purposes(u)
    # after the want, 用于…的 still says what the goods are for
    assert wanted(r.read("采购分析仪2台，用于原煤的煤质化验")) == ["分析仪"]


def test_the_trade_alone_the_inquiry_and_the_firm_sought():
    r = need_reader(("定制家具", "净化器", "高碳铬铁", "铬矿石", "块矿", "冰箱配件", "冰箱", "压缩机", "铰链"))
    # 定制 read as the want verb made 品牌 (and the furniture) the want
    u = r.read("定制家具品牌，橱柜下要放一台净化器，年约5万台")
    assert "定制家具" in own(u) and "定制家具" not in wanted(u)
    # 询盘 asks: the chrome ore was read as a heading, the lump ore of the detail wanted instead
    u = r.read("铬矿石询盘：南非块矿，CIF天津港")
    assert wanted(u)[0] == "铬矿石"
    u = r.read("我司年产冰箱约60万台，现征集冰箱配件二供——铰链等，压缩机不在本次征集范围")
    assert "冰箱配件" in wanted(u) and "压缩机" not in wanted(u)
