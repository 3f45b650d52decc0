"""Mentions a need names by the way, set aside by where they stand: a gloss in brackets after a product, the
category column of a catalogue entry, and the poster's own product named again among the goods."""

from __future__ import annotations

from collections.abc import Sequence

from matching.phrases import EMPTY_HEADS, Hit, is_latin

__all__ = ["category_columns", "drop_glosses", "own_products"]

_COLUMN_ENDS = "|\n:"  # what bounds a column of a catalogue entry or a form field (text is NFKC: ｜ is |); not a comma


def drop_glosses(t: str, wanted: list[Hit], names: Sequence[str]) -> list[Hit]:
    """己二酸（AA）, 白羽肉鸡（AA+、罗斯308）: Latin letters first in brackets after a wanted product gloss it; alone
    they name what else they stand for (AA), so they are asked for only where they name it or a name within its own
    (无水氟化氢（AHF）: 氟化氢)."""
    def akin(a: Hit, b: Hit) -> bool:
        return any(x in y or y in x for x in (names[n] for n in a.nodes) for y in (names[n] for n in b.nodes))

    def glosses(p: Hit, h: Hit) -> bool:  # h stands inside the brackets opened right after p
        opened = t.find("(", p.end, h.start)
        return opened >= 0 and not t[p.end:opened].strip() and ")" not in t[opened:h.start]

    for h in wanted:
        # hardshell jacket（硬壳冲锋衣）: Chinese in brackets after an English name says it in the data's words
        if h.in_paren and not is_latin(h.form) and any(is_latin(p.form) and glosses(p, h) for p in wanted):
            h.in_paren = False
    out = []
    for h in wanted:
        if is_latin(h.form) and h.in_paren and any(
                p is not h and p.nodes and t[p.end : h.start].strip() == "(" and not akin(p, h) for p in wanted):
            h.role, h.note = "context", "简称"
            continue
        out.append(h)
    return out


def category_columns(t: str, hits: list[Hit]) -> None:
    """Category names (服装类, 化工类) that fill a column of their own (服装类｜…, 需求类别：化工类｜…): the catalogue's
    classification of the entry, not what it asks for, when the entry names a product of its own."""
    def whole(h: Hit) -> bool:
        before = max(t.rfind(c, 0, h.start) for c in _COLUMN_ENDS)
        after = min((i for i in (t.find(c, h.end) for c in _COLUMN_ENDS) if i >= 0), default=len(t))
        return not t[before + 1 : h.start].strip() and not t[h.end : after].strip()

    columns = [h for h in hits if len(h.form) >= 3 and h.form.endswith("类") and whole(h)]
    if columns and any(h.role == "head" and h.nodes and h not in columns for h in hits):
        for h in columns:
            h.role, h.zone, h.note = "context", "context", "类别"


def own_products(hits: list[Hit], wanted: list[Hit]) -> tuple[list[Hit], list[Hit]]:
    """The mentions of the poster's own products, and ``wanted`` without those that name nothing else.

    A modifier ending in an own product's name names it too (交付至我司…组件工厂 with 光伏组件用…). A wanted mention
    of nothing but the poster's own products, beside other goods (我公司是电动自行车生产企业，采购电动自行车电池和电动
    自行车控制器), says what those goods are for (a modifier): its makers are the poster's peers. Alone it stays
    wanted (a brand having its own product made: 我司为女装品牌，寻找女装代工厂)."""
    own = [h for h in hits if h.role == "own" and h.form not in EMPTY_HEADS]
    for h in hits:
        if h.role == "modifier" and not is_latin(h.form) and any(
                o.form != h.form and h.form.endswith(o.form) for o in own):
            h.role = "own"
            own.append(h)
    own_nodes = {n for o in own for n in o.nodes}
    theirs = [h for h in wanted if h.nodes and set(h.nodes) <= own_nodes]
    if not theirs or len(theirs) == len(wanted):
        return own, wanted
    for h in theirs:
        h.role = "modifier"
    return own, [h for h in wanted if h not in theirs]
