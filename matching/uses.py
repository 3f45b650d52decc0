"""What the goods are for, and goods a need says it does not seek: the words that mark the works, plants, projects
and uses a need names beside the wanted goods (read by :mod:`matching.clauses`, which gives such spans the
``purpose`` zone, or ``require`` for goods not sought)."""

from __future__ import annotations

import re

from matching.parties import SELF

__all__ = ["BUILD", "FOR_NEXT", "FOR_OF", "FOR_USE", "INPUTS_OF", "LOCALISE", "MAKING_END", "NOTE_END",
           "NOT_SOUGHT_AFTER", "NOT_SOUGHT_BEFORE", "OBJECT_AFTER_USE", "PLANT_END", "PROJECT", "REPLACED", "SUPPLY",
           "NOT_PURPOSE", "infix_uses", "names_use", "not_sought"]

# the characters before 用 that make a word ending in 用 (通用、专用、使用 …), no purpose
NOT_PURPOSE = "通专家商民军药食医农使应利作费信运采选适备试共公自租雇调引启停占享服外饮实耐可有无多两兼"
_INFIX_USE = re.compile("用")
# 连接器目前主要用进口的, 我们一直用国产的: 用 after these is the verb "use", not the infix of 光伏组件用EVA胶膜
_USE_ADVERBS = ("主要", "目前", "现在", "现", "一直", "都", "也", "还", "只", "正在", "常", "均", "全部", "通常",
                "一般", "多", "大多", "基本", "以前", "原来", "之前", "过去", "我们", "我司", "我厂", "自己",
                "不", "没", "所", "可")
# 使用的, 选用的, 专用的: the cutter may split 使|用的; with 用 these make a word of their own, not the infix
_USE_WORD_FIRST = NOT_PURPOSE + "常挪借录任沿套袭"
# a project, or works on a plant, named at the end of a phrase
PROJECT = re.compile(r"项目|改扩建|改造|技改|扩建|扩容|翻新|装修")
SUPPLY = re.compile(r"供[种货应苗]|配送")
LOCALISE = ("国产化", "国产替代", "国产化替代")  # DCS国产化改造: works that localise a product ask for it
FOR_USE = re.compile(r"(?:项目|工程|建设|生产|工厂)?(?:所需|所用)(?:的)?"
                     r"|(?:生产|制造|加工)(?:过程)?中(?:使用|用到|所用|需要)的")
# 替代铅酸, 取代进口件: what the wanted product replaces, up to a separator or 的 (可替代进口的轴承 wants 轴承)
REPLACED = re.compile(r"(?:替代|取代|代替|替换)([^,;、()的]{1,12})")
# X原料 / X辅料: inputs *of* X, so X is what they are for
INPUTS_OF = tuple((w, re.compile(re.escape(w)))
                   for w in ("原料", "原材料", "辅料", "用料", "专用料", "配套件", "零配件"))
FOR_OF = re.compile(r"^(?:" + SELF + r")?(?:正|现|拟|将|特|目前|正在)?为[^,]{1,20}?(?:配套|提供|生产|使用)的")
# 齿轮箱成品不需要报价, 组件由业主另行采购, 不含安装: goods the text says are not sought
NOT_SOUGHT_AFTER = re.compile(r"(?:不需要|不需|无需|不用|不必)(?:报价|提供|采购|投标)|除外"
                              r"|不在(?:本次|此次)?[^,;。]{0,4}?范围"
                              r"|(?:这次|本次)?不(?:换|更换)(?=$|[,;。])|已(?:单独)?(?:定标|采购|招标|落实)"
                              r"|(?:由(?:业主|甲方|我方|我司|建设单位|招标人)?)?(?:另行|自行|单独)(?:采购|提供|负责|招标|比选|集采|采买)")
NOT_SOUGHT_BEFORE = re.compile(r"不含|不包括|不包含|不需要|无需|不采购")
# a purpose clause naming, at its end, the product it is about
OBJECT_AFTER_USE = re.compile(r"(?:主要|可)?(?:应用于|应用在|适用于|用于|用在|装在|安装在)[^,;:。]{1,24}?的"
                              r"|为[^,]{1,20}?配套(?=一|两|\d)")
# 我们正为新能源车型招募座椅配套商: what the want is for, before the verb
FOR_NEXT = re.compile(r"^(?:" + SELF + r")?(?:正|现|拟|将|特|目前|正在)?为(?!主)")
# 新建一条畜禽饲料生产线, 扩建二期项目: the works the goods are for
BUILD = re.compile(r"(?:新建|扩建|投建|兴建|上马)(?:一条|一个|一座|一期|二期|三期)?[^,;。]{0,24}?"
                   r"(?:生产线|产线|项目|工厂|车间|基地|装置|厂房|工程)(?=$|[,;。])")
MAKING_END = re.compile(r"(?:生产|制造|加工|使用)(?:上|中)?$")
# a plant or line named before the want verb (水泥熟料生产线需石灰石): where the goods go, not what is sought
NOTE_END = re.compile(r"\([^()]*\)$")
PLANT_END = re.compile(r"(?:生产线|产线|车间|装置|工厂|基地|仓库|库房|厂房|(?:喷涂|涂装|装配|焊装|冲压|挤出|酸洗|镀锌|"
                       r"轧制|包装|灌装|印染|流水|组装|注塑|电镀|烘干|分拣|拉丝|压延|涂布)线)$")


def names_use(topic: str) -> bool:
    """Whether the words before a want verb say where or in making what the goods are used (水泥熟料生产线需…, 玻璃生产
    需要…, 我们正为新车型招募…), rather than naming the goods; 为X配套的Y names both (see :data:`FOR_OF`)."""
    return bool(PLANT_END.search(NOTE_END.sub("", topic)) or MAKING_END.search(topic)
                or (FOR_NEXT.match(topic) and not FOR_OF.match(topic)))


def not_sought(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Spans of ``text[s:e]`` naming goods the text says are not sought (组件由业主另行采购, 不含安装); inside brackets
    (OPGW另行招标) only what the brackets hold."""
    out = []
    for m in NOT_SOUGHT_AFTER.finditer(text, s, e):
        opened = text.rfind("(", s, m.start())
        out.append((opened if opened > text.rfind(")", s, m.start()) else s, m.end()))
    return out + [(m.start(), e) for m in NOT_SOUGHT_BEFORE.finditer(text, s, e)]


def infix_uses(text: str, s: int, e: int, boundaries: set[int]) -> list[int]:
    """Offsets of each infix 用 standing alone inside ``text[s:e]`` (光伏组件/用/EVA胶膜), never 用于/用在/用作; 用的 is
    the same infix (光伏组件用的EVA胶膜), which the word cutter takes as one word."""
    return [m.start() for m in _INFIX_USE.finditer(text, s + 1, e - 1)
            if m.start() in boundaries and text[m.end()] not in "于在作"
            and not text.endswith(_USE_ADVERBS, s, m.start())
            and (m.end() in boundaries or (text[m.end()] == "的" and m.end() + 1 in boundaries and m.end() + 1 < e
                                           and text[m.start() - 1] not in _USE_WORD_FIRST))]
