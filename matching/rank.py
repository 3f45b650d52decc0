"""Answer one need against a :class:`MatchIndex`: link, expand, score, filter, top-k, explain."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from graph import SCOPES
from matching.evidence import gather
from matching.explain import explain, found_in_text, need_nodes, shown_columns, whole_words
from matching.fusion import fuse, relative
from matching.index import MatchIndex
from matching.linking import Link
from matching.prior import Trees, default_prior, prior_applies, prior_features, prior_order
from matching.scale import best_evidence, match_scores
from matching.types import EmptyQueryError, MatchQuery, MatchResult, UnknownNodeError
from matching.understanding import Mention, Understanding

__all__ = ["rank"]

# text links count for less than nodes the poster attached by hand
_TEXT_LINK_WEIGHT = 0.5
_BAND_FLOORS = np.array([50, 65, 80])
_POOL = 30  # at least this many firms (and 15 more than asked for) get a 匹配度 before the answer is cut


def _given(index: MatchIndex, query: MatchQuery) -> dict[int, float]:
    G = index.graph_
    unknown = [n for n in query.nodes if G.lookup(n) is None]
    if unknown:
        raise UnknownNodeError(unknown)
    return {node: 1.0 for node in map(G.lookup, query.nodes) if node is not None}


def _seeds(index: MatchIndex, query: MatchQuery, links: list[Link]) -> dict[int, float]:
    seeds = _given(index, query)
    if not seeds:
        return {lk.node: lk.weight for lk in links}
    if query.scope == "node":  # in upstream scope the text restates what the poster itself makes
        for lk in links:
            seeds.setdefault(lk.node, _TEXT_LINK_WEIGHT * lk.weight)
    return seeds


def _dropped(index: MatchIndex, query: MatchQuery) -> set[int]:
    return {n for n in map(index.graph_.lookup, query.drop) if n is not None}


def _makers(index: MatchIndex, nodes: tuple[int, ...]) -> int:
    return sum(int(index.node_df_[n]) for n in nodes)


def _class_named(index: MatchIndex, u: Understanding) -> frozenset[int]:
    """Wanted nodes many firms list beside a wanted product few list (药品 in 药品采购：肝素钠注射液): the
    class the product belongs to, whose many makers would otherwise bury the few that make the product."""
    cfg = index.config
    out: set[int] = set()
    for g in u.wanted:
        many = _makers(index, g.node_ids)
        if many < cfg.class_makers or not g.node_ids or g.how != "exact":
            continue
        for m in u.wanted:
            few = _makers(index, (*m.node_ids, *m.synonym_ids))
            if m is not g and m.weight >= 0.5 and 0 < few * cfg.class_ratio <= many \
                    and not set(m.node_ids) & set(g.node_ids):
                out.update(g.node_ids)
                break
    return frozenset(out)


def _wanted_seeds(index: MatchIndex, u: Understanding) -> dict[int, float]:
    """Seed weights of the wanted products: the named nodes, and their synonyms from the alias list."""
    cfg = index.config
    seeds: dict[int, float] = {}
    classes = _class_named(index, u)
    own_ids = u.own_ids
    for m in u.wanted:
        # 连衣裙 → 女装, 裙类 from a 女装 brand: the node the poster makes would bring its peers, the other suffices
        # (and a synonym the poster makes is not sought)
        kept = [n for n in m.node_ids if n not in own_ids] or m.node_ids
        for n in kept:
            w = m.weight * (cfg.broader_weight if n in classes else 1.0)
            seeds[n] = max(seeds.get(n, 0.0), w)
    for m in u.wanted:
        for n in m.synonym_ids:
            if n not in own_ids:
                seeds[n] = max(seeds.get(n, 0.0), cfg.synonym_weight * m.weight)
    own = _own_kinds(index, u)
    for m in u.wanted:
        named = (*m.node_ids, *m.synonym_ids)
        makers = _makers(index, named)
        unrelated = makers < cfg.broader_unrelated_below and not any(index.related(n) for n in named)
        if m.broader_ids and (makers < cfg.broader_below or unrelated):
            n = m.broader_ids[0]
            seeds[n] = max(seeds.get(n, 0.0), cfg.broader_weight * m.weight)
        for n in _listed_kinds(index, m, makers, own):
            seeds[n] = max(seeds.get(n, 0.0), cfg.kind_weight * m.weight)
    return seeds


def _own_kinds(index: MatchIndex, u: Understanding) -> set[int]:
    """Kinds the poster's own products are or are kinds of (汽车零部件 for a parts maker, 酒类 for a 白酒 distiller
    buying 基酒): seeking them would bring the poster's peers, not its suppliers."""
    return u.own_ids | {k for o in u.own for k in index.kinds_of(o)}


def _listed_kinds(index: MatchIndex, m: Mention, makers: int, own: set[int]) -> tuple[int, ...]:
    """What the kinds list says a wanted product few firms list is a kind of (动力煤 → 煤炭): its few makers
    cannot fill a shortlist, and the firms listing the kind are the next best answer. ``m.words`` counts as the
    item too: a name the alias list gives a node may be listed as the item (电煤). ``own``: :func:`_own_kinds`."""
    if makers >= index.config.kind_below or not index.kinds_:
        return ()
    named = (*m.node_ids, *m.synonym_ids)
    return tuple(k for k in index.kinds_of(m) if k not in named and k not in own)


def _understood(index: MatchIndex, query: MatchQuery) -> tuple[Understanding, dict[int, float], list[str]]:
    """Node scope with text: the understanding, the seeds (given nodes first) and the query terms."""
    u = index.understand(query.text)
    if query.drop:
        u = u.without(_dropped(index, query))
    seeds = _given(index, query)
    for node, w in _wanted_seeds(index, u).items():
        if node not in seeds:
            seeds[node] = w if not query.nodes else _TEXT_LINK_WEIGHT * w
    return u, seeds, list(dict.fromkeys(index.analyzer_.terms_of_words(u.words)))


def _synonyms(u: Understanding | None, query: MatchQuery) -> frozenset[int]:
    """Seeds that only the alias list adds to a named product (not named, not given themselves)."""
    if u is None:
        return frozenset()
    named = {n for m in u.wanted for n in m.node_ids}
    return frozenset(n for m in u.wanted for n in m.synonym_ids if n not in named) - set(query.nodes)


def _kinds(index: MatchIndex, u: Understanding | None, seeds: dict[int, float], query: MatchQuery) -> frozenset[int]:
    """Seeds that are only what a named product is a kind of by its name (see :func:`_wanted_seeds`)."""
    if u is None:
        return frozenset()
    classes = _class_named(index, u)
    named = {n for m in u.wanted for n in (*m.node_ids, *m.synonym_ids)} - classes
    kinds = {n for m in u.wanted for n in m.broader_ids[:1] if n in seeds and n not in named} | classes
    own = _own_kinds(index, u)
    kinds |= {n for m in u.wanted for n in _listed_kinds(index, m, _makers(index, (*m.node_ids, *m.synonym_ids)), own)
              if n in seeds and n not in named}
    return frozenset(kinds) - set(query.nodes)


def _query_terms(
    index: MatchIndex, query: MatchQuery, seeds: dict[int, float], *, drop_filler: bool = True
) -> list[str]:
    words = index.analyzer_.words(query.text, drop_filler=drop_filler) if query.text.strip() else []
    if query.scope == "upstream":
        # words naming the poster's own product would pull in its competitors
        own = [index.graph_.names_[s].lower() for s in seeds]
        words = [w for w in words if not any(w in o or o in w for o in own)]
    return list(dict.fromkeys(index.analyzer_.terms_of_words(words)))


Reorder = Callable[[list[MatchResult]], list[MatchResult]]


def rank(index: MatchIndex, query: MatchQuery, *, rerank: Reorder | None = None,
         keep: int | None = None) -> list[MatchResult]:
    """Best enterprises for ``query``, best first, at most ``query.limit``, each with an explanation.

    ``rerank`` (e.g. :meth:`matching.learner.Reranker.rerank`) reorders the ``query.limit`` best before they are
    explained, given with explanations holding only what a re-ranker reads (``scores`` and ``competitor``); the
    first ``keep`` of its order are then explained and returned, exactly as ``rerank(rank(index, query))[:keep]``
    would give them, without explaining the firms it leaves out.

    Raises :class:`EmptyQueryError` without text or nodes, :class:`UnknownNodeError` for node names
    that are neither names nor aliases, ``ValueError`` for an unknown scope or a negative limit.
    """
    if not index.fitted:
        raise RuntimeError("the index has not been fitted")
    if query.scope not in SCOPES:
        raise ValueError(f"unknown scope {query.scope!r}; expected one of {SCOPES}")
    if query.limit < 0:
        raise ValueError("limit must be >= 0")
    if not query.text.strip() and not query.nodes:
        raise EmptyQueryError("a query needs text or nodes")
    with index.lock:
        return _rank(index, query, rerank, keep)


def _rank(index: MatchIndex, query: MatchQuery, rerank: Reorder | None, keep: int | None) -> list[MatchResult]:
    links: list[Link] = []
    u: Understanding | None = None
    if query.scope == "node" and query.text.strip():
        u, seeds, terms = _understood(index, query)
    else:
        links = index.link_need(query.text) if query.text.strip() else []
        if query.drop:
            dropped = _dropped(index, query)
            links = [lk for lk in links if lk.node not in dropped]
        seeds = _seeds(index, query, links)
        terms = _query_terms(index, query, seeds)
    if not seeds and not terms and query.text.strip():
        u = None
        # a text made only of filler words (需要配套): then the filler is what is asked for
        links = index.link_need(query.text, respect_filler=False)
        seeds = _seeds(index, query, links)
        terms = _query_terms(index, query, seeds, drop_filler=False)
    if not seeds and not terms:
        raise EmptyQueryError("the text has no content words and no nodes were given")
    if query.limit == 0:
        return []
    cfg = index.config
    cols = np.array([index.vocab_[t] for t in terms if t in index.vocab_], dtype=np.int64)
    exp = index.expansion(tuple(sorted(seeds.items())), query.scope)
    ev = gather(index, query, exp, cols, u, seeds)
    if ev is None:
        return []
    cand, g_c, competitor, peer, aside, vote = ev.cand, ev.graph, ev.competitor, ev.peer, ev.aside, ev.vote
    text_c, cooc_c, fb_c, ind_c = relative(ev.text), relative(ev.cooc), relative(ev.feedback), relative(ev.industry)
    score = fuse(g_c, ev.graph_sum, text_c, cooc_c, competitor, config=cfg, scope=query.scope, feedback=fb_c,
                 industry=ind_c, peer=peer, aside=aside)
    # 匹配度 of a pool wider than the answer, so that the answer lists firms band by band (a firm making the
    # product never below one with weak evidence only) and, within a band, by the raw score
    w_text = ((cfg.w_text_upstream if query.scope == "upstream" else cfg.w_text) if ev.any_graph
              else cfg.w_text_no_nodes)
    w_other = (w_text, cfg.w_cooc, cfg.w_feedback, cfg.w_industry if vote is not None else 0.0)
    synonyms = _synonyms(u, query)
    # a need given by its text alone, read as more than a product lookup: the prior re-ranker reorders the
    # engine's best prior_depth (matching/prior.py)
    trees = (default_prior() if cfg.prior_depth and u is not None and prior_applies(u) and not query.nodes
             and rerank is None else None)
    depth = cfg.prior_depth if trees is not None else 0
    n_pick = max(query.limit, depth)
    k = min(max(n_pick + _POOL // 2, _POOL), len(cand))
    pool = np.argpartition(-score, k - 1)[:k] if len(cand) > k else np.arange(len(cand))
    other = (w_other[0] * text_c[pool] + w_other[1] * cooc_c[pool] + w_other[2] * fb_c[pool]
             + w_other[3] * ind_c[pool]) / sum(w_other)
    pushed = competitor[pool] > 0
    for flags in (peer, aside):
        if flags is not None:
            pushed |= flags[pool] > 0
    # the graph entries of the pool's firms, by marking the pool's slots (cheaper than searching every entry
    # among them) and each one's position in the pool
    pool_slots = cand[pool]
    in_pool = np.zeros(len(index.alive_), dtype=bool)
    in_pool[pool_slots] = True
    e_rows, e_which, e_vals = ev.entries
    sel = np.flatnonzero(in_pool[e_rows])
    position = np.empty(len(index.alive_), dtype=np.int64)  # read at the pool's slots only
    position[pool_slots] = np.arange(len(pool))
    link, share = index.link_and_share(e_vals[sel] / ev.weights[e_which[sel]])
    made = (position[e_rows[sel]], ev.nodes[e_which[sel]], link, share)
    kinds = _kinds(index, u, seeds, query)
    pool_match = match_scores(*best_evidence(exp, seeds, len(pool), made, synonyms, kinds), other, pushed)
    matches = dict(zip(pool.tolist(), pool_match.tolist(), strict=True))
    # makers of a wanted product first (main line of business, then other makers), then makers of a
    # narrower kind, then the rest by raw score: graph relations beyond that are no better evidence
    # than products made together
    band = np.searchsorted(_BAND_FLOORS, pool_match, side="right")  # 3 from 80 up, 2 from 65, 1 from 50, else 0
    # below the top band, a firm that also makes the poster's own products (its competitor, buying or selling
    # the same inputs) comes after the firms of its band that do not; ties broken by enterprise id so results are
    # reproducible
    rival = (ev.owns[pool] & (band < _BAND_FLOORS.size)) if ev.owns is not None else np.zeros(len(pool), dtype=bool)
    rivals = set(pool[rival].tolist())
    # the evidence columns explanations show, and the prior re-ranker reads
    columns = {"graph": g_c, "text": text_c, "cooccurrence": cooc_c, "feedback": fb_c}
    if vote is not None:
        columns["industry"] = ind_c
    pick = pool[np.lexsort((index.slot_ids_[cand[pool]], -score[pool], rival, -band))][:n_pick]
    if trees is not None and len(pick) > 1:
        pick = _prior_order(index, u, query.text, pick[:depth], cand, matches, rivals, competitor, trees, columns,
                            rest=pick[depth:])
    pick = pick[: query.limit]

    given = {node for node in map(index.graph_.lookup, query.nodes) if node is not None}
    need = need_nodes(index, seeds, found_in_text(links, u), given, kinds)
    shown = whole_words(index, [t[2:] for t in terms if t.startswith("w:")])
    out = []
    paths_seen: dict[int, tuple[list[tuple[str, str]], str]] = {}
    query_cols = shown_columns(index, cols, shown)
    # the picked firms' values as Python floats at once: one numpy scalar per value and firm cost more
    slots = cand[pick]
    values = {k: v[pick].tolist() for k, v in columns.items()}
    firms = list(zip(pick.tolist(), slots.tolist(), index.slot_ids_[slots].tolist(), score[pick].tolist(),
                     competitor[pick].tolist(), strict=True))
    chosen = (list(range(len(firms))) if rerank is None else _reordered(rerank, firms, values, matches))[:keep]
    for j in chosen:
        i, slot, eid, total, comp = firms[j]
        parts = {k: v[j] for k, v in values.items()}
        same = vote.makers_like(index, slot) if vote is not None and parts["industry"] > 0 else None
        expl = explain(
            index, eid, need=need, exp=exp, query_cols=query_cols, cooc_nodes=ev.cooc_nodes, parts=parts,
            competitor=bool(comp), industry=same, shown_words=shown, match=matches[i], paths_seen=paths_seen,
            slot=slot, rival=i in rivals,
        )
        out.append(MatchResult(eid, total, expl, matches[i]))
    return out


def _prior_order(index: MatchIndex, u: Understanding | None, text: str, top: np.ndarray, cand: np.ndarray,
                 matches: dict[int, int], rivals: set[int], competitor: np.ndarray, trees: Trees,
                 columns: dict[str, np.ndarray], rest: np.ndarray) -> np.ndarray:
    """``top`` (positions in ``cand``, the engine's order) in the prior re-ranker's order, then ``rest``; ties
    keep the engine's order."""
    assert u is not None
    positions = top.tolist()
    X = prior_features(
        index, u, text, index.slot_ids_[cand[top]].tolist(), {k: v[top] for k, v in columns.items()},
        [matches[i] for i in positions], competitor[top] > 0, [i in rivals for i in positions],
    )
    return np.concatenate([top[prior_order(trees.predict(X), X)], rest])


def _reordered(rerank: Reorder, firms: list[tuple[int, int, int, float, float]], values: dict[str, list[float]],
               matches: dict[int, int]) -> list[int]:
    """Positions in ``firms`` in ``rerank``'s order, from results carrying what :func:`explain` would give a
    re-ranker to read (the same rounded scores and the competitor flag)."""
    light = [MatchResult(eid, total, {"scores": {k: round(v[j], 4) for k, v in values.items()},
                                      "competitor": bool(comp)}, matches[i])
             for j, (i, _slot, eid, total, comp) in enumerate(firms)]
    where = {id(r): j for j, r in enumerate(light)}
    return [where[id(r)] for r in rerank(light)]
