"""匹配度: one 0–100 scale for every match, with a meaning that holds across needs.

The raw score of :func:`matching.fusion.fuse` ranks firms within one need, but its size depends on the
need (how many products it names, how much text and co-occurrence evidence there is), so 2.2 beside 0.05
says little and a caller cannot apply a minimum. 匹配度 instead says what kind of evidence the firm has
for the wanted product, in bands that mean the same for every need:

==========  ==================================================================================
≥ 80        makes a wanted product (or, for a supplier search, a direct input) as a main line of
            business: at least ``MAIN_SHARE`` of its revenue
65 – 80     makes a wanted product, as a smaller line or one in its business scope, or makes what the
            alias list gives as its synonym or kind (热轧卷板 for 热卷)
50 – 65     makes a narrower kind of a wanted product (a sub-kind in the chain graph)
30 – 50     related by the chain graph only: a broader kind, an input of an input, a product whose
            name contains a wanted one (锂电池隔膜 for 隔膜)
< 30        no graph evidence: words of the need, products made together, the industry of its makers
==========  ==================================================================================

Within a band the value grows with the evidence (revenue share, how close in the graph, how much of
the other evidence). Firms pushed down as competitors, the poster's peers or makers of what the wanted
product is for keep at most half of their value. The bands are what a publication minimum should use:
50 keeps makers of the product and of its sub-kinds, 30 also graph relations, 0 everything.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from graph import Expansion

__all__ = ["BANDS", "MAIN_SHARE", "Evidence", "band_floor", "band_of", "best_evidence", "match_score"]

MAIN_SHARE = 0.10
BANDS = (
    (80, "main", "主营所需产品"),
    (65, "makes", "生产所需产品"),
    (50, "narrower", "生产所需产品的细分品类"),
    (30, "related", "与所需产品在产业链上相关"),
    (0, "weak", "仅有文本或同类企业等弱证据"),
)


@dataclass(frozen=True)
class Evidence:
    """A firm's best graph evidence for a need: ``proximity`` of its product's node to the wanted node
    it comes from (1 = the wanted node itself, 0.6 a sub-kind …), ``link`` how surely the product is
    that node (1 = it is, 0.3 = its name contains it), ``share`` the product's revenue share."""

    proximity: float = 0.0
    link: float = 0.0
    share: float = 0.0
    named: bool = True  # False when the wanted node is a synonym the alias list adds to a named one


def best_evidence(
    exp: Expansion, seeds: dict[int, float], product_evidence: dict, synonyms: frozenset[int] = frozenset(),
    roots: dict[int, int] | None = None,
) -> Evidence:
    """The strongest :class:`Evidence` among a firm's products (``product_evidence`` as
    :meth:`matching.MatchIndex.product_evidence` returns it) for the expanded need ``exp`` with seed
    weights ``seeds``; ``synonyms`` are seeds the alias list added to a named product; ``roots`` caches
    the seed each reached node comes from, across the firms of one need."""
    best = Evidence()
    best_key = (0.0, 0.0, 0.0)
    roots = {} if roots is None else roots
    for node in product_evidence.keys() & exp.weights.keys():
        _w, _product, share, link = product_evidence[node]
        root = roots.get(node)
        if root is None:
            root = roots[node] = exp.path(node)[0][0]
        # relative to the seed it came from: 1 for the wanted node itself, 0.6 for a sub-kind …
        proximity = min(1.0, exp.weights[node] / seeds[root]) if seeds.get(root) else exp.weights[node]
        named = root not in synonyms
        key = (proximity * link, float(named), share)
        if key > best_key:
            best, best_key = Evidence(proximity, link, share, named), key
    return best


def match_score(ev: Evidence, other: float, *, penalised: bool = False) -> int:
    """匹配度 (0–100) from graph evidence ``ev`` and ``other``, the rest of the evidence in 0..1."""
    p = ev.proximity * ev.link
    if p >= 0.95:
        if ev.share >= MAIN_SHARE and not ev.named:
            value = 79.9  # a synonym or kind from the alias list: the product, but not as named
        elif ev.share >= MAIN_SHARE:
            value = 80 + 20 * math.sqrt((min(ev.share, 1.0) - MAIN_SHARE) / (1 - MAIN_SHARE))
        else:
            value = 65 + 15 * max(ev.share, 0.0) / MAIN_SHARE
    elif p >= 0.4:
        value = 50 + 15 * (p - 0.4) / 0.55
    elif p > 0:
        value = 30 + 20 * p / 0.4
    else:
        value = 29.9 * min(1.0, max(other, 0.0))
    if penalised:
        value /= 2
    # rounded down, so a value never reaches the band above the evidence it has
    return int(math.floor(min(value, 100.0)))


def band_floor(score: float) -> int:
    """The lower bound of the band a 匹配度 is in (80, 65, 50, 30 or 0)."""
    return next(floor for floor, _, _ in BANDS if score >= floor)


def band_of(score: float) -> tuple[str, str]:
    """``(level, words)`` of a 匹配度: "main" … "weak", and what it means in Chinese."""
    for floor, level, words in BANDS:
        if score >= floor:
            return level, words
    return BANDS[-1][1], BANDS[-1][2]
