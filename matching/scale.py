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

import numpy as np

from graph import Expansion

__all__ = [
    "BANDS", "KIND_PROXIMITY", "MAIN_SHARE", "Evidence", "band_floor", "band_of", "best_evidence", "match_score",
    "match_scores",
]

MAIN_SHARE = 0.10
KIND_PROXIMITY = 0.3  # a maker of what the wanted product is a kind of: a chain relation (30–50), no more
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
    that node (1 = it is, 0.3 = its name contains it), ``share`` the product's revenue share, ``named``
    False when the wanted node is a synonym the alias list adds to a named one."""

    proximity: float = 0.0
    link: float = 0.0
    share: float = 0.0
    named: bool = True


def match_score(ev: Evidence, other: float, *, penalised: bool = False) -> int:
    """匹配度 (0–100) from graph evidence ``ev`` and ``other``, the rest of the evidence in 0..1."""
    return _score(ev.proximity * ev.link, ev.share, ev.named, other, penalised)


def match_scores(p: np.ndarray, share: np.ndarray, named: np.ndarray, other: np.ndarray,
                 penalised: np.ndarray) -> np.ndarray:
    """匹配度 of many firms at once: ``p`` proximity × link of each one's best evidence (0 = none),
    ``share`` that product's revenue share, ``named`` whether its wanted node was named (not a synonym),
    ``other`` the rest of the evidence in 0..1, ``penalised`` whether the firm was pushed down."""
    # a plain loop: the pool is a few dozen firms, fewer than numpy's per-call cost pays for
    rows = zip(p.tolist(), share.tolist(), named.tolist(), other.tolist(), penalised.tolist(), strict=True)
    return np.array([_score(*row) for row in rows], dtype=np.int64)


def _score(p: float, share: float, named: bool, other: float, penalised: bool) -> int:
    share = min(max(share, 0.0), 1.0)
    if p >= 0.95:
        if share >= MAIN_SHARE and not named:
            value = 79.9  # a synonym or kind from the alias list: the product, but not as named
        elif share >= MAIN_SHARE:
            value = 80 + 20 * math.sqrt((share - MAIN_SHARE) / (1 - MAIN_SHARE))
        else:
            value = 65 + 15 * share / MAIN_SHARE
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


def best_evidence(
    exp: Expansion, seeds: dict[int, float], n: int, made: tuple[np.ndarray, ...],
    synonyms: frozenset[int] = frozenset(), kinds: frozenset[int] = frozenset(),
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The strongest evidence of each of ``n`` firms for the expanded need ``exp`` with seed weights
    ``seeds``, as arrays ``(p, share, named)`` for :func:`match_scores`; ``made`` lists what the firms
    make as arrays (firm position, node, link weight, revenue share; see
    :meth:`matching.MatchIndex.link_and_share`); ``synonyms`` are seeds the alias list added to a named
    product; ``kinds`` are seeds a named product is a kind of by its name (螺杆式压缩机 → 压缩机), evidence of
    a chain relation only (below ``KIND_PROXIMITY``)."""
    pos, nodes, link, share = made
    p, best_share, named = np.zeros(n), np.zeros(n), np.ones(n, dtype=bool)
    if len(pos) == 0:
        return p, best_share, named
    # the pool's entries name a few dozen distinct nodes: a dict numbers them faster than np.unique sorts them
    listed = nodes.tolist()
    number: dict[int, int] = {}
    prox: list[float] = []
    is_named: list[bool] = []
    for node in listed:
        if node in number:
            continue
        number[node] = len(prox)
        root = exp.path(node)[0][0]
        weight = exp.weights[node]
        # relative to the seed it came from: 1 for the wanted node itself, 0.6 for a sub-kind …
        near = min(1.0, weight / seeds[root]) if seeds.get(root) else weight
        prox.append(min(near, KIND_PROXIMITY) if root in kinds else near)
        is_named.append(root not in synonyms)
    inverse = np.fromiter(map(number.__getitem__, listed), dtype=np.int64, count=len(listed))
    strength = np.asarray(prox, dtype=np.float64)[inverse] * link
    entry_named = np.asarray(is_named, dtype=bool)[inverse]
    # per firm, the best entry by (strength, named, share): sorted ascending, the last one of each firm wins
    order = np.lexsort((share, entry_named, strength, pos))
    ordered = pos[order]
    ends = np.empty(len(order), dtype=bool)
    ends[-1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=ends[:-1])
    last = order[ends]
    p[pos[last]], best_share[pos[last]], named[pos[last]] = strength[last], share[last], entry_named[last]
    return p, best_share, named


def band_floor(score: float) -> int:
    """The lower bound of the band a 匹配度 is in (80, 65, 50, 30 or 0)."""
    return next(floor for floor, _, _ in BANDS if score >= floor)


def band_of(score: float) -> tuple[str, str]:
    """``(level, words)`` of a 匹配度: "main" … "weak", and what it means in Chinese."""
    for floor, level, words in BANDS:
        if score >= floor:
            return level, words
    return BANDS[-1][1], BANDS[-1][2]
