"""A need text cut into clauses: at sentence and clause punctuation outside brackets, each with the punctuation that
ended it (read by :mod:`matching.clauses`, which gives every clause its zones)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["DASH", "LEADS_IN", "NUMBERING", "Clause", "split_chat", "split_clauses", "strip_span"]

# hard clause ends outside brackets; NFKC has already turned ，：；！？ into , : ; ! ?
_CLAUSE_END = set(",;:!?。\n\r|【】[]\u2014")
# what ends a clause that the next one spells out (采购内容：…, 求购户外广告资源——高铁站灯箱、LED大屏)
DASH = "\u2014"
LEADS_IN = (":", DASH)
_OPEN, _CLOSE = "(（《「『[", ")）》」』]"
# list numbering: 1. 2、 一、 (3) ④
NUMBERING = re.compile(r"(?:\d{1,2}[.)、]|[一二三四五六七八九十]+[、.]|[(（]\d{1,2}[)）]|[\u2460-\u2473])\s*")
# a chat line's phrases are spaced, not punctuated (要EPS泡沫 就是保丽龙 开模定做 佛山附近优先)
_CHAT_PHRASE = re.compile(r"(?<=[\u3400-\u9fff]) +(?=[\u3400-\u9fff])")


@dataclass(frozen=True)
class Clause:
    """``text[start:end]`` with the punctuation that ended it (``""`` at the end of the text)."""

    start: int
    end: int
    stop: str


def split_clauses(text: str) -> list[Clause]:
    """Clauses of ``text``, split at clause punctuation that is not inside brackets."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in _OPEN and ch != "[":
            depth += 1
        elif ch in _CLOSE and ch != "]":
            depth = max(0, depth - 1)
        elif ch in _CLAUSE_END and depth == 0 and (ch != DASH or not _linking_dash(text, i)):
            if text[start:i].strip():
                out.append(Clause(start, i, ch))
            start = i + 1
    if text[start:].strip():
        out.append(Clause(start, len(text), ""))
    return out


def split_chat(text: str, clauses: list[Clause], is_condition: Callable[[str], bool]) -> list[Clause]:
    """Clauses with each spaced phrase of a chat line that states a condition (佛山附近优先) cut off as a clause of
    its own: a condition speaks for its phrase only, not for the goods asked for in the phrases beside it. The other
    phrases stay together, so a want verb still reaches its goods across a space (求购 聚氯乙烯树脂)."""
    out = []
    for c in clauses:
        cuts = [c.start, *(m.end() for m in _CHAT_PHRASE.finditer(text, c.start, c.end)), c.end]
        if len(cuts) == 2:
            out.append(c)
            continue
        parts = [(a, b, is_condition(text[a:b].strip())) for a, b in zip(cuts, cuts[1:], strict=False)]
        if all(cond for *_, cond in parts) or not any(cond for *_, cond in parts):
            out.append(c)
            continue
        start = c.start
        for i, (_, b, cond) in enumerate(parts):
            last = i == len(parts) - 1
            if cond or last or parts[i + 1][2]:
                out.append(Clause(start, b, c.stop if last else " "))
                start = b
    return out


def _linking_dash(text: str, i: int) -> bool:
    """设计—制作—安装: a single dash in a chain of short words links them, it ends no clause (一体化 of three works);
    so does one between numbers (2025—2026)."""
    if text[i - 1:i] == DASH or text[i + 1:i + 2] == DASH:
        return False
    if text[i - 1:i].isdigit() and text[i + 1:i + 2].isdigit():
        return True  # 2025—2026年度: a range of numbers
    return DASH in text[i + 2:i + 5] or DASH in text[max(0, i - 4):i - 1]


def strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    """Trim spaces, list numbering (1. 一、 ·) and bullets from both ends of a span."""
    while s < e and (text[s].isspace() or text[s] in "·•-*#"):
        s += 1
    m = NUMBERING.match(text, s, e)
    if m:
        s = m.end()
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e
