"""Noun phrases of a need: which mention heads a phrase, and which only modify it.

In Chinese the head of a noun phrase is its last part: 动力电池隔膜 is a 隔膜 for 动力电池. A phrase here is a
run of mentions with no separator (、，和 …), filler (供应商) or zone change between them. Its last mention
is the head; the ones before modify it. Three refinements keep that rule honest:

* a class word as head (模块, 传感器, 棒材) only says what kind of thing: the mention before it says which
  (IGBT模块, TPMS传感器, 轴承钢棒材), and both are kept;
* words that name no product (服务, 国产化) are dropped from the end of a phrase, and a phrase that goes on
  past its last mention (车载中控屏, with no product called 中控屏) has an unknown head: its mentions only
  qualify it;
* equipment for a product (电芯产线整线设备) is that product's equipment node when the data has one;
* a compound with a word set into it names the compound without it too (锌铝合金 is a 锌合金).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from graph import ChainGraph
from matching.clauses import WANTED_ZONES
from matching.headwords import ASKED_AS, CLASS_CHARS, CLASS_HEADS, EMPTY_HEADS, FORMS, SAME_WRAPPERS, SERVICES, WRAPPERS
from matching.linking import NodeLinker
from matching.spec import word_list

__all__ = [
    "ASKED_AS", "CLASS_HEADS", "EMPTY_HEADS", "FORMS", "SAME_WRAPPERS", "SEPARATORS", "SERVICES", "WRAPPERS", "Hit",
    "choose_wanted", "compose_equipment", "in_parens", "is_latin", "is_service", "mark_heads",
    "named_nodes", "runs", "separated", "stem_nodes",
]

_EMPTY_STARTS = tuple(w for w in EMPTY_HEADS if len(w) >= 2 and not w.isascii())
# a phrase going on with 的 or a verb (胶合板要增加一家供应商) is a new clause, not an unknown head
_CLAUSE_STARTS = ("的", "之", "要", "需", "想", "拟", "请", "欢迎", "换", "希望", "计划", "准备", "正在")
# nor a phrase going on with a step of buying it (铜基板打样50片, 薄膜开关询价): the mention is what the step is for
_STEP_STARTS = tuple(word_list("""
    打样 试制 试产 试用 送样 询价 报价 比价 议价 竞价 招标 集采 选型 备货 开模 寻源
    招募 入围 入库 订购 订货 交付 到货 发货 验收 安装调试
"""))
_TYPE_OF = re.compile(r"型(?![材钢号芯腔])")
# nor the firm sought for it (冰箱配件二供, 门封条供应商): the mention is what that firm supplies
_SOUGHT_STARTS = ("二供", "三供", "供应商", "供货商", "供方", "配套商", "厂家", "厂商", "伙伴", "经销商", "代理商",
                  "分销商", "贸易商", "服务商")
EQUIPMENT = ("设备", "装备", "生产设备", "成套设备", "生产线")
EQUIPMENT_GAP = re.compile(r"(?:产线|生产线|整线|生产|制造|专用|成套|全套|自动化|智能|用)*")
SEPARATORS = set("、,;:/+()（）[]《》<>\"'“”‘’ \t\n|·")
# separators only when they stand alone as a word; 等 closes a list of examples (PP、ABS等改性塑料: each is wanted)
JOINERS = set("和及与或跟并等")

@dataclass
class Hit:
    """A mention being read: where it is, what it names, and the role it ends up with."""

    start: int
    end: int
    form: str
    nodes: tuple[int, ...]
    how: str
    zone: str = "context"
    role: str = "context"
    note: str = ""
    in_paren: bool = False
    weight_factor: float = 1.0
    clause: int = -1
    head: Hit | None = None


def mark_heads(t: str, hits: list[Hit], zone: list[str], boundaries: set[int], fill: list[tuple[int, int]],
               names: Sequence[str]) -> None:
    """Within each noun phrase, the last mention is the head and the mentions before it modify it (``names``: the
    node names, by node)."""
    phrase: list[Hit] = []

    def close() -> None:
        while phrase and phrase[-1].form in EMPTY_HEADS and len(phrase) > 1:
            phrase.pop()  # 国产替代, 服务: words after the product that name none
        if not phrase:
            return
        tail = tail_of(t, phrase[-1].end, zone, boundaries, fill) if phrase[-1].zone in ("object", "title") else ""
        if tail:
            # 车载中控屏 with no product named 中控屏: the mentions only qualify an unknown head, unless an
            # abbreviation names a product of that head's kind (BOPET印刷膜: BOPET膜)
            for h in phrase:
                h.role, h.note = "modifier", f"修饰{tail}"
            kind = next((h for h in phrase if _names_kind(h, tail, names)), None)
            if kind is not None:
                kind.role, kind.note = "head", ""
            phrase.clear()
            return
        head = max(phrase, key=lambda h: (h.end, h.end - h.start))
        rest = [h for h in phrase if h is not head]
        head.role = "head"
        if head.form in CLASS_HEADS | EMPTY_HEADS and rest:
            # IGBT模块, TPMS传感器: the mention before a class word says which one is meant
            prev = max(rest, key=lambda h: h.end)
            named = [h for h in rest if h.form not in CLASS_HEADS | EMPTY_HEADS]
            if prev.form in CLASS_HEADS and named:
                # 车载音响系统总成: the product before a run of class words, each of which says less
                prev.role = "context"
                rest.remove(prev)
                prev = max(named, key=lambda h: h.end)
            prev.role = "head"
            head.role = "head" if head.form in CLASS_HEADS else "context"
            head.weight_factor = 0.5
            rest.remove(prev)
            head = prev
        if rest and head.form not in CLASS_HEADS | EMPTY_HEADS:
            prev = max(rest, key=lambda h: h.end)
            if not t[prev.end:head.start].strip() and _names_kind(prev, head.form, names):
                # SSAW钢管, VCM覆膜板: the abbreviation names which kind of the head is meant
                prev.role = "head"
                head.weight_factor = 0.5
                rest.remove(prev)
        if rest and is_service(head.form):
            # 电梯维保: the elevator is wanted with its upkeep, not set aside as what the upkeep is for
            prev = max(rest, key=lambda h: h.end)
            # overlapping too (冷链运输|运输服务: the cold chain is which carrying is meant)
            if prev.start < head.start and prev.form not in CLASS_HEADS | EMPTY_HEADS and not is_service(prev.form):
                prev.role = "head"
                rest.remove(prev)
        if rest:
            prev = max(rest, key=lambda h: h.end)
            if prev.start < head.start < prev.end and t[prev.end:head.end] in ("服务", "业务", "商", "厂", "公司"):
                # 商业印刷|印刷服务, 智能制造系统集成|系统集成商: the service or the firm of the product before
                # it, which says which one is meant
                prev.role = "head"
                rest.remove(prev)
        for h in rest:
            h.role, h.head = "modifier", head
        phrase.clear()

    for h in hits:
        if h.role != "context":
            close()
            continue
        if phrase and (phrase[-1].zone != h.zone or separated(t, phrase[-1].end, h.start, boundaries, fill)):
            close()
        phrase.append(h)
    close()
    _examples(t, hits, boundaries)


def _names_kind(h: Hit, head: str, names: Sequence[str]) -> bool:
    """Whether ``h`` is an abbreviation naming a product whose name ends as ``head`` does (SSAW → 螺旋焊管 before
    钢管): it says which kind of the head is meant."""
    return is_latin(h.form) and any(names[n][-1:] == head[-1:] for n in h.nodes)


def _examples(t: str, hits: list[Hit], boundaries: set[int]) -> None:
    """高碳铬铁、硅铁等铁合金: the heads listed before a lone 等 are examples of the kind named after it; the
    kind is what is asked for, the examples weigh half."""
    for i, h in enumerate(hits):
        j = h.end
        while j < len(t) and t[j] == " ":
            j += 1
        if h.role != "head" or t[j:j + 1] != "等" or j not in boundaries or j + 1 not in boundaries:
            continue
        kind = next((k for k in hits[i + 1:] if k.start > j and k.role == "head"), None)
        if kind is None or kind.clause != h.clause or kind.zone != h.zone:
            continue
        for x in hits[: i + 1]:
            if x.role == "head" and x.clause == h.clause and x.zone == h.zone:
                x.weight_factor *= 0.5


def compose_equipment(t: str, hits: list[Hit], linker: NodeLinker) -> None:
    """Equipment for a product (电芯产线整线设备): the wanted thing is the product's equipment node
    (锂电池设备, through the alias 电芯 → 锂电池) when the data has one; the product is its purpose."""
    lk, names = linker, linker.names_
    for i, eq in enumerate(hits):
        if eq.form not in EQUIPMENT or eq.role not in ("head", "context"):
            continue
        for x in reversed(hits[:i]):
            if x.role != "head" or x.zone != eq.zone or not EQUIPMENT_GAP.fullmatch(t[x.end:eq.start]):
                continue
            stems = dict.fromkeys([x.form, *(names[n].lower() for n in x.nodes)])
            found = tuple(n for st in stems for n in lk.nodes_of(st + eq.form))
            if found:
                eq.nodes, eq.form, eq.role = found, t[x.start:eq.end], "head"
                x.role, x.note = "purpose", f"{x.form}所用{eq.form[-2:]}"
            break


def choose_wanted(hits: list[Hit]) -> list[Hit]:
    """The wanted mentions: heads in wanted zones; else heads elsewhere, earliest first; else anything."""
    heads = [h for h in hits if h.role == "head" and h.form not in EMPTY_HEADS]
    loose = [h for h in heads if h.zone == "context"]
    first = min((h.clause for h in loose), default=-1)  # a header without a product: the next clause says it
    tiers = (
        [h for h in heads if h.zone in WANTED_ZONES],
        [h for h in loose if h.clause == first],
        # 需石灰石原料 with nothing else named: the material itself, not what it goes into
        [h for h in hits if h.zone == "material" and h.form not in EMPTY_HEADS],
        # else anything but a word that names no product (服务, 技术): with it alone the text's own words say more
        # (铝合金轮毂熔铸用铝钛硼细化剂: what comes before an infix 用 is never the want, even when the data
        # names nothing after it)
        [h for h in hits if h.role in ("head", "context", "modifier") and h.form not in EMPTY_HEADS
         and not (h.role == "modifier" and h.zone == "modifier")],
    )
    for i, tier in enumerate(tiers):
        if tier:
            for h in tier:
                h.role = "wanted"
                if i:
                    h.zone = "loose"
            return tier
    return []


def is_service(form: str) -> bool:
    """A bare name of work (维保, 维修保养, 检修服务): service words only, possibly with 服务/业务 after them. A
    name that says what the work is on (环境检测, 工程机械租赁) is a product of its own."""
    for w in ASKED_AS:
        if form.endswith(w) and len(form) > len(w):
            form = form[: -len(w)]
    while form:
        w = next((w for w in SERVICES if form.startswith(w)), "")
        if not w:
            return False
        form = form[len(w):]
    return True


_LATIN_FORM = re.compile(r"[a-z0-9.\-+/# ]+")
_JOINED = re.compile(r"[a-z0-9\u3400-\u9fff.\-]*")  # what may stand between two mentions of one phrase


def stem_nodes(lk: NodeLinker, form: str, endings: Sequence[str]) -> list[int]:
    """Nodes that ``form`` names without one of ``endings`` (离合器总成 → 离合器), the stem two characters or more."""
    out: list[int] = []
    for w in endings:
        stem = form[: -len(w)]
        if form.endswith(w) and len(stem) >= 2 and stem in lk.forms_:
            out.extend(lk.nodes_of(stem))
    return out


def is_latin(form: str) -> bool:
    return bool(_LATIN_FORM.fullmatch(form))


def in_parens(t: str, i: int) -> bool:
    depth = 0
    for ch in t[:i]:
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth = max(0, depth - 1)
    return depth > 0


def tail_of(t: str, end: int, zone: list[str], boundaries: set[int], fill: list[tuple[int, int]]) -> str:
    """Content that continues a phrase after its last mention (two Chinese characters or more, up to
    a separator or filler), or "" when the mention ends the phrase."""
    e = end
    while e < len(t) and "\u3400" <= t[e] <= "\u9fff" and zone[e] == zone[end - 1] \
            and not any(s <= e < f for s, f in fill) \
            and not (t[e] in JOINERS and e in boundaries and e + 1 in boundaries):
        e += 1
    tail = t[end:e]
    if tail in CLASS_CHARS:
        return tail  # 风电纱, 印刷膜: one character saying what kind of goods the mention only qualifies
    # words that name no product (工作站, 国产化, 服务) do not make an unknown head
    # nor a phrase going on with what is done (三轮摩托车出口西非) or after 的 (供管道气的燃气公司: another phrase)
    # nor 型 after it (中央厨房型代工厂, 节能型): the mention says which type is meant
    if len(tail) < 2 or tail in CLASS_HEADS | EMPTY_HEADS or tail.endswith(WRAPPERS) or _TYPE_OF.match(tail) \
            or tail.startswith((*WRAPPERS, *_EMPTY_STARTS, *_CLAUSE_STARTS, *_STEP_STARTS, *_SOUGHT_STARTS)):
        return ""
    return tail


def off_empty_words(t: str, hits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """``hits`` without a mention that starts inside another one and ends inside a word naming no product that
    starts where the other ends (矿长 in 钼精矿长协: the product is 钼精矿, then comes 长协)."""
    ends = {e for _, e, _ in hits}
    words = (*_EMPTY_STARTS, *_STEP_STARTS)

    def straddles(s: int, e: int) -> bool:
        return any(k in ends and t.startswith(w, k) and k + len(w) > e for k in range(s + 1, e) for w in words)

    return [h for h in hits if not straddles(h[0], h[1])]


def separated(t: str, a: int, b: int, boundaries: set[int], fill: list[tuple[int, int]]) -> bool:
    """Whether two mentions ending at ``a`` and starting at ``b`` belong to different phrases."""
    if b <= a:
        return False  # overlapping mentions (动力电池 / 电池隔膜) are one phrase
    gap = t[a:b]
    if gap == " " and t[a - 1].isascii() and t[a - 1].isalnum() and t[b].isascii() and t[b].isalpha():
        return False  # stainless steel seamless pipes: an English noun phrase, its words a space apart
    if any(ch in SEPARATORS for ch in gap) or not _JOINED.fullmatch(gap):
        return True
    if any(s < b and a < e for s, e in fill):
        return True
    return any(t[i] in JOINERS and i in boundaries and i + 1 in boundaries for i in range(a, b))


def runs(t: str, zone: list[str], fill: list[tuple[int, int]],
          specs: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """Chinese content runs of the wanted zones (no filler, no specification)."""
    blocked = [False] * len(t)
    for s, e in fill:
        blocked[s:e] = [True] * (e - s)
    for s, e, _ in specs:
        blocked[s:e] = [True] * (e - s)
    out, start = [], None
    for i, ch in enumerate(t):
        ok = not blocked[i] and zone[i] in WANTED_ZONES and "\u3400" <= ch <= "\u9fff"
        if ok and start is None:
            start = i
        elif not ok and start is not None:
            out.append((start, i))
            start = None
    if start is not None:
        out.append((start, len(t)))
    return out


def named_nodes(lk: NodeLinker, G: ChainGraph, t: str, span: tuple[int, int], specs: list[tuple[int, int, str]],
                zone: list[str], fill: list[tuple[int, int]], *, asked: bool, form: str = "") -> tuple[int, ...]:
    """The nodes a mention at ``span`` stands for (``form``: the name it matched, ball valve in ball valves; the
    span's text by default): its own, then what its name also names. A product named with
    its grade (电池级碳酸锂) is the product without it; a material named with the form it is delivered in
    (铝合金锭) is that material, as work named with 服务 or 业务 (仓储服务) is that work, listed without the
    word; and, for a mention that may be asked for (``asked``), what the words around it name with a word set
    into them (:func:`_gapped_nodes`)."""
    s, e = span
    form = form or t[s:e]
    nodes = lk.nodes_of(form)
    for a, b, kind in specs:
        if kind == "grade" and a == s and b < e and form[b - s:] in lk.forms_:
            nodes = (*nodes, *lk.nodes_of(form[b - s:]))
    stem = next((form[: -len(w)] for w in (*FORMS, *ASKED_AS) if form.endswith(w) and len(form) - len(w) >= 2), "")
    if stem in lk.forms_:
        nodes = (*nodes, *lk.nodes_of(stem))
    if asked:
        nodes = (*nodes, *_gapped_nodes(lk, G, t, span, nodes, zone, fill))
    return tuple(dict.fromkeys(nodes))


def _gapped_nodes(lk: NodeLinker, G: ChainGraph, t: str, span: tuple[int, int], nodes: tuple[int, ...],
                 zone: list[str], fill: list[tuple[int, int]]) -> list[int]:
    """Nodes that the words around a mention at ``span`` (of ``nodes``) name with a word set into them
    (锌铝合金 → 锌合金, 水处理药剂 → 水处理剂), looked for up to 3 characters either side within the same
    zone and run of Chinese, never across filler. Left out: names in the text themselves, names ending in a
    word that names no product (图书(印刷)业务), and names spelled by the mention's own name alone that the
    chain graph does not relate to it (电子雷管 is a name of its own, and no 电子管)."""
    s, e = span
    inside = zone[s]

    def ok(k: int) -> bool:
        return "\u3400" <= t[k] <= "\u9fff" and zone[k] == inside and not any(a <= k < b for a, b in fill)

    lo, hi = s, e
    while lo > 0 and s - lo < 3 and ok(lo - 1):
        lo -= 1
    while hi < len(t) and hi - e < 3 and ok(hi):
        hi += 1
    own_name: dict[int, bool] = {}
    for f, i, j in lk.gapped(t, lo, hi, span):
        if f not in t and not any(f.endswith(w) for w in EMPTY_HEADS):
            for n in lk.nodes_of(f):
                own_name[n] = own_name.get(n, True) and s <= i and j <= e
    return [n for n, own in own_name.items() if not own or _akin(G, n, nodes)]


def _akin(G: ChainGraph, node: int, nodes: tuple[int, ...]) -> bool:
    """Whether the chain graph relates ``node`` to one of ``nodes``: a kind of it, or sharing an input or a use."""
    near = {node, *G.broader(node).tolist(), *G.narrower(node).tolist()}
    ends = {*G.inputs(node).tolist(), *G.outputs(node).tolist()}
    return any(m in near or ends & {*G.inputs(m).tolist(), *G.outputs(m).tolist()} for m in nodes)
