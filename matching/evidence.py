"""A need's evidence for the firms it touches: graph, text, co-occurrence, feedback and industry values,
and the penalty flags, for the candidates only (firms with some positive evidence that pass the filters).

Everything per slot is a sparse vector (:mod:`matching.sparse`): the slots a need touches and their
values, never an array as long as the index, so the work grows with the candidates, not with the firms.
:func:`matching.rank` turns an :class:`Evidence` into scores, 匹配度 and explanations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graph import Expansion
from matching.bm25 import bm25_idf
from matching.cooccur import cooccurrence, feedback, makers
from matching.index import MatchIndex
from matching.industry import IndustryVote, industry_evidence
from matching.sparse import SparseVec, align, reduce_parts
from matching.types import MatchQuery
from matching.understanding import Understanding

__all__ = ["Evidence", "gather"]

_NO_SLOTS = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class Evidence:
    """Per candidate ``cand[i]`` (ascending slots): ``graph``/``graph_sum`` best and summed node evidence,
    ``text``, ``cooc``, ``feedback``, ``industry`` raw (not yet relative), ``competitor``, ``peer``,
    ``aside`` 1.0 where the firm is pushed down (``None``: not asked); ``owns`` True where the firm lists one of
    the poster's own products, wanted ones or not. ``any_graph``: some firm, candidate
    or not, has graph evidence. ``nodes``/``weights``: the expanded need; ``entries``: every stored
    (slot, position in ``nodes``, value × weight) of those nodes, for the 匹配度 of the pool."""

    cand: np.ndarray
    graph: np.ndarray
    graph_sum: np.ndarray
    text: np.ndarray
    cooc: np.ndarray
    feedback: np.ndarray
    industry: np.ndarray
    competitor: np.ndarray
    peer: np.ndarray | None
    aside: np.ndarray | None
    owns: np.ndarray | None
    any_graph: bool
    cooc_nodes: dict[int, float]
    vote: IndustryVote | None
    nodes: np.ndarray
    weights: np.ndarray
    entries: tuple[np.ndarray, np.ndarray, np.ndarray]


def allowed(index: MatchIndex, query: MatchQuery, slots: np.ndarray) -> np.ndarray:
    """The query's filters at ``slots``: live, not excluded, of the kinds, tiers and regions asked for."""
    ok = index.alive_[slots]  # a copy: index arrays may be read-only maps
    excluded = [s for s in map(index.slot_of_.get, query.exclude) if s is not None]
    if excluded:
        ok &= ~np.isin(slots, np.asarray(excluded, dtype=np.int64))
    if query.kinds:
        ok &= index.code_mask("kind", query.kinds, slots)
    if query.tiers:
        ok &= index.code_mask("tier", query.tiers, slots)
    if query.regions:
        # a mask over the slots: np.isin sorts both sides, the region's slots may be tens of thousands
        inside = np.zeros(len(index.alive_), dtype=bool)
        inside[index.region_slots(query.regions)] = True
        ok &= inside[slots]
    return ok


def _listed(index: MatchIndex, nodes: np.ndarray, cand: np.ndarray) -> np.ndarray:
    """Whether each candidate lists one of ``nodes`` itself, not a product merely containing its name: an
    exact link scores at least the lowest revenue factor, a contained one less."""
    return _listed_each(index, [nodes], cand)[0]


def _listed_each(index: MatchIndex, node_sets: list[np.ndarray], cand: np.ndarray) -> list[np.ndarray]:
    """:func:`_listed` for several node sets from one gather of their columns."""
    nodes = np.concatenate(node_sets) if len(node_sets) > 1 else node_sets[0]
    # a firm's best entry reaches the bar exactly when one of its entries does: mark those, no reduction needed
    rows, which, vals = index.nodes_.column_entries(nodes, np.ones(len(nodes)))
    exact = vals >= 0.999 * index.revenue_factor(0.0)
    rows = rows[exact]
    out = []
    listed = np.zeros(len(index.alive_), dtype=bool)
    if len(node_sets) == 1:
        listed[rows] = True
        return [listed[cand]]
    set_of = np.searchsorted(np.cumsum([len(s) for s in node_sets]), which[exact], side="right")
    for k in range(len(node_sets)):
        mine = rows[set_of == k]
        listed[mine] = True
        out.append(listed[cand])
        listed[mine] = False  # the scratch vector serves the next set
    return out


def _set_aside(index: MatchIndex, u: Understanding | None, seeds: dict[int, float], cand: np.ndarray,
               g_c: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]:
    """Peers (firms making the poster's own products) and makers of modifier or purpose products, both
    only when they make no wanted product, 1.0 per such candidate; and whether each candidate lists one of the
    poster's own products at all."""
    if u is None:
        return None, None, None
    spec = index.linker_._specificity
    names = index.graph_.names_
    own = {n for n in u.own_ids if n not in seeds and spec(names[n].lower()) >= index.config.own_specificity}
    aside = {n for n in u.aside_ids if n not in seeds} - own
    no_wanted = g_c < index.config.wanted_evidence

    asked = [nodes for nodes in (own, aside) if nodes]
    if not asked:
        return None, None, None
    lists = _listed_each(index, [np.fromiter(nodes, dtype=np.int64, count=len(nodes)) for nodes in asked], cand)
    flags = iter([(listed & no_wanted).astype(float) for listed in lists])
    return (next(flags) if own else None), (next(flags) if aside else None), (lists[0] if own else None)


def gather(index: MatchIndex, query: MatchQuery, exp: Expansion, cols: np.ndarray, u: Understanding | None,
           seeds: dict[int, float]) -> Evidence | None:
    """The evidence of the need read as ``seeds`` expanded to ``exp``, query term columns ``cols`` and
    understanding ``u`` (node scope with text); ``None`` when no firm passing the filters has any."""
    cfg = index.config
    n_slots = len(index.alive_)
    t_rows, t_vals = (index.text_.entries(cols, bm25_idf(index.df_[cols], max(index.size, 1))) if len(cols)
                      else (_NO_SLOTS, np.zeros(0)))
    nodes = np.fromiter(exp.weights.keys(), dtype=np.int64, count=len(exp.weights))
    weights = np.fromiter(exp.weights.values(), dtype=np.float64, count=len(exp.weights))
    # one gather serves the best and the summed graph evidence, and later the 匹配度 of the pool
    e_rows, e_which, e_vals = index.nodes_.column_entries(nodes, weights)
    # the text and graph entries grouped by slot at once, already on one slot array (0 where a firm has none)
    both, (g_sum_b, g_b, t_b) = reduce_parts([(e_rows, e_vals, ("sum", "max")), (t_rows, t_vals, ("sum",))],
                                             n_slots)
    g_max = SparseVec(both, g_b)
    text_top = float(np.max(t_b, where=allowed(index, query, both), initial=0.0))
    cooc, fb, ind = SparseVec.empty(), SparseVec.empty(), SparseVec.empty()
    cooc_nodes: dict[int, float] = {}
    vote: IndustryVote | None = None
    if query.scope == "node" and (cfg.w_cooc > 0 or cfg.w_feedback > 0 or cfg.w_industry > 0):
        # who makes the need's product: graph evidence first, text matches as a weaker guess
        guess = g_max
        if text_top > 0:
            guess = SparseVec(both, g_b + (cfg.cooc_from_text / text_top) * t_b)
        mk_slots, mk_w = makers(index, guess)
        if cfg.w_cooc > 0:
            cooc, cooc_nodes = cooccurrence(index, mk_slots, mk_w, skip=set(exp.weights))
        if cfg.w_feedback > 0:
            fb = feedback(index, mk_slots, mk_w, cols)
        if cfg.w_industry > 0:
            ind, vote = industry_evidence(index, mk_slots, mk_w)

    # from here on only firms with some positive evidence of their own matter (a penalty is not one)
    touched, per_slot = align([g_max, SparseVec(both, g_sum_b), SparseVec(both, t_b), cooc, fb, ind], n_slots)
    some = per_slot[0] > 0
    for k in (2, 3, 4, 5):
        some |= per_slot[k] > 0
    keep = np.flatnonzero(some)
    keep = keep[allowed(index, query, touched[keep])]
    if len(keep) == 0:
        return None
    cand = touched[keep]
    g_c, g_sum_c, text_c, cooc_c, fb_c, ind_c = (v[keep] for v in per_slot)
    competitor = np.zeros(len(cand))
    if exp.avoid:
        competitor = _listed(index, np.fromiter(exp.avoid, dtype=np.int64), cand).astype(float)
    peer, aside, owns = _set_aside(index, u, seeds, cand, g_c)
    return Evidence(
        cand=cand, graph=g_c, graph_sum=g_sum_c, text=text_c, cooc=cooc_c, feedback=fb_c, industry=ind_c,
        competitor=competitor, peer=peer, aside=aside, owns=owns, any_graph=bool(g_max.values.any()),
        cooc_nodes=cooc_nodes, vote=vote, nodes=nodes, weights=weights, entries=(e_rows, e_which, e_vals),
    )
