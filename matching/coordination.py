"""Coordinations that share a head written once: 压力、温度传感器 asks for 压力传感器 and 温度传感器.

Chinese elides the common part of coordinated nouns: 高、低压开关柜 (高压开关柜 and 低压开关柜), 单相、三相智能
电能表, 活性、分散染料. The conjunct before 、 is then a short stem that names no product of its own, or names one
only by accident (压力, 活性 are node names too). Read as written, only the last conjunct is a product, and the
stem is either lost or linked to the wrong thing.
"""

from __future__ import annotations

from matching.linking import NodeLinker
from matching.phrases import Hit

__all__ = ["elide_heads"]

_STEM_MAX = 3  # a stem is a short modifier (高, 单相, 压力); a longer conjunct is a product of its own
_SHARED_MIN = 2  # the shared part is a word at least (传感器, 染料), not a character (电机、变频器 shares 器)


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


def elide_heads(t: str, hits: list[Hit], zone: list[str], linker: NodeLinker) -> list[Hit]:
    """``hits`` with the stem before each ``X、Y…H`` read as ``X…H``: the stem takes the place of the last
    conjunct's first characters (高 + 压开关柜). The composed name is used when it is a product; when it is not
    and the stem linked to nothing (单相智能电能表), the stem stands for the shared part's product (智能电能表). A
    stem that is a product name itself is replaced only by a composed product name (压力 → 压力传感器)."""
    lk = linker
    out = sorted(hits, key=lambda h: (h.start, h.end))
    i = len(out) - 1
    while i >= 0:
        last = out[i]
        i -= 1
        a = last.start - 1
        if a < 1 or t[a] != "、" or last.how == "fuzzy":
            continue
        s = a
        while s > 0 and _is_han(t[s - 1]) and zone[s - 1] == zone[a - 1]:
            s -= 1
        stem = t[s:a]
        if s > 0 and (t[s - 1].isdigit() or t[s - 1].isascii() and t[s - 1].isalpha()):
            continue  # a measure word after a number (约3000樘、整体橱柜) is no stem
        if not stem or len(stem) > _STEM_MAX or len(last.form) - len(stem) < _SHARED_MIN or not _is_han(last.form[0]):
            continue
        inside = [h for h in out if s <= h.start and h.end <= a]
        if any(h.start < s < h.end or h.start < a < h.end for h in out):
            continue  # the stem is part of a longer mention
        composed = stem + last.form[len(stem):]
        nodes = lk.nodes_of(composed) if composed in lk.forms_ else ()
        if not nodes and not inside:
            shared = last.form[len(stem):]
            # the shared part, or without the character the stem's own word took (中、低压开关柜: 压开关柜 → 开关柜)
            nodes = next((lk.nodes_of(shared[k:]) for k in (0, 1) if len(shared) - k >= _SHARED_MIN
                          and shared[k:] in lk.forms_), ())
        if not nodes:
            continue
        gone = {id(h) for h in inside}
        new = Hit(s, a, composed, tuple(nodes), "exact", zone[s])
        out = sorted([h for h in out if id(h) not in gone] + [new], key=lambda h: (h.start, h.end))
        i = next(k for k, h in enumerate(out) if h is new)  # it may be the last conjunct of a stem before it
    return out
