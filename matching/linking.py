"""Find the chain nodes a free text mentions: exact surface forms first, fuzzy for near misses.

The longest hit is not always the right one. Product names include ordinary words (计划, 交通), short
names hide inside longer words (AP in APP), and filler (供应商) can hide a node (原材料供应). So a
mention must not cut through a filler word or a Latin word, a mention inside a longer mention only
counts when nothing longer covers it, and each mention is weighed by how specific it is (rare in
general Chinese, long) and where it sits (the head of a Chinese noun phrase is its last part).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from graph import ChainGraph
from matching.analyzer import ChineseAnalyzer, normalize

__all__ = ["Link", "NodeLinker"]

_LATIN = re.compile(r"[a-z0-9]")
_CONTENT = re.compile(r"[a-z0-9]+|[\u3400-\u9fff]+")
_HAN = re.compile(r"[\u3400-\u9fff]+")
# an English name of three letters or more, and the plural ending it may take in a text (valves, boxes)
_WORDS = re.compile(r"[a-z][a-z0-9 \-]*[a-z]{2}")
_PLURAL = re.compile(r"(?:e?s)(?![a-z0-9])")
# a form read with characters left out is 3 to 8 characters long: shorter ones are met by accident
_GAPPED_MIN, _GAPPED_MAX = 3, 8
# words a listed name may end in that a buyer leaves out, with the shortest stem left (外延片销售, 外轮代理业务)
_DROPPED = (("销售", 3), ("业务", 4))


@dataclass(frozen=True)
class Link:
    """A node found in a text: ``how`` is "exact" or "fuzzy"; ``form`` the text that matched."""

    node: int
    weight: float
    form: str
    how: str = "exact"


def _lcs(a: str, b: str) -> int:
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b):
            cur.append(prev[j] + 1 if ca == cb else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def _spells(stretch: str, form: str) -> bool:
    """``form`` is ``stretch`` with some characters left out (a subsequence of it)."""
    chars = iter(stretch)
    return all(c in chars for c in form)


def _segments(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Content runs of ``text`` (CJK or Latin) with the filler spans cut out."""
    out = []
    for m in _CONTENT.finditer(text):
        start = m.start()
        for s, e in spans:
            if s >= m.end() or e <= start:
                continue
            if s > start:
                out.append((start, s))
            start = max(start, e)
        if start < m.end():
            out.append((start, m.end()))
    return out


class NodeLinker:
    """Link need texts and product names to node indices of a :class:`ChainGraph`.

    Parameters
    ----------
    keep_ratio : drop need mentions weighing less than this fraction of the best one.
    general_scale : general-language frequency at which a mention's weight halves (roughly).
    modifier_weight : weight of a mention that is not the head (last part) of its phrase.
    fuzzy_threshold : minimum LCS ratio ``2·lcs/(|a|+|b|)`` for a fuzzy link.
    fuzzy_max_postings : bigrams shared by more forms than this are too common to retrieve with.
    """

    def __init__(
        self,
        *,
        keep_ratio: float = 0.35,
        general_scale: float = 500.0,
        modifier_weight: float = 0.6,
        fuzzy_threshold: float = 0.75,
        fuzzy_max_postings: int = 3000,
    ) -> None:
        self.keep_ratio = keep_ratio
        self.general_scale = general_scale
        self.modifier_weight = modifier_weight
        self.fuzzy_threshold = fuzzy_threshold
        self.fuzzy_max_postings = fuzzy_max_postings

    def fit(
        self, graph: ChainGraph, analyzer: ChineseAnalyzer, aliases: Iterable[tuple[str, str]] = ()
    ) -> NodeLinker:
        """Learn the surface forms of ``graph`` (names and its own aliases) plus ``aliases``.

        ``aliases`` are ``(alias, node name)`` pairs (see :mod:`matching.aliases`); pairs naming a node
        the graph lacks are skipped. An alias may name several nodes (IGBT: 半导体器件 and 功率半导体器件);
        when the alias is itself a node name it keeps its own node and adds the others as synonyms
        (热轧板卷 = 热轧卷板). Text mentions link to all of them; listed products to the first only.
        """
        self.analyzer_ = analyzer
        forms: dict[str, int] = {}
        for form, node in graph.surface_forms().items():
            f = normalize(form).strip()
            # a real name keeps its own node when an alias normalises to the same string
            if f and (f not in forms or graph.index_.get(form) == node):
                forms[f] = node
        # a product firms list with 销售 or 业务 after it (外延片销售) is written without it too, unless that is a name
        self.derived_: dict[str, int] = {}
        for f, node in forms.items():
            for word, shortest in _DROPPED:
                stem = f[: -len(word)]
                if f.endswith(word) and len(stem) >= shortest and _HAN.fullmatch(stem) and stem[-1] not in "与和及的" \
                        and stem not in forms:
                    self.derived_[stem] = node
        forms.update(self.derived_)
        self.base_forms_ = dict(forms)
        self.forms_ = forms
        self.also_: dict[str, tuple[int, ...]] = {}
        self.alias_forms_: set[str] = set()
        self.alias_targets_: dict[str, tuple[int, ...]] = {}
        self.prefixes_: set[str] = set()
        self.grams_: dict[str, list[str]] = {}
        self.ends_: dict[str, dict[str, list[str]]] = {}  # first character -> last character -> forms
        self.maxlen_ = 0
        for f in forms:
            self._index_form(f)
        self.update_aliases(graph, aliases)
        self.names_ = graph.names_
        return self

    def update_aliases(self, graph: ChainGraph, aliases: Iterable[tuple[str, str]]) -> set[str]:
        """Take ``aliases`` as the whole alias list from now on; returns the (normalised) forms whose nodes
        changed, so a caller can re-read only the texts that contain them."""
        new: dict[str, list[int]] = {}
        for alias, name in aliases:
            target, f = graph.lookup(name), normalize(alias).strip()
            if target is not None and f and target not in new.setdefault(f, []):
                new[f].append(target)
        # two Chinese node names the list pairs one to one are one product under two names, so synonyms both
        # ways: a need may write either (电石 = 碳化钙). A name that several other names point to is a category
        # they are sold under (芯片, 电缆), and an abbreviation (IC) may stand for more than the full name says:
        # naming the category or the full name does not ask for each of them.
        pairs = [(f, self.base_forms_[f], nodes[0]) for f, nodes in new.items()
                 if f in self.base_forms_ and len(nodes) == 1 and not _LATIN.match(f)]
        pointing = Counter(target for _, _, target in pairs)
        for f, named, target in pairs:
            back = normalize(graph.names_[target]).strip()
            # a name ending in the other's (工业机器人 → 机器人) is a narrower kind, not another name
            if pointing[target] == 1 and not f.endswith(back) and self.base_forms_.get(back) == target:
                back_nodes = new.setdefault(back, [])
                if named not in back_nodes:
                    back_nodes.append(named)
        targets = {f: tuple(v) for f, v in new.items() if v}
        changed = {f for f in self.alias_targets_.keys() | targets.keys()
                   if self.alias_targets_.get(f) != targets.get(f)}
        for f in changed:
            base, nodes = self.base_forms_.get(f), targets.get(f, ())
            if f in self.derived_ and nodes:
                base = None  # the list's word for a form outranks a listed name with 销售 dropped
            if base is None and not nodes:  # an alias that is gone, and no node's name
                del self.forms_[f]
                self.also_.pop(f, None)
                self.alias_forms_.discard(f)
                for i in range(len(f) - 1):
                    self.grams_[f[i : i + 2]].remove(f)
                continue
            first = base if base is not None else nodes[0]
            if f not in self.forms_:
                self.forms_[f] = first
                self._index_form(f)
            self.forms_[f] = first
            if base is None:
                self.alias_forms_.add(f)
            also = tuple(n for n in nodes if n != first)
            if also:
                self.also_[f] = also
            else:
                self.also_.pop(f, None)
        self.alias_targets_ = targets
        return changed

    def _index_form(self, f: str) -> None:
        """Prefixes and bigram postings of a new surface form (a form removed later leaves its prefixes:
        they only cost a failed lookup)."""
        self.prefixes_.update(f[:k] for k in range(1, len(f)))
        self.maxlen_ = max(self.maxlen_, len(f))
        for i in range(len(f) - 1):
            self.grams_.setdefault(f[i : i + 2], []).append(f)
        if _GAPPED_MIN <= len(f) <= _GAPPED_MAX and _HAN.fullmatch(f) and f not in self.derived_:
            self.ends_.setdefault(f[0], {}).setdefault(f[-1], []).append(f)

    def nodes_of(self, form: str) -> tuple[int, ...]:
        """Every node a surface form stands for: its own first, then synonyms from the aliases."""
        node = self.forms_.get(form)
        if node is None:
            return ()
        return (node, *self.also_.get(form, ()))

    def synonyms_of(self, node: int) -> tuple[int, ...]:
        """The further nodes the alias list gives a node's own name (热轧板卷 = 热轧卷板)."""
        return self.nodes_of(normalize(self.names_[node]).strip())[1:]

    def gapped(self, text: str, lo: int, hi: int, within: tuple[int, int],
               max_gap: int = 2) -> list[tuple[str, int, int]]:
        """Forms that a stretch of ``text[lo:hi]`` overlapping ``within`` spells with 1..``max_gap`` inner
        characters left out, first and last characters kept: a compound with a word set into it names the
        compound without it (锌铝合金 is a 锌合金, 漆包圆铜线 a 漆包线, 水处理药剂 a 水处理剂). Each as
        ``(form, start, end)`` of the stretch that spells it."""
        out: list[tuple[str, int, int]] = []
        forms = self.forms_
        for i in range(lo, within[1]):
            by_last = self.ends_.get(text[i])
            if by_last is None:
                continue
            for j in range(max(i + _GAPPED_MIN + 1, within[0] + 1), min(hi, i + _GAPPED_MAX + max_gap) + 1):
                for f in by_last.get(text[j - 1], ()):
                    if j - i - max_gap <= len(f) < j - i and f in forms and f not in self.alias_forms_ \
                            and _spells(text[i:j], f):
                        out.append((f, i, j))
        return out

    # ---- raw matching ------------------------------------------------------------------------
    def _hits(self, text: str) -> list[tuple[int, int, str]]:
        """Every (start, end, form) occurrence, respecting Latin word boundaries."""
        out = []
        forms, prefixes, n = self.forms_, self.prefixes_, len(text)
        for i in range(n):
            if i > 0 and _LATIN.match(text[i]) and _LATIN.match(text[i - 1]):
                continue
            j = i + 1
            while j <= n:
                frag = text[i:j]
                if frag in forms:
                    if not (j < n and _LATIN.match(text[j]) and _LATIN.match(text[j - 1])):
                        out.append((i, j, frag))
                    elif (plural := _PLURAL.match(text, j)) and frag[-1].isalpha() and _WORDS.fullmatch(frag):
                        out.append((i, plural.end(), frag))  # ball valves: the English name in the plural
                if frag not in prefixes:
                    break
                j += 1
        return out

    @staticmethod
    def _maximal(hits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """Hits not strictly inside another hit (overlapping partial hits both survive)."""
        return [
            h for h in hits
            if not any(o[0] <= h[0] and h[1] <= o[1] and (o[1] - o[0]) > (h[1] - h[0]) for o in hits)
        ]

    def _specificity(self, form: str) -> float:
        gen = self.analyzer_.general_frequency(form)
        length = min(1.0, (len(form) + 1) / 4) if not _LATIN.match(form) else 1.0
        return length / (1.0 + math.log1p(gen / self.general_scale))

    # ---- needs --------------------------------------------------------------------------------
    def _filler_spans(self, text: str) -> list[tuple[int, int]]:
        spans, pos = [], 0
        filler = self.analyzer_.filler
        for tok in self.analyzer_.cut(text):
            if tok in filler and len(tok) > 1:
                spans.append((pos, pos + len(tok)))
            pos += len(tok)
        return spans

    def link_need(self, text: str, *, respect_filler: bool = True) -> list[Link]:
        """Nodes a need text asks about, weighted (best = 1.0); empty when nothing is found."""
        t = normalize(text)
        spans = self._filler_spans(t) if respect_filler else []

        def clear(h: tuple[int, int, str]) -> bool:
            return not any(h[0] < e and s < h[1] for s, e in spans)

        hits = self._maximal([h for h in self._hits(t) if clear(h)])
        content = _segments(t, spans)
        if len(hits) > 1:  # a lone character is a node only when nothing better is in the text
            hits = [h for h in hits if len(h[2]) > 1] or hits
        scored: dict[int, Link] = {}
        for _s, e, form in hits:
            # the head of a Chinese noun phrase is its end: a mention followed directly by more
            # content of the same run is a modifier (锂电池 in 锂电池隔膜)
            is_head = e >= len(t) or not _CONTENT.match(t[e]) or not clear((e, e + 1, ""))
            w = self._specificity(form) * (1.0 if is_head else self.modifier_weight)
            node = self.forms_[form]
            if node not in scored or scored[node].weight < w:
                scored[node] = Link(node, w, form)
        covered = [(s, e) for s, e, _ in hits]
        for cs, ce in content:  # runs no exact mention touches: try fuzzy
            run = t[cs:ce]
            # Latin words and two-character words are too short to guess at
            if len(run) >= 3 and not _LATIN.match(run) and not any(s < ce and cs < e for s, e in covered):
                for link in self.fuzzy(run):
                    if link.node not in scored:
                        scored[link.node] = link
        return self._normalise(list(scored.values()))

    def _normalise(self, links: list[Link]) -> list[Link]:
        if not links:
            return []
        best = max(lk.weight for lk in links)
        kept = [Link(lk.node, lk.weight / best, lk.form, lk.how) for lk in links if lk.weight >= self.keep_ratio * best]
        return sorted(kept, key=lambda lk: -lk.weight)

    def fuzzy(self, word: str, limit: int = 1) -> list[Link]:
        """Closest forms to ``word`` by LCS ratio, above ``fuzzy_threshold``."""
        counts: Counter[str] = Counter()
        for i in range(len(word) - 1):
            post = self.grams_.get(word[i : i + 2], ())
            if len(post) <= self.fuzzy_max_postings:
                counts.update(post)
        best: list[tuple[float, str]] = []
        for form, _shared in counts.most_common(50):
            ratio = 2.0 * _lcs(word, form) / (len(word) + len(form))
            if ratio >= self.fuzzy_threshold:
                best.append((ratio, form))
        best.sort(key=lambda x: (-x[0], len(x[1])))
        return [Link(self.forms_[f], r * self._specificity(f), f, "fuzzy") for r, f in best[:limit]]

    # ---- enterprise products -----------------------------------------------------------------
    def link_product(
        self, product: str, *, contained_weight: float = 0.3, also_contained: bool = False
    ) -> list[tuple[int, float]]:
        """Nodes a listed product stands for: itself when it is a node, else the nodes it contains.

        Contained nodes are weaker evidence (锂电池隔膜 is a kind of 隔膜, not a 锂电池), so the
        head gets ``contained_weight`` and modifiers half of it. ``also_contained`` adds them even
        when the product is itself a node (useful when that node has no edges).
        """
        p = normalize(product).strip()
        exact = self.forms_.get(p)
        out: dict[int, float] = {}
        if exact is not None:
            out[exact] = 1.0
            if not also_contained:
                return [(exact, 1.0)]
        hits = self._maximal([h for h in self._hits(p) if len(h[2]) > 1 and h[2] != p])
        last_end = max((e for _, e, _ in hits), default=-1)
        for _s, e, form in hits:
            w = contained_weight * (1.0 if e == last_end else 0.5)
            node = self.forms_[form]
            out[node] = max(out.get(node, 0.0), w)
        return list(out.items())
