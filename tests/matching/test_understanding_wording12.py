"""Rules of wording from issue #10's sets (session of 2026-11-29, second), each on a hand-checkable sentence: an
equipment or solution maker named before the want verb is the poster (基站设备商采购滤波器); 我司X产品配套Y names the
poster's X; an em dash hands the clause after it the role of a detail, as a colon does; and a wanted alias that
names the poster's own product as well as another does not seek the poster's (连衣裙 → 女装, 裙类 for a 女装 brand)."""

from graph import ChainGraph, NodeSpec
from matching import EnterpriseRecord, MatchIndex, MatchQuery, rank
from tests.matching.conftest import need_reader, own, purposes, wanted


def test_an_equipment_or_solution_maker_before_the_verb_is_the_poster():
    r = need_reader(("基站", "滤波器", "手机整机", "喇叭"))
    # 基站 was wanted at 0.85 beside the filters, and brought in the base-station makers, the poster's peers
    u = r.read("5G基站设备商采购腔体滤波器，3.5GHz频段")
    assert wanted(u) == ["滤波器"] and "基站" in own(u)
    u = r.read("手机整机方案商寻找喇叭供应商")
    assert wanted(u) == ["喇叭"] and "手机整机" in own(u)
    # after the verb the same words name who is sought
    assert "基站" in wanted(r.read("寻找基站设备商"))


def test_what_the_posters_products_are_matched_with_is_wanted_not_its_products():
    r = need_reader(("工业盐", "食用盐", "包材", "阀口袋"))
    u = r.read("我司工业盐、食用盐产品配套包材，年需300万条")
    assert {"工业盐", "食用盐"} <= set(own(u)) and wanted(u) == ["包材"]


def test_the_clause_after_an_em_dash_spells_out_the_one_before():
    r = need_reader(("饲料原料", "赖氨酸", "苏氨酸"))
    # the dash was no clause end: the items after it weighed as much as what they spell out
    u = r.read("求购饲料原料——赖氨酸、苏氨酸")
    weights = {m.nodes[0]: m.weight for m in u.wanted}
    assert set(weights) == {"饲料原料", "赖氨酸", "苏氨酸"}
    assert weights["饲料原料"] > 1.5 * max(weights["赖氨酸"], weights["苏氨酸"])


def _firm(i: int, *products: str) -> EnterpriseRecord:
    return EnterpriseRecord(i, str(i), f"企业{i}", "sme", "none", "", products=tuple((p, 0.6) for p in products))


def test_a_wanted_alias_does_not_seek_the_node_the_poster_makes():
    graph = ChainGraph.build([NodeSpec(n) for n in ("女装", "裙类", "面料")], [])
    firms = [_firm(1, "裙类"), _firm(2, "女装"), _firm(3, "女装"), _firm(4, "面料")]
    idx = MatchIndex().fit(graph, firms, aliases=[("连衣裙", "女装"), ("连衣裙", "裙类")], kinds=())
    ids = [r.enterprise_id for r in rank(idx, MatchQuery(text="我们是女装品牌，寻连衣裙ODM供应商", limit=10))]
    # 女装 is the poster's own product: its makers are the brand's peers, and 裙类 says the dresses
    assert ids[0] == 1 and not {2, 3} & set(ids[:2])
    # a buyer who makes no 女装 still gets both
    ids = [r.enterprise_id for r in rank(idx, MatchQuery(text="采购连衣裙", limit=10))]
    assert {1, 2, 3} <= set(ids)


def test_the_posters_own_product_named_again_among_the_goods_says_what_they_are_for():
    r = need_reader(("电动自行车", "电池", "控制器", "女装"))
    u = r.read("我公司是电动自行车生产企业，采购电动自行车电池和电动自行车控制器")
    # 电动自行车 was wanted at full weight and brought the poster's peers
    assert set(wanted(u)) == {"电池", "控制器"} and "电动自行车" in own(u)
    # named alone it is what the poster has made (a brand and its contract makers)
    assert wanted(r.read("我司为女装品牌，寻找女装代工厂")) == ["女装"]


def test_a_synonym_of_the_wanted_product_that_the_poster_makes_is_not_sought():
    graph = ChainGraph.build([NodeSpec(n) for n in ("洗衣液", "日用品", "面料")], [])
    firms = [_firm(1, "洗衣液"), _firm(2, "日用品"), _firm(3, "日用品"), _firm(4, "面料")]
    idx = MatchIndex().fit(graph, firms, aliases=[("洗衣液", "日用品")], kinds=())
    assert {1, 2, 3} <= {r.enterprise_id for r in rank(idx, MatchQuery(text="采购洗衣液", limit=10))}
    ids = [r.enterprise_id for r in rank(idx, MatchQuery(text="我司为日用品生产企业，采购洗衣液", limit=10))]
    assert ids[0] == 1 and not {2, 3} & set(ids[:2])


def test_a_process_line_before_the_want_verb_is_where_the_goods_go():
    r = need_reader(("喷涂线", "聚酯粉末", "数据线"))
    # 喷涂线 was wanted at full weight before the powder coating the line needs
    u = r.read("铝型材静电喷涂线需户外耐候聚酯粉末")
    assert wanted(u) == ["聚酯粉末"] and "喷涂线" in purposes(u)
    # a line that is a product stays what is asked for
    assert wanted(r.read("数据线采购，USB-C接口")) == ["数据线"]


def test_a_home_or_foreign_market_is_no_product():
    r = need_reader(("国内", "外销", "环氧塑封料", "国内贸易"))
    # 国内 (a segment two firms list) was wanted at 0.71 in 国内厂家
    assert wanted(r.read("寻求可替代进口环氧塑封料的国内厂家")) == ["环氧塑封料"]
    assert "外销" not in wanted(r.read("采购环氧塑封料，外销订单用"))
    assert wanted(r.read("寻找国内贸易合作伙伴")) == ["国内贸易"]


def test_more_ways_a_poster_says_what_it_makes_in_chinese():
    r = need_reader(("铸件", "生铁", "制动盘", "灰铸铁", "光伏组件", "EVA胶膜", "医疗器械", "PP料", "汽车座椅", "海绵"))
    assert (wanted(u := r.read("咱们厂是生产铸件的，缺生铁")), own(u)) == (["生铁"], ["铸件"])
    assert "制动盘" in own(r.read("我们是一级供应商，主要供应制动盘，现在采购灰铸铁"))
    assert (wanted(u := r.read("我们做的是光伏组件，找EVA胶膜供应商")), own(u)) == (["EVA胶膜"], ["光伏组件"])
    assert (wanted(u := r.read("公司从事医疗器械生产，采购PP料")), own(u)) == (["PP料"], ["医疗器械"])
    assert (wanted(u := r.read("公司主导产品：汽车座椅。现寻找海绵供应商")), own(u)) == (["海绵"], ["汽车座椅"])
    # the poster's products listed after 产品为 or a 产品 label, a year's output, every trade before 生产商 after 作为
    assert set(own(r.read("本企业产品为汽车座椅和海绵，现需采购生铁"))) >= {"汽车座椅", "海绵"}
    assert wanted(r.read("我司产品：汽车座椅、海绵。需采购生铁")) == ["生铁"]
    assert wanted(r.read("咱们厂年产铸件5000吨、灰铸铁件2000吨，需采购生铁")) == ["生铁"]
    assert (wanted(u := r.read("作为铸件和制动盘生产商，我们采购生铁")), set(own(u))) == (["生铁"], {"铸件", "制动盘"})
    assert (wanted(u := r.read("我司产能：灰铸铁2000吨，需采购生铁")), own(u)) == (["生铁"], ["灰铸铁"])
    assert own(r.read("公司年产铸件3万吨，需要生铁")) == ["铸件"]
    assert (wanted(u := r.read("公司经营光伏组件业务，采购EVA胶膜")), own(u)) == (["EVA胶膜"], ["光伏组件"])
    assert (wanted(u := r.read("公司运营铸件产线，需要生铁")), own(u)) == (["生铁"], ["铸件"])
    # after the want verb a product list is what is sought
    assert set(wanted(r.read("采购产品为铸件和制动盘"))) == {"铸件", "制动盘"}


def test_what_is_made_with_the_goods_and_their_stated_use_are_purposes():
    r = need_reader(("纯碱", "玻璃", "环氧树脂", "风电叶片", "隔膜", "锂电池"))
    # 玻璃 was wanted at 0.83 beside the soda ash it is made with
    assert (wanted(u := r.read("玻璃生产需要纯碱")), purposes(u)) == (["纯碱"], ["玻璃"])
    assert (wanted(u := r.read("需要纯碱，玻璃生产需要")), purposes(u)) == (["纯碱"], ["玻璃"])
    assert (wanted(u := r.read("锂电池生产急需隔膜")), purposes(u)) == (["隔膜"], ["锂电池"])
    assert (wanted(u := r.read("采购环氧树脂，主要用途为风电叶片灌注")), purposes(u)) == (["环氧树脂"], ["风电叶片"])
    # a product before a verb with nothing after it is still what is asked for
    assert wanted(r.read("纯碱需要，长期")) == ["纯碱"]
