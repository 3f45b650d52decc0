"""Where in a need text each part sits: the thing asked for, what it is for, who is asking, the fine print.

A need is read clause by clause (split at sentence and clause punctuation outside brackets). Each
character of the normalised text gets a *zone*:

* ``object``: what a want verb (采购、求购、寻找、征集、需要 …) asks for, or the topic before it (电解液采购);
* ``title``: a first clause without a verb (18寸铝合金轮毂，…), read as the thing asked for;
* ``detail``: a clause that elaborates an ``object``/``title`` clause ending in a colon (…化学品：硫酸、双氧水);
* ``purpose``: what the product is for (用于、应用于、配套、适配、…用);
* ``material``: X in X原料 or X辅料, what the inputs are for, or with nothing else named the material itself;
* ``modifier``: the part before an infix 用 (光伏组件用EVA胶膜);
* ``own``: the poster describing itself (我司为、主营、需求单位：);
* ``require`` and ``deliver``: conditions, certificates, delivery and commercial terms;
* ``verb`` and ``marker``: the want verbs and the self-description markers themselves;
* ``context``: everything else.

The marker lists are ordinary procurement language, not product knowledge.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from matching import uses
from matching.conditions import (
    CONDITION,
    DELIVER,
    DELIVER_START,
    REQUIRE_ANY,
    REQUIRE_CERT,
    REQUIRE_REL,
    REQUIRE_START,
    SERVICE_AFTER,
    SUPPLIED_BY,
)
from matching.english import PURPOSE_EN
from matching.labels import COLUMN_WORDS, LABEL, LINE_ROLES, LOT, label_role, line_role
from matching.parties import (
    FIRM_AFTER,
    OWN_LABEL,
    OWN_MID,
    OWN_START,
    OWN_THING,
    PARTY_END,
    PARTY_SOUGHT,
    PLANTS,
    SOUGHT_END,
    own_spans,
    subject_names_poster,
    subject_names_sought,
)
from matching.segments import DASH, LEADS_IN, NUMBERING, split_chat, split_clauses, strip_span
from matching.wants import WANT, WANT_WORDS, WEAK_VERB, is_word, want_verbs

__all__ = ["WANTED_ZONES", "ZONES", "zones"]

ZONES = ("object", "title", "detail", "purpose", "material", "modifier", "own", "require", "deliver", "verb", "marker",
         "context")
WANTED_ZONES = ("object", "title", "detail")

_HEADER_WORDS = r"公告|通知|公示|需求发布|信息发布|招标书|询价单|揭榜挂帅"
# 比选公告, 采购招标公告: the verbs that name a notice, with nothing asked for beside them
_VERB_HEADER = re.compile("(?:" + "|".join(WANT_WORDS) + ")*(?:" + _HEADER_WORDS + ")")


_HEADER = re.compile(_HEADER_WORDS)
_PURPOSE = re.compile(
    r"(?:主要|兼|可|应)?(?:应用于|适用于|用于|用在|用作|作为(?!一家|[^,]{0,12}(?:企业|公司|厂家|工厂|集团|厂|商|品牌))|适配|下游|供应给|提供给)|(?<![及和与并])配套(?![:的])(?=.)"
    r"|为(?=[^,]{1,20}(?:提供|配套))|(?:用途|应用场景|应用领域|使用场景)(?:为|是)"
    r"|" + PURPOSE_EN
)
# a clause that ends in 用 (浮法玻璃生产线用) says what the product is for, unless the 用 ends a word (uses.NOT_PURPOSE)
# 为二期产线配套采购一体机: what the goods are for, then the want verb and the goods
# (and 重卡发动机配套寻涡轮增压器, the 为 left out)
_FOR_THEN_WANT = re.compile(r"为?[^,]{1,20}?配套(?=" + "|".join(WANT_WORDS) + "|[寻找求购征招])")
_PURPOSE_END = re.compile(f"(?<![{uses.NOT_PURPOSE}])用$")
_CONTENT = re.compile(r"[a-z\u3400-\u9fff]{2,}")
_FIRMS_GOODS = re.compile(r"(?:企业|公司|工厂|厂|集团)的")
# a clause opening with a conjunction (…，以及配套的对焊法兰) goes on with the list of the clause before it
_CONTINUE = re.compile(r"^(?:以及|及|并|和|还有|另需|另外|同时|[二三四五六七八九十]是|其[二三四五六七八九十])")

# #酒厂采购 #浓香型白酒: a post's topics, not what it asks for (the first # is stripped as a bullet)
_TAGS = re.compile(r"#?[^#\s]{1,16}#?(?:\s+#[^#\s]{1,16}#?)+")
_CHAT_GAP = re.compile(r"[\u3400-\u9fff] +(?=[\u3400-\u9fff])")
_TRADE_VERBS = ("定制", "代工", "外协", "外包", "委外")
# 我们品牌做全屋…, 我司专业… before 定制: the poster's trade, not a want
_OWN_TRADE = re.compile("(?:" + OWN_START.pattern + r")[^,;。]{0,6}$")
_SOURCE_FACTORY = re.compile(r"(?:源头工厂|源头厂家|源头厂|工厂直营|厂家直营)$")
_PRODUCTS_OF = re.compile(r"(?:主要|主营|主导|核心)?产品(?:为|是|有|包括|涵盖|:)?(?![要需质规标用名型数单价])")

Mark = Callable[[int, int, str], None]


def _chat_gap(text: str, s: int, e: int) -> int:
    """The first space between two Chinese characters in ``text[s:e]`` (主做改性塑料颗粒 线缆料…: a chat line's phrases
    are spaced, not punctuated), or -1."""
    m = _CHAT_GAP.search(text, s, e)
    return m.start() + 1 if m else -1


def zones(text: str, boundaries: set[int]) -> tuple[list[str], list[int]]:
    """A zone (see :data:`ZONES`) for every character of normalised ``text``, and the number of the
    clause each character is in (-1 between clauses).

    ``boundaries`` are the token boundaries of the text (offsets where a word starts or ends), so a
    one-character verb or an infix 用 is recognised only as a word of its own.
    """
    zone = ["context"] * len(text)
    clause_of = [-1] * len(text)

    def mark(s: int, e: int, z: str) -> None:
        for i in range(s, e):
            zone[i] = z

    seen_title = False
    wanted_before = False  # the clause before asked for something (want, title or detail)
    own_before = False  # the clause before described the poster
    listing = False  # the clause before was an item of a list after a heading (需求如下：电缆；变压器)
    carry = ""  # the role a label or a topic clause ending in a colon hands to the clause after it
    line_carry = ""  # the role a label hands to the rest of its line
    titled = asked = False  # a title was read as the thing asked for; a want verb was met
    stop = ""
    clauses = split_chat(text, split_clauses(text), _is_condition)
    for n, c in enumerate(clauses):
        s, e = strip_span(text, c.start, c.end)
        if s >= e:
            continue
        clause_of[s:e] = [n] * (e - s)
        body = text[s:e]
        if not _CONTENT.search(body) and carry:
            continue  # 产品名称：1,4-丁二醇: a bare number between commas hands the label's role on
        if body in COLUMN_WORDS and c.stop in "|\n":
            listing, stop = True, c.stop  # a table's header row: the rows below list the goods
            continue
        verbs = want_verbs(text, s, e, boundaries)
        role = _clause_role(body, bool(verbs), c.stop, carry or line_role(line_carry, body))
        if role == "other" and wanted_before and _CONTINUE.match(body):
            role = "detail"
        # the next item of that list: numbered (2、变压器), or after a semicolon or a line break
        if role == "other" and listing and (NUMBERING.match(text, c.start, c.end) or stop in ";\n|"):
            role = "detail"
        # RFQ—饲料原料\n…\n1. L-赖氨酸: a numbered list under a title and no want verb lists the goods of the title
        if role == "other" and titled and not asked and NUMBERING.match(text, c.start, c.end):
            role = "detail"
        titled = titled or (role == "other" and not seen_title)
        asked = asked or role == "want"
        listing = role == "detail"
        stop = c.stop
        if own_before and role == "other" and _PRODUCTS_OF.match(body):
            role = "own"  # 我们是长流程钢企，产品螺纹钢、线材: the products of the firm just described
        if role == "other" and (_SOURCE_FACTORY.search(body) or PLANTS.search(body)):
            role = "own"  # 按摩椅源头工厂, 商砼站3条生产线: a maker's claim about itself, or the plant it runs
        own_before = role == "own"
        wanted_before = role in ("want", "detail") or (role == "other" and not seen_title)
        carry = ""
        if role == "label":
            carry = label_role(body)
            line_carry = carry if carry in LINE_ROLES else ""
            continue
        # 采购内容：财产一切险、机器损坏险，…；公众责任险: a label speaks for the clauses after it, up to the end of
        # its line or of its field, while none has a role of its own
        line_carry = line_carry if c.stop not in "\n。|:" and role in (line_carry, "other") else ""
        if role == "header":
            continue
        if role in ("own", "require", "deliver", "purpose"):
            mark(s, e, role)
            if role == "purpose":
                _object_after_use(text, s, e, boundaries, mark, opening=not seen_title)
        elif role == "want":
            _mark_want(text, s, e, verbs, boundaries, mark)
            # 财产保险采购招标公告: the notice's title names what it asks for; a note after the word 公告 does not
            for m in _HEADER.finditer(text, s, e):
                mark(m.start(), e if m.start() > verbs[0][0] else m.end(), "context")
            # a heading ends in a colon, or in a line break before a numbered list (采购清单\n1、镀锌钢管)
            listed = c.stop == "\n" and n + 1 < len(clauses) and NUMBERING.match(text, clauses[n + 1].start)
            carry = "detail" if c.stop in LEADS_IN or listed else ""
        elif role == "detail" or not seen_title:
            mark(s, e, "detail" if role == "detail" else "title")
            _mark_inner(text, s, e, boundaries, mark)
            carry = "detail" if (c.stop == ":" and role != "detail") or c.stop == DASH else ""
        else:
            _mark_inner(text, s, e, boundaries, mark)
        for a, b in own_spans(text, s, e, verbs, WANT):
            mark(a, b, "own")
        for m in OWN_MID.finditer(text, s, e):
            mark(m.start(), m.end(), "marker")
        # 齿轮箱成品不需要报价, 不含安装: goods the text says are not sought, and the verbs of saying so
        negated = uses.not_sought(text, s, e)
        for a, b in negated:
            mark(a, b, "require")
        for vs, ve in verbs:
            if not any(a <= vs < b for a, b in negated):
                mark(vs, ve, "verb")
        if role == "other" and c.stop == ":" and SOUGHT_END.search(body):
            carry = "detail"  # 想提前约几家供应商：…: the party sought, then what it supplies
        seen_title = True
    return zone, clause_of


def _is_condition(phrase: str) -> bool:
    return _clause_role(phrase, bool(WANT.search(phrase)), "", "") in ("require", "deliver")


def _is_header(body: str, has_verb: bool) -> bool:
    """采购公告, 比选公告, 关于…的通知: a notice's heading, unless beside its verbs it names what is asked for
    (财产保险采购招标公告)."""
    return bool(_HEADER.search(body)) and not (has_verb and _CONTENT.search(_VERB_HEADER.sub("", body)))


def _clause_role(body: str, has_verb: bool, stop: str, carry: str) -> str:
    if stop == ":" and (LABEL.match(body) or LOT.match(body)) and label_role(body) != "context":
        return "label"
    if (OWN_LABEL.match(body) and not (has_verb and OWN_START.match(body))) or (stop == ":" and PARTY_END.search(body)):
        return "own"
    if OWN_START.match(body):
        return "want" if has_verb else "own"
    if _is_header(body, has_verb) or _TAGS.fullmatch(body):
        return "header"
    if REQUIRE_START.match(body) or (not has_verb and (REQUIRE_ANY.search(body) or CONDITION.search(body))):
        return "require"
    # a clause ending in 用 is a purpose, unless a want verb asks for something before it (需要乳化剂(农乳)原药配套用)
    if (_PURPOSE.match(body) and not (has_verb and (_FOR_THEN_WANT.match(body) or uses.FOR_OF.match(body)))) \
            or (_PURPOSE_END.search(body) and not has_verb):
        return "purpose"
    if DELIVER_START.match(body):
        return "deliver"
    if has_verb:
        return "want"
    return carry or "other"


def _mark_inner(text: str, s: int, e: int, boundaries: set[int], mark: Mark, *, sought: bool = False) -> None:
    """Sub-spans of a clause that change its zone: own, purpose, conditions, delivery and infix 用."""
    m = OWN_MID.search(text, s, e)
    if m:  # 某公司（主营：电池片）拟采购银浆: a note in brackets ends with them, a phrase of a chat line with a space
        opened = text.rfind("(", s, m.start()) > text.rfind(")", s, m.start())
        close = text.find(")", m.end(), e) if opened else _chat_gap(text, m.end(), e)
        mark(m.start(), close if close >= 0 else e, "own")
    for m in (*REQUIRE_REL.finditer(text, s, e), *REQUIRE_CERT.finditer(text, s, e)):
        # 找有综艺节目制作经验的团队: the experience of the party a verb seeks is what it seeks
        if not (m.re is REQUIRE_REL and not text[s:m.start()].strip() and PARTY_SOUGHT.match(text, m.end())):
            mark(m.start(), m.end(), "require")
    for m in uses.PROJECT.finditer(text, s, e):
        # 管廊改造项目，急需球阀; 数据中心扩容，采购硬盘: the project is what the goods are for, unless a verb
        # inside names the want
        j = _latin_back(text, s, _phrase_start(text, s, m.start()))
        firm = [f.end() for f in FIRM_AFTER.finditer(text, j, m.start())]
        if firm:  # 自来水公司二次供水改造: the firm before the works is the poster, not the project
            # (after a want verb, 找…污水处理工程公司做提标改造, the firm sought)
            mark(j, firm[-1], "object" if sought else "own")
            j = firm[-1]
        # 统一供种项目: a project of supplying the goods names them, it is no purpose
        if j < m.start() and is_word(m.start(), m.end(), boundaries) and not WANT.search(text[j:m.start()]) \
                and not uses.SUPPLY.search(text, j, m.start()) and not text.endswith(uses.LOCALISE, j, m.start()):
            mark(j, m.end(), "purpose")
    for m in (*uses.BUILD.finditer(text, s, e), *SUPPLIED_BY.finditer(text, s, e)):
        mark(m.start(), m.end(), "purpose" if m.re is uses.BUILD else "deliver")
    for m in uses.FOR_USE.finditer(text, s, e):  # 冷库项目所需螺杆压缩机: the project is what it is for
        mark(_phrase_start(text, s, m.start()), m.end(), "purpose")
    for m in uses.REPLACED.finditer(text, s, e):
        if m.end() == e or text[m.end()] != "的":
            mark(m.start(), m.end(), "context")
    m = _PURPOSE.search(text, s, e)
    # 我司工业盐产品配套包材: what goes with the poster's own products is what it asks for, not what they are for
    own_before = m is not None and m.group() == "配套" and any(
        o.end() == m.start() for o in OWN_THING.finditer(text, s, e))
    if m and m.start() > s and not own_before:
        # 基站天线(AAU配套)的射频连接器: a purpose inside a note in brackets ends with the note
        opened = text.rfind("(", s, m.start()) > text.rfind(")", s, m.start())
        close = text.find(")", m.end(), e) if opened else -1
        mark(m.start(), close if close >= 0 else e, "purpose")
    m = _PURPOSE_END.search(text, s, e)
    if m:
        # …乳化剂(农乳)原药配套用: the phrase that ends in 用 is what the product is for; with no separator before
        # it the whole span is that phrase, as in a clause without a want verb
        mark(_phrase_start(text, s, m.start()), e, "purpose")
    m = DELIVER.search(text, s, e)
    if m and m.group() in ("运输", "冷链配送") and SERVICE_AFTER.match(text, m.end()):
        m = DELIVER.search(text, m.end(), e)  # 冷链运输服务商: the carrying is the service sought, not a term
    if m and m.start() > s:
        # 长管拖车运输, 槽车运输: what carries the goods is part of the delivery terms
        mark(_phrase_start(text, s, m.start()) if m.group() == "运输" else m.start(), e, "deliver")
    for word, pattern in uses.INPUTS_OF:
        for m in pattern.finditer(text[s:e]):
            i = s + m.start()
            if i > s and is_word(i, i + len(word), boundaries):
                # the word just before is what they are inputs of (均聚PP|薄膜|专用料: 薄膜, not PP); a zone of its
                # own, as 石灰石原料 may also name the material itself (see phrases.choose_wanted)
                j = max((b for b in boundaries if _phrase_start(text, s, i) <= b < i), default=i)
                plant = uses.PLANT_END.search(text, s, i)  # PBT和PBAT聚合装置原料: all named for the plant are purposes
                mark(_phrase_start(text, s, i, joined=True) if plant else j, i, "purpose" if plant else "material")
    for i in uses.infix_uses(text, s, e, boundaries):
        # what comes before 用 in the phrase modifies what follows; every product joined there (矿区车辆及设备用柴油)
        mark(_phrase_start(text, s, i, joined=True), i + 1, "modifier")


def _object_after_use(text: str, s: int, e: int, boundaries: set[int], mark: Mark, *, opening: bool) -> None:
    """配套开关柜母线用T2紫铜排: a purpose clause with an infix 用 names, after it, the product it is about; so does one
    that opens the need and ends in a product after 的 (``opening``: nothing was asked before it)."""
    i = next((i for i in reversed(uses.infix_uses(text, s, e, boundaries)) if _has_content(text, i + 1, e)), None)
    if i is not None:
        mark(i + 1, e, "object")
        return
    m = uses.OBJECT_AFTER_USE.match(text, s, e) if opening else None  # 应用在雷达接收端的光电子器件: what is wanted
    if m and _has_content(text, m.end(), e):
        mark(m.end(), e, "object")


def _latin_back(text: str, s: int, j: int) -> int:
    """``j`` moved back over Latin words joined to it by / or a space (Mini/Micro LED显示项目: the whole name)."""
    while j - 1 > s and text[j - 1] in "/ " and text[j - 2].isascii() and text[j - 2].isalnum():
        k = j - 1
        while k > s and text[k - 1].isascii() and text[k - 1].isalnum():
            k -= 1
        j = k
    return j


def _phrase_start(text: str, s: int, i: int, *, joined: bool = False) -> int:
    stops = "、,/+ ()（）" if joined else "、,/+ ()（）和及与或"
    while i > s and text[i - 1] not in stops:
        i -= 1
    return i


def _mark_want(text: str, s: int, e: int, verbs: list[tuple[int, int]], boundaries: set[int], mark: Mark) -> None:
    """A clause with a want verb: the object after the verb, or the topic before it."""
    mark(s, e, "context")
    # 定制家具工厂（全屋定制）找五金: a verb that starts the names of trades (定制家具, 外包服务), inside a subject that
    # names the poster, is part of its trade
    trade = verbs and verbs[0][0] == s and text[s:verbs[0][1]] in _TRADE_VERBS
    # the poster's trade alone, with no verb of its own: 定制家具品牌，…, or 我们品牌做全屋定制柜体 (custom-made goods)
    if len(verbs) == 1 and text[verbs[0][0]:verbs[0][1]] in _TRADE_VERBS and (
            (trade and subject_names_poster(text[s:e])) or _OWN_TRADE.match(text, s, verbs[0][0])):
        mark(s, e, "own")
        return
    k = next((k for k in range(1, len(verbs)) if trade and subject_names_poster(text[s:verbs[k][0]])), 0)
    verbs = verbs[k:]
    # 复合肥生产企业求购…, 铝电解电容器厂家诚征…: a subject before the verb that names a firm is the poster
    own = OWN_START.match(text[s:e]) is not None or bool(verbs and subject_names_poster(text[s:verbs[0][0]]))
    if own and verbs and subject_names_sought(text[s:verbs[0][0]]) and not _has_content(
            text, verbs[0][1], verbs[1][0] if len(verbs) > 1 else e):
        own = False  # 冷链运输服务商征集: a supplier named before a verb with nothing after it is the one sought
    prev = s
    for k, (vs, ve) in enumerate(verbs):
        nxt = verbs[k + 1][0] if k + 1 < len(verbs) else e
        after, before = (ve, nxt), (prev, vs)
        weak = text[vs:ve] == WEAK_VERB
        if _has_content(text, *after):
            mark(*after, "object")
            _mark_inner(text, after[0], after[1], boundaries, mark, sought=True)
            if weak and _has_content(text, *before) and k == 0 and not own:
                _mark_inner(text, before[0], before[1], boundaries, mark)  # 出货包装要EPS泡沫: the subject of 要
            elif _has_content(text, *before) and k == 0 and not own:
                # 动力电池隔膜采购… 现需采购 X: the text before the first verb is a topic too when it has content
                topic = text[before[0]:before[1]].rstrip()
                plant = uses.names_use(topic) or _FOR_THEN_WANT.match(text, before[0])
                mark(*before, "purpose" if plant else "title")
                _mark_inner(text, before[0], before[1], boundaries, mark)
                of = uses.FOR_OF.match(topic)
                if of:  # 为装载机配套的散热器寻找二供: what the goods are for, then the goods
                    mark(before[0], before[0] + of.end(), "purpose")
        elif _has_content(text, *before) and not (own and k == 0):
            # 需要纯碱，玻璃生产需要: what is made with the goods, before a verb with nothing after it;
            # 盘条和棒材都要: the forms of the goods, before the weak verb 要
            mark(*before, "purpose" if uses.MAKING_END.search(text, *before) else "detail" if weak else "object")
            _mark_inner(text, before[0], before[1], boundaries, mark)
            # 我负责一家起重机整机企业的电气件采购: the firm whose goods they are is the poster
            for m in _FIRMS_GOODS.finditer(text, *before):
                if subject_names_poster(text[before[0]:m.end() - 1]):
                    mark(before[0], m.end() - 1, "own")
        prev = ve
    if own:
        mark(s, verbs[0][0] if verbs else e, "own")


def _has_content(text: str, s: int, e: int) -> bool:
    return bool(_CONTENT.search(text[s:e]))
