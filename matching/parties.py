"""The firms a need names besides its products: the poster (某氯碱化工集团…采购) or the partner it seeks
(与光伏组件企业开展合作). A product mention followed by a firm word says which trade that firm is in."""

from __future__ import annotations

import re

from matching.english import OWN_LINE_EN, OWN_START_EN

__all__ = ["FIRM_AFTER", "MAKING", "OWN_LABEL", "OWN_MID", "OWN_PLACE", "OWN_START", "OWN_THING", "PARTY_END",
           "PARTY_SOUGHT", "PLANTS", "SELF", "SOUGHT_END", "own_spans", "names_partner", "names_poster",
           "names_welcomed", "subject_names_poster", "subject_names_sought"]

# a firm word right after a mention before the want verb (某氯碱化工集团…采购): the mention names the poster
FIRM_AFTER = re.compile(
    # a registered name's tail counts (XX小额贷款股份有限公司, XX光电科技有限公司)
    r"(?:生产|制造|加工|经营|代工|代加工|外协)?(?:(?:科技|实业|技术|发展|工业|控股)?(?:股份)?有限(?:责任)?公司|"
    r"企业|厂家|厂商|制造商|生产商|集成商|运营商|(?:设备|方案|品牌|整机)商|公司|集团|工厂|厂|单位|合作社|局|医院|"
    r"研究院|设计院|园区)")
# how a poster names itself, and the markers of what it makes, owns or supplies
SELF = (r"(?:我司|本司|我公司|本公司|我们|咱们|咱|我单位|我方|我厂|本厂|本单位|我集团|本集团|我院|我行|本企业|我企业"
        r"|本所|我所|自家|俺们|我家|本机构|我机构|本场|我场|本院|厂里)")
# 我们厂是做电动自行车的, 我们做的是光伏组件, 本企业以生产压缩机为主, 公司从事…生产, 本企业产品为…, 我们厂年产…:
# how a poster says what it makes
OWN_START = re.compile(
    r"^(?:(?:那个|就是说?|嗯|然后|你好|您好|大家好|各位好|喂|hello|hi|请教一下)[ ,]*)*"
    r"(?:" + SELF + r"(?:自己)?(?:工厂|厂|公司|企业|这边|场|店|品牌|这家店)?"
    r"|公司(?=做|从事|主营|经营|运营|专业|年产|(?:主要|主导|核心|主打)?产品))"
    r"(?:是|为|系|属于|作为|主营|主要|专业|专注|生产|年产|运营|经营|从事|在|拥有|现有|一家|有|目前|存栏|年出栏"
    r"|做|以|的?(?:主要|主导|核心|主打|拳头)?产品线?(?:为|是|有|包括|涵盖)"
    # 我司“路驰”牌自卸车: the poster's brand, then its products
    r"|[\"“「『]?[\u4e00-\u9fffa-z0-9]{1,8}[\"”」』]?牌(?!照|价|子))(?:一家)?"
    # 作为饲料和兽药生产商，我们采购玉米: the firm words after 作为 name the poster's trades, every one listed
    r"|^作为(?:一家|国内)?(?=[^,]{1,20}?(?:企业|公司|厂家|工厂|集团|厂|商|品牌|机构|单位|平台)(?:$|[,，]))"
    # 做智能电表的 找…, 搞活动策划的 下个月…: a poster opening with its trade
    r"|^(?:做|搞|干)(?=[^,;。 的]{1,20}的(?:[^,;。 ]{0,4}(?:供应商|厂家|工厂|企业|公司|厂|品牌|商家|配套商))?"
    r"(?:$|[ ,;。]))"
    r"|" + OWN_START_EN
)
# 连锁药房采购部：…: the department that writes, named before a colon
PARTY_END = re.compile(r"(?:采购|招标|招采|物资|供应链)(?:部门?|中心|处|科|办)$")
# 商砼站3条HZS180生产线: the plants the poster runs, counted
PLANTS = re.compile(r"\d+\s*[多余]?\s*[条座台个家]\S{0,10}?"
                    r"(?:生产线|产线|装置|车间|门店|高炉|转炉|电炉|回转窑|锅炉)")
# the words for a supplier that every list of the party sought holds
_SUPPLIERS = "供应商|服务商|合作伙伴|合作方"
# the party a verb seeks (找有X经验的团队), and a clause ending in it (想约几家供应商：…)
PARTY_SOUGHT = re.compile(r"(?:专业|优质|靠谱)?(?:团队|厂家|厂商|企业|公司|单位|合作伙伴|伙伴|供应商|合作方"
                          r"|服务商|车队|机构|工厂)")
SOUGHT_END = re.compile(r"(?:" + _SUPPLIERS + r"|供货商|厂家|厂商|伙伴)$")
OWN_LABEL = re.compile(
    r"^(?:需求单位|需求方|采购单位|采购人|采购方|发榜单位|发榜方|招标人|招标单位|发布单位|建设单位|业主单位|比选人|比选单位"
    r"|询价单位|询价人|询价方|采购主体|项目单位|项目业主|征集单位|征集人|招募单位|采购企业名称"
    # 采购企业级硬盘 is no label: these name the poster only as a label or before 为/是
    r"|(?:需求|采购|发榜|发布)(?:企业|主体)(?=$|[:为是])"
    # a form's fields about the firm filling it in (企业类型：轮胎制造, 主营产品：制动盘)
    r"|企业(?:类型|名称|性质|简介|概况)|(?:公司|单位)(?:名称|简介|概况)|所属行业|产品线"
    r"|(?:企业|公司|工厂|船队|车队|我方|本厂)(?:情况|概况|介绍)"
    r"|(?:公司|企业|本公司|我司)?(?:主营(?:产品|业务)?|主要产品|主导产品|核心产品|主打产品)|(?:公司|企业|本公司|我司|本企业)(?:产品|产能))"
)
OWN_MID = re.compile(
    r"主营(?:业务)?(?:为|是|有|包括)?|(?:主要|核心|主打)产品(?:为|是|有|包括)?|主产|主要出(?![口现于])|主要生产|专业生产|主要从事|专业从事|主要做|主做|专做|主要供应|主供")
OWN_PLACE = re.compile(SELF + r"(.{1,12}?)(?:工厂|基地|车间|产线|生产线|厂区|装置)")
# 摩托车是我们的拳头产品, 生猪养殖是主业, 系统门窗是我们的主业（断桥铝门窗、阳光房）: the subject is the poster's trade
_OWN_IS = re.compile(
    r"([^,;:。]{1,24}?)是(?:" + SELF + r"|公司|企业)?的?(?:主业|主营业务|主营产品|主营|拳头产品|主打产品|主打|核心产品|"
    r"主要产品|主力产品|看家产品|当家产品|强项|老本行)(\([^()]*\))?")
_HERE = re.compile(r"([^,;。 ]{2,8})这边")  # 酒店这边客房220间: where the poster speaks from
# 做中式糕点的老字号（我方）, 地产项目（我司为开发商）: a note in brackets saying who the poster is
_SELF_TAG = re.compile(r"\(" + SELF + r"\)")
_SELF_NOTE = re.compile(r"\(" + SELF + r"(?:为|是|系|属于)(?:一家)?([^()]{1,24})\)")
# 集团旗下饲料板块: the group's division in that trade is the poster
_DIVISION = re.compile(r"(?:旗下|集团|公司)的?([^,;:。()]{1,12}?(?:板块|事业部|事业群|子公司)(?:\([^()]*\))?)")
# 我司给某主机厂供动力电池包: what the poster supplies its customers
_OWN_SUPPLIED = re.compile(SELF + r"(?:给|为|向)([^,;:。]{1,16}?)(?:供应|供货|提供|配套|供)(?:应)?([^,;:。]{1,16})")
_AFTER_BREAK = r"(?:(?<=[,;:。\n ])|^)"  # at a clause's start, or after a comma or a chat line's space
# Phrases in which the poster names its trade; the one group of each is the poster's product or work.
_OWN_PHRASES = tuple(re.compile(p) for p in (
    r"做([^,;:。的]{2,12})的同行",  # 问下做草甘膦的同行: the poster's peers make what it makes
    OWN_LINE_EN,  # our capacitor line makes …
    # 我公司承担爆破作业
    SELF + r"(?:承担|承接|负责)(?:了)?(?:某)?([^,;:。]{2,20}?)(?=$|[,;。(]|的研制|的生产|工作|任务)",
    _AFTER_BREAK + r"([^,;:。]{2,10}?)(?:主要|大部分|大多|多)(?:供|卖给|卖到|销往|销售给|出口到?)",  # 饮片主要供医院
    # 伺服、减速机这两年都自己做了, 铝棒都是自己熔铸, 屠宰我们自己做
    _AFTER_BREAK + r"([^,;:。]{2,16}?)(?:这两年|现在|目前|已经|一直)?(?:都|也)?(?:是)?(?:" + SELF + r")?自己"
    r"(?:做|生产|制造|造|加工|熔铸|发泡|配套)",
    r"主要接([^,;:。]{2,16}?)(?:的)?(?:订单|业务|活)",  # 主要接印染订单
    # 漆包线产能扩了, 电解铜产能十万吨
    _AFTER_BREAK + r"([^,;:。 ]{2,10}?)(?:产能|产量)"
    r"(?:扩了|不够|上来|提升|翻倍|饱和|[约近超达]?[\d一二三四五六七八九十两几])",
    _AFTER_BREAK + r"([^,;:。 ]{2,10}?)(?:" + SELF + r")?自己(?:有|产)",  # 氯化钙我们自己有
    # 肉制品做了十几年
    _AFTER_BREAK + r"([^,;:。]{2,16}?)(?:做了|干了|生产了)(?:十几|几十|二十多|\d+|[一二三四五六七八九十两几]+)年",
    # 现有两条聚酯切片线
    r"(?:现有|拥有)(?:[一二两三四五六七八九十\d]+(?:条|套|台|座))?([^,;:。 ]{2,12}?)(?:生产线|产线|线|装置)",
    r"种了(?:[^,;:。 ]{0,6}?亩)?([^,;:。]{2,12})",  # 合作社种了两千亩黄芪
    r"(?:顾客|客户)[^,;。]{0,12}(?:买|订|要)[^,;。]{0,6}的是([^,;:。]{2,20})",  # 顾客在我们店里买得最多的是…饰品
    r"自有(?:的)?([^,;:。]{2,16}?)品牌",  # 自有巴氏奶和酸奶品牌
    r"(?:自己|自家)的([^,;:。]{2,16}?)(?:卖|销量|出货)",  # 厂里自己的电吹风、电热水壶卖得还可以
    r"^公司(?:负责|承担|承接)([^,;:。]{2,20}?)(?=$|[,;。(])",  # 公司负责城区集中供热
    # 容器本体由我方制造
    r"(?:(?<=[,;:。\n])|^)([^,;:。]{2,10}?)由" + SELF + r"(?:自行|自己)?(?:制造|生产|自制|加工|自供|提供)",
))
# 装载机、挖掘机整机年产约1.5万台 at the start of a clause: the poster's output
_OWN_OUTPUT = re.compile(r"([^,;:。]{2,16}?)(?:年产|年产量|年产能|年出货量?|年销量?|年出栏|存栏|日产|月产)"
                         r"(?:约|超|近|达|逾)?\d")
# 某食用菌企业（日产杏鲍菇60吨）: a note in brackets after the poster's firm word, before any want verb
_FIRM_NOTE = re.compile(r"(?:企业|公司|集团|工厂|厂家)(\([^()]*\))")
# 我们出品的两部电影已…, 我司生产的电池需要…: what the poster makes, named as its work
_OWN_MADE = re.compile(
    SELF + r"(?:自己|自主)?(?:生产|制造|出品|研发|推出|自产|加工)的((?!是)[^,;:。]{1,12}?)"
    r"(?=已|需|要|在|是|的|用|将|$|[,;:。(])")
# 按我方模具定制, 贴我方标签, 我方提供配方和核心原料, 我司工业盐产品配套包材, 本公司农药制剂（悬浮剂）登记证齐全: what
# the poster has, supplies or makes
OWN_THING = re.compile(
    r"(?<![为是])" + SELF + r"(?:的|自有|自备|提供|负责提供|供应)?((?!拟|将|现|计划|准备|需|要|想)[^,;:。的]{2,16}?)"
    r"(?=$|[,;:。(]|定制|加工|生产|和|及|等|配套)")
# 与光伏组件企业合作: a trade named after 与 and before a firm word, in a clause about working together
_PARTNER_BEFORE = ("与", "同", "跟", "携手", "联合")
# 政务服务中心窗口设备更新: a centre after a product word names the poster (as a firm word would; not inside a
# project's name, where 数据中心 is the project)
_CENTRE = "中心"
# XX化纤2024年聚酯原料采购: a trade after the placeholder of a published firm's name is that firm's, firm word or not
_PLACEHOLDER = ("xx", "××", "某")
# 欢迎快递网点报价, 请LED灯具厂家报价, 有没有靠谱的环境咨询公司推荐, 对接一下输变电设备厂家: the firm after is sought
_INVITING = re.compile(r"(?:欢迎|请|邀请|有没有|谁家|哪家|哪里有|推荐|对接(?:一下)?)"
                       r"(?:(?:靠谱|专业|正规|有实力|好|做)的?)?$")
_WELCOMED = re.compile(FIRM_AFTER.pattern + r"|网点|供应商|服务商|商家|经销商|代理商")
_COOPERATE = re.compile(r"合作|联合|共同|携手|共建|对接|联手")
MAKING = ("制造", "生产", "加工", "经营")  # FIRM_AFTER's words of making (轴承制造企业)
# a subject before the first want verb that names a firm, or a department of one (生鲜部): the poster describing itself
_ADVERBS = r"拟|现|现拟|特|今|欲|急|想|希望|计划|长期|常年|近期|公开|面向社会"
_POSTER_END = re.compile(
    r"(?:企业|厂家|厂商|制造商|生产商|集成商|运营商|承包商|经销商|开发商|贸易商|代理商|服务商|设备商|方案商|品牌商|品牌方|零售商|"
    r"批发商|渠道商|分销商|工厂|厂|公司|集团|卖场|商超|单位|"
    r"运营方|(?<=[a-z])方|总包方|业主方|甲方|合作社|旅行社|团队|工作室|直播间|档口|(?<=[\u4e00-\u9fff])站|养殖场|平台|店铺|网店|门店|商家|药房|药店|超市|酒店|宾馆|餐厅|食堂|厨房|农场|牧场|猪场|车队|电厂|水厂|品牌|连锁|"
    r"(?<![内外头底全局顶])部|医院|学校|院|所|中心|医共体|(?<=[\u4e00-\u9fff]{2})[科局]"
    r"|(?i:manufacturer|maker|producer|factory|plant|mill)s?)(?:" + _ADVERBS + r")*$"
)
# 连锁药房(门店1300+)招商: a note in brackets after the subject
_TRAILING_NOTE = re.compile(r"\([^()]*\)(?=(?:" + _ADVERBS + r")*$)")
# a supplier word ending the subject of a call with no object (冷链运输服务商征集, 电梯维保单位招标 is not: 单位 is also
# how posters name themselves); contractors too, where SOUGHT_END, ending a clause before a colon, has makers
_SOUGHT_END = re.compile(r"(?:" + _SUPPLIERS + r"|承包商|分包商|集成商)$")


def names_welcomed(t: str, start: int, end: int) -> bool:
    """Whether the mention at ``start:end`` names the trade of the firms invited to quote (欢迎快递网点报价): it
    restates what is sought, as the items of a list do."""
    return bool(_INVITING.search(t, max(0, start - 12), start)) and bool(_WELCOMED.match(t, end))


def names_partner(t: str, start: int, end: int, clause_of: list[int]) -> bool:
    """Whether the mention at ``start:end`` names the partner sought (与光伏组件企业开展合作), not the poster."""
    if not t[:start].endswith(_PARTNER_BEFORE) or not FIRM_AFTER.match(t, end):
        return False
    c = clause_of[start]
    s, e = start, end
    while s > 0 and clause_of[s - 1] == c:
        s -= 1
    while e < len(t) and clause_of[e] == c:
        e += 1
    return bool(_COOPERATE.search(t, s, e))


def names_poster(t: str, start: int, end: int, zone: list[str], clause_of: list[int]) -> bool:
    """Whether the mention at ``start:end``, followed by a firm word (or after the placeholder of a firm's name: XX化纤)
    before any want verb of its clause, names the poster's trade (某氯碱化工集团…碳化钙采购): after the verb it is
    what is sought (寻找电缆生产企业)."""
    if not FIRM_AFTER.match(t, end) and not t.startswith(_CENTRE, end) and not t[:start].endswith(_PLACEHOLDER):
        return False
    i = start - 1
    while i >= 0 and clause_of[i] == clause_of[start]:
        if zone[i] == "verb":
            return False
        i -= 1
    return True


def own_spans(text: str, s: int, e: int, verbs: list[tuple[int, int]], wants: re.Pattern) -> list[tuple[int, int]]:
    """Spans of clause ``text[s:e]`` that name the poster's own products or trade (``verbs``: the clause's want
    verbs; ``wants``: what asks for something, which an own product never contains)."""
    out = []
    for m in OWN_THING.finditer(text, s, e):
        if not wants.search(m.group(1)) and not OWN_MID.match(m.group(1)) \
                and not any(m.start(1) <= vs < m.end(1) for vs, _ in verbs):  # 我们这边缺铝锭
            close = text.find(")", m.end(1), e) if text.startswith("(", m.end(1)) else -1
            out.append((m.start(1), close + 1 if close >= 0 else m.end(1)))  # its note in brackets lists its kinds
    out += [m.span(1) for m in OWN_PLACE.finditer(text, s, e)]  # 交付至我司盐城组件工厂: the poster's own product
    before_verb = verbs[0][0] if verbs else e
    for m in _OWN_IS.finditer(text, s, e):
        if m.end(1) <= before_verb or m.start(1) >= verbs[-1][1]:
            out += [m.span(g) for g in (1, 2) if m.start(g) >= 0]
    out += [m.span(1) for m in _FIRM_NOTE.finditer(text, s, before_verb) if m.end() <= before_verb]
    here = _HERE.match(text, s, e)  # 酒店这边客房220间…: the poster named by where it speaks from
    if here and subject_names_poster(here.group(1)):
        out.append(here.span(1))
    tag = _SELF_TAG.search(text, s, before_verb)
    if tag:
        out.append((s, tag.start()))
    out += [m.span(g) for pattern in (_SELF_NOTE, _OWN_MADE, _DIVISION, _OWN_SUPPLIED, *_OWN_PHRASES)
            for m in pattern.finditer(text, s, e) for g in range(1, pattern.groups + 1) if m.start(g) >= 0]
    output = _OWN_OUTPUT.match(text, s, e)
    if output and not verbs and not wants.search(output.group(1)):
        out.append(output.span(1))
    return out


# 连锁中餐中央厨房食材集采, 某电厂备件采购: a generic word for the goods after the poster's name
_GOODS_END = re.compile(r"(?:食材|原料|原材料|原辅料|辅料|物资|耗材|备件|备品备件|用品)$")


def subject_names_poster(subject: str) -> bool:
    """Whether the words before a clause's first want verb name a firm: the poster describing itself."""
    subject = _GOODS_END.sub("", subject.rstrip())
    return bool(_POSTER_END.search(_TRAILING_NOTE.sub("", subject).rstrip()))


def subject_names_sought(subject: str) -> bool:
    """Whether the words before a want verb end in a supplier word: with nothing after the verb, the one sought."""
    return bool(_SOUGHT_END.search(subject.rstrip()))
