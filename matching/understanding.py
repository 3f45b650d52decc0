"""Need understanding: which products a need text asks for, and which mentions are only context.

People do not write needs as product lists. "寻找动力电池隔膜供应商" wants 隔膜; 动力电池 only says what it
is for. "采购光伏玻璃，用于组件封装" names a purpose. "我司为整车企业，现需采购转向节" names the poster's own
products, whose makers are its peers, not its suppliers. "IATF16949、500吨、交付至济南" name no product.

:class:`NeedReader` reads a text in three steps:

1. zones (:mod:`matching.clauses`): where each character sits — the object of a want verb, a title,
   a purpose, the poster's self-description, conditions or delivery terms;
2. mentions (the :class:`~matching.linking.NodeLinker`'s surface forms, aliases included), minus any that
   overlap a specification (:mod:`matching.spec`) or name a measured property (水分≤14%);
3. phrases: inside the wanted zones, the last mention of a noun phrase is its head and is wanted; the
   mentions before it modify it (动力电池|隔膜). The chain graph says how a modifier relates to its head
   (隔膜 is an input of 动力电池), which is reported, never needed.

The result, :class:`Understanding`, is plain data a caller can show back to the poster.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from graph import ChainGraph
from matching.analyzer import normalize
from matching.asides import category_columns, drop_glosses, own_products
from matching.clauses import zones
from matching.coordination import elide_heads
from matching.linking import NodeLinker
from matching.named_kinds import named_kinds
from matching.parties import MAKING, names_partner, names_poster, names_welcomed
from matching.phrases import (
    CLASS_HEADS,
    EMPTY_HEADS,
    FORMS,
    SAME_WRAPPERS,
    SEPARATORS,
    WRAPPERS,
    Hit,
    choose_wanted,
    compose_equipment,
    in_parens,
    is_latin,
    mark_heads,
    named_nodes,
    off_empty_words,
    runs,
    stem_nodes,
)
from matching.spec import PROPERTY_WORDS, merged, spec_spans
from matching.terms import NeedTerms, need_terms

__all__ = ["ROLES", "Mention", "NeedReader", "Understanding"]

ROLES = ("wanted", "modifier", "purpose", "own", "context", "removed")

_COMPARATOR = re.compile(r"\s*[≥≤<>±=]")
_DIGIT = re.compile(r"\d")
_ZONE_WEIGHT = {"object": 1.0, "title": 1.0, "detail": 0.5}
_PAREN_WEIGHT = 0.6  # a mention in brackets glosses or details the one before it
_FUZZY_WEIGHT = 0.6
# the share of a wanted mention's weight that a common word keeps (认证, 平台 beside a product; docs/benchmarks.md)
_SPECIFIC_FLOOR = 0.3
_SET_ASIDE = {"purpose": "purpose", "material": "purpose", "own": "own", "modifier": "modifier",
              "require": "ignored", "deliver": "ignored"}


@dataclass(frozen=True)
class Mention:
    """A product named in the text: ``words`` as written, the ``nodes`` it stands for (names), its role.

    ``weight`` (0..1) is how surely it is wanted (only for wanted mentions), ``how`` "exact", "alias" or
    "fuzzy". ``synonyms`` are further nodes the alias list gives a node name (热轧板卷 = 热轧卷板);
    ``broader`` names nodes the mention is a kind of by its name (铝电解电容器 → 电容器), which a ranker
    may fall back to. ``note`` says why a mention was set aside, in words a poster reads.
    """

    words: str
    nodes: tuple[str, ...]
    role: str
    weight: float = 0.0
    how: str = "exact"
    start: int = 0
    end: int = 0
    synonyms: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    note: str = ""
    node_ids: tuple[int, ...] = field(default=(), compare=False, repr=False)
    synonym_ids: tuple[int, ...] = field(default=(), compare=False, repr=False)
    broader_ids: tuple[int, ...] = field(default=(), compare=False, repr=False)

    def as_dict(self) -> dict:
        out: dict = {"words": self.words, "nodes": list(self.nodes)}
        if self.synonyms:
            out["synonyms"] = list(self.synonyms)
        if self.role == "wanted":
            out["weight"] = round(self.weight, 3)
            out["how"] = self.how
            if self.broader:
                out["broader"] = list(self.broader)
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class Understanding:
    """What a need text asks for (``wanted``) and what was set aside, and why.

    ``modifiers`` qualify a wanted product (动力电池 in 动力电池隔膜); ``purposes`` say what it is for
    (用于组件封装); ``own`` are the poster's own products (我司为整车企业); ``context`` are other mentions,
    too loosely placed to be wanted; ``ignored`` are specifications, grades, quantities, standards and
    terms that never link to products; ``words`` are the content words the text evidence uses.
    """

    wanted: tuple[Mention, ...] = ()
    modifiers: tuple[Mention, ...] = ()
    purposes: tuple[Mention, ...] = ()
    own: tuple[Mention, ...] = ()
    context: tuple[Mention, ...] = ()
    ignored: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    terms: NeedTerms = field(default_factory=NeedTerms)
    removed: tuple[Mention, ...] = ()

    def as_dict(self) -> dict:
        """Plain JSON: lists of mentions (``as_dict`` each) and of strings."""
        return {
            "wanted": [m.as_dict() for m in self.wanted],
            "modifiers": [m.as_dict() for m in self.modifiers],
            "purposes": [m.as_dict() for m in self.purposes],
            "own_products": [m.as_dict() for m in self.own],
            "context": [m.as_dict() for m in self.context],
            "removed": [m.as_dict() for m in self.removed],
            "ignored": list(self.ignored),
            **self.terms.as_dict(),
        }

    def without(self, nodes: set[int]) -> Understanding:
        """The reading as the poster corrected it: wanted mentions of ``nodes`` (their own node, or a synonym)
        are set aside as ``removed``; a mention keeps the nodes it names that were not removed."""
        if not nodes:
            return self
        keep, gone = [], list(self.removed)
        for m in self.wanted:
            own = tuple(n for n in m.node_ids if n not in nodes)
            if not own:
                gone.append(replace(m, role="removed", note="需求方已移除"))
                continue
            kept = [i for i, n in enumerate(m.node_ids) if n not in nodes]
            syn = [i for i, n in enumerate(m.synonym_ids) if n not in nodes]
            keep.append(replace(m, nodes=tuple(m.nodes[i] for i in kept), node_ids=own,
                                synonyms=tuple(m.synonyms[i] for i in syn),
                                synonym_ids=tuple(m.synonym_ids[i] for i in syn)))
        dropped = gone[len(self.removed):]
        words = tuple(w for w in self.words if not any(w in m.words for m in dropped))
        return replace(self, wanted=tuple(keep), removed=tuple(gone), words=words)

    @property
    def own_ids(self) -> set[int]:
        """Nodes of the poster's own products, and what their names are kinds of."""
        return {n for m in self.own for n in (*m.node_ids, *m.synonym_ids, *m.broader_ids)}

    @property
    def aside_ids(self) -> set[int]:
        """Nodes of modifiers and purposes: products the wanted one goes into, or is used with."""
        return {n for m in (*self.modifiers, *self.purposes) for n in (*m.node_ids, *m.synonym_ids)}


class NeedReader:
    """Read need texts into :class:`Understanding` (fit on a fitted :class:`NodeLinker` and its graph).

    Parameters
    ----------
    context_weight : weight of mentions outside the wanted zones, used only when nothing is wanted there.
    keep_ratio : wanted mentions weighing less than this fraction of the best one are dropped.
    """

    def __init__(self, *, context_weight: float = 0.5, keep_ratio: float = 0.3) -> None:
        self.context_weight = context_weight
        self.keep_ratio = keep_ratio

    def fit(self, linker: NodeLinker, graph: ChainGraph) -> NeedReader:
        self.linker_ = linker
        self.graph_ = graph
        self.analyzer_ = linker.analyzer_
        return self

    # ---- mentions --------------------------------------------------------------------------------
    def _mentions(self, t: str, zone: list[str], boundaries: set[int], fill: list[tuple[int, int]],
                  specs: list[tuple[int, int, str]]) -> tuple[list[Hit], list[str]]:
        lk = self.linker_
        # a name that starts with a symbol (%硫酸 in the data) is noise that would hide the name inside it
        hits = [h for h in lk._hits(t) if h[2][:1].isalnum() and not any(h[0] < e and s < h[1] for s, e in fill)]
        # a Chinese mention cutting a word at both ends is an accident (面包 in 表面包覆)
        hits = [h for h in hits if h[0] in boundaries or h[1] in boundaries or is_latin(h[2])]
        # a want verb or self-description marker is never part of a product (设备招标), unless a product
        # name starts with it (定制家具)
        hits = [h for h in hits if zone[h[1] - 1] not in ("verb", "marker")
                and not any(z in ("verb", "marker") for z in zone[h[0] + 1:h[1]] if zone[h[0]] != "verb")]
        hits = lk._maximal(off_empty_words(t, hits))
        if len(hits) > 1:  # a lone character is a product only when nothing better is there
            hits = [h for h in hits if len(h[2]) > 1] or hits
        out, ignored = [], []
        for s, e, form in hits:
            if self._is_spec(t, s, e, form, specs):
                ignored.append(form)
                specs.append((s, e, "property"))  # its words are no evidence either
                continue
            own_zones = [z for z in zone[s:e] if z != "verb"]
            # a mention across two zones in equal parts takes the first in the text: a set's order would
            # follow the process's string hashes, and two workers would read one text two ways
            z = max(dict.fromkeys(own_zones), key=own_zones.count)
            how = "alias" if form in lk.alias_forms_ else "exact"
            nodes = named_nodes(lk, self.graph_, t, (s, e), specs, zone, fill, asked=z not in _SET_ASIDE, form=form)
            out.append(Hit(s, e, form, nodes, how, z))
        exact_wanted = any(h.zone in _ZONE_WEIGHT for h in out)
        for s, e in runs(t, zone, fill, specs):  # no exact mention where the want is: try a near miss
            run = t[s:e]
            if len(run) >= 3 and not exact_wanted:
                for link in lk.fuzzy(run):
                    out.append(Hit(s, e, lk.names_[link.node], (link.node,), "fuzzy", zone[s]))
        out.sort(key=lambda h: (h.start, h.end))
        return out, ignored

    def _is_spec(self, t: str, s: int, e: int, form: str, specs: list[tuple[int, int, str]]) -> bool:
        """A mention that is a specification: inside a grade or certificate (电池 in 电池级), partly inside a
        number (μm in 9μm), or a property before its value (水分≤14%)."""
        for a, b, kind in specs:
            # a product name may hold a number (18650) or start with its grade (电池级碳酸锂), never be one
            covers = s <= a and b <= e and (kind == "number" or e - s > b - a)
            if a < e and s < b and not covers:
                return True
        if _COMPARATOR.match(t, e):
            return True
        return form in PROPERTY_WORDS and bool(_DIGIT.match(t[e:e + 1]))

    # ---- phrases ---------------------------------------------------------------------------------
    def _relation(self, modifier: Hit, head: Hit | None) -> str:
        """How the chain graph relates a modifier to the product it modifies, in words."""
        if head is None:
            return modifier.note or "修饰所需产品"
        G = self.graph_
        for m in modifier.nodes:
            around = {m, *G.broader(m).tolist(), *G.narrower(m).tolist()}
            ins = {i for a in around for i in G.inputs(a).tolist()}
            outs = {o for a in around for o in G.outputs(a).tolist()}
            for node in {n for h in head.nodes for n in (h, *G.broader(h).tolist())}:
                if node in ins:
                    return f"{head.form}是{modifier.form}的上游材料"
                if node in outs:
                    return f"{modifier.form}是{head.form}的上游材料"
        return f"修饰{head.form}"

    # ---- the reading -----------------------------------------------------------------------------
    def read(self, text: str) -> Understanding:
        """Understand one need text (see the module docstring)."""
        t = normalize(text)
        if not t.strip():
            return Understanding()
        boundaries, fill, pos = {0}, [], 0
        filler = self.analyzer_.filler
        for tok in self.analyzer_.cut(t):
            if tok in filler and len(tok) > 1:  # as NodeLinker does: filler words never hold a product
                fill.append((pos, pos + len(tok)))
            pos += len(tok)
            boundaries.add(pos)
        zone, clause_of = zones(t, boundaries)
        specs = spec_spans(t)
        hits, ignored = self._mentions(t, zone, boundaries, fill, specs)
        hits = elide_heads(t, hits, zone, self.linker_)
        for h in hits:
            if names_partner(t, h.start, h.end, clause_of):
                h.zone = "object"
                # 联合轴承制造企业: the mention took the firm word's 制造; the partner makes 轴承
                stem = next((h.form[:-2] for w in MAKING if h.form.endswith(w)), "")
                if len(stem) >= 2 and stem in self.linker_.forms_:
                    h.form, h.end, h.nodes = stem, h.end - 2, self.linker_.nodes_of(stem)
            elif names_welcomed(t, h.start, h.end):
                h.zone = "detail"
            elif h.zone in ("title", "object", "context") and names_poster(t, h.start, h.end, zone, clause_of):
                h.zone = "own"
            h.role = _SET_ASIDE.get(h.zone, "context")
            h.in_paren = in_parens(t, h.start)
            h.clause = clause_of[h.start]
        mark_heads(t, hits, zone, boundaries, fill, self.graph_.names_)
        compose_equipment(t, hits, self.linker_)
        category_columns(t, hits)
        wanted = drop_glosses(t, choose_wanted(hits), self.graph_.names_)
        for h in wanted:
            h.nodes = h.nodes + named_kinds(h, hits, self.linker_, self.graph_.names_)
        for h in hits:
            if h.role == "head":
                h.role = "context"
            if h.role == "modifier":
                h.note = self._relation(h, h.head)
        own, wanted = own_products(hits, wanted)
        ignored = [t[s:e].strip() for s, e in merged(specs)] + ignored
        ignored += [h.form for h in hits if h.role == "ignored"]
        return Understanding(
            wanted=tuple(self._wanted(wanted)),
            modifiers=tuple(self._mention(h) for h in hits if h.role == "modifier"),
            purposes=tuple(self._mention(h, note="用途") for h in hits if h.role == "purpose"),
            own=tuple(self._mention(h, note="需求方自身产品", heads=True) for h in own),
            context=tuple(self._mention(h) for h in hits if h.role == "context" and h.form not in EMPTY_HEADS),
            ignored=tuple(dict.fromkeys(x for x in ignored if x)),
            words=tuple(self._words(t, zone, hits, wanted, specs, fill)),
            terms=need_terms(t, specs),
        )

    def _wanted(self, hits: list[Hit]) -> list[Mention]:
        best: dict[tuple[int, ...], Mention] = {}
        spec = {id(h): self.linker_._specificity(h.form) for h in hits}
        top = max(spec.values(), default=1.0) or 1.0
        specific = any(h.form not in CLASS_HEADS for h in hits)
        for h in hits:
            specific_share = _SPECIFIC_FLOOR + (1 - _SPECIFIC_FLOOR) * spec[id(h)] / top
            w = _ZONE_WEIGHT.get(h.zone, self.context_weight) * specific_share * h.weight_factor
            if specific and h.form in CLASS_HEADS:
                w *= 0.5  # 制品 beside 白蛋白: a class word says little when a product is named
            w *= (_PAREN_WEIGHT if h.in_paren else 1.0) * (_FUZZY_WEIGHT if h.how == "fuzzy" else 1.0)
            m = self._mention(h, weight=w, heads=True)
            if h.nodes not in best or best[h.nodes].weight < w:
                best[h.nodes] = m
        top_w = max((m.weight for m in best.values()), default=1.0)
        out = [replace(m, weight=m.weight / top_w) for m in best.values() if m.weight >= self.keep_ratio * top_w]
        return sorted(out, key=lambda m: -m.weight)

    def _mention(self, h: Hit, *, weight: float = 0.0, note: str = "", heads: bool = False) -> Mention:
        names = self.graph_.names_
        # what a name is a kind of matters for wanted and own products only (and costs a word cut)
        broader = tuple(n for n in self.name_heads(h.form) if n not in h.nodes) if heads else ()
        # a node name keeps its own node first; what the alias list adds to it are synonyms. Another name of a node
        # means what the node's name means, so it brings the node's synonyms too (5G基站天线 → 基站天线 = 天线)
        own, syn = (h.nodes[:1], h.nodes[1:]) if h.how == "exact" else (h.nodes, tuple(dict.fromkeys(
            s for n in h.nodes for s in self.linker_.synonyms_of(n) if s not in h.nodes)))
        if heads:
            # 乘用车自动变速器总成 is a 乘用车自动变速器: the name without its packaging word is the same product
            same = tuple(dict.fromkeys(
                n for n in stem_nodes(self.linker_, h.form, SAME_WRAPPERS) if n not in h.nodes and n not in syn))
            syn, broader = syn + same, tuple(n for n in broader if n not in same)
        return Mention(
            words=h.form, nodes=tuple(names[n] for n in own), role=h.role, weight=weight, how=h.how,
            start=h.start, end=h.end, synonyms=tuple(names[n] for n in syn),
            broader=tuple(names[n] for n in broader), note=h.note or note,
            node_ids=own, synonym_ids=syn, broader_ids=broader,
        )

    def name_heads(self, form: str, depth: int = 2) -> list[int]:
        """Nodes that ``form`` is a kind of by its name, nearest first: the name without a packaging or
        service word (离合器总成 → 离合器, 烟标印刷 → 烟标), and its head words as general Chinese cuts it
        (三相智能电能表 → 智能电能表 → 电能表; 电容器 never gives 容器, which cuts 电容)."""
        lk = self.linker_
        out = stem_nodes(lk, form, (*WRAPPERS, *FORMS))
        if is_latin(form):
            return list(dict.fromkeys(out))
        words = self.analyzer_.general_cut(form)
        for k in range(1, len(words)):
            suffix = "".join(words[k:])
            if len(suffix) >= 2 and suffix in lk.forms_ and suffix not in CLASS_HEADS | EMPTY_HEADS \
                    and suffix not in WRAPPERS:
                out.extend(lk.nodes_of(suffix))
                depth -= 1
                if depth == 0:
                    break
        return list(dict.fromkeys(out))

    def _words(self, t: str, zone: list[str], hits: list[Hit], wanted: list[Hit],
               specs: list[tuple[int, int, str]], fill: list[tuple[int, int]]) -> list[str]:
        """Content words of the wanted phrases, without specifications and set-aside mentions; the
        wanted zones when no mention was wanted there; every unset-aside word when nothing else."""
        keep = [False] * len(t)
        filler = [False] * len(t)
        for a, b in fill:
            filler[a:b] = [True] * (b - a)
        for h in wanted:
            s, e = h.start, h.end
            while s > 0 and zone[s - 1] == zone[h.start] and t[s - 1] not in SEPARATORS and not filler[s - 1]:
                s -= 1
            while e < len(t) and zone[e] == zone[h.start] and t[e] not in SEPARATORS and not filler[e]:
                e += 1
            for i in range(s, e):
                keep[i] = True
        if not any(keep):
            keep = [z in _ZONE_WEIGHT for z in zone]
        if not any(keep):
            keep = [z not in _SET_ASIDE for z in zone]
        chars = [ch if ok else " " for ch, ok in zip(t, keep, strict=True)]
        for s, e, _ in specs:
            chars[s:e] = " " * (e - s)
        for h in hits:
            if h.role not in ("wanted", "modifier"):
                for i in range(h.start, h.end):
                    if not any(w.start <= i < w.end for w in wanted):
                        chars[i] = " "
        # one Chinese character alone (高, 型) is no evidence of a product
        return [w for w in self.analyzer_.words("".join(chars)) if len(w) > 1 or is_latin(w)]
