"""Products made together: evidence that a firm can make a product it does not list.

Firms that make the need's product also make other products; a firm making many of those, and in
particular the rarer ones, is likely able to make the need's product too. Computed at query time from
the enterprise × node matrix (two sparse products), so it is always as fresh as the index.
"""

from __future__ import annotations

import numpy as np

from matching.index import MatchIndex

__all__ = ["cooccurrence"]


def cooccurrence(
    index: MatchIndex, seeds: dict[int, float], skip: set[int] | frozenset[int] = frozenset()
) -> tuple[np.ndarray, dict[int, float]]:
    """Per-slot co-occurrence evidence (unnormalised) and the co-occurring nodes used, by weight.

    A co-occurring node ``n`` is weighed ``Σ_makers m·P[maker, n] / (df(n) + smoothing)``: the share of
    ``n``'s makers that also make the need's product (a smoothed confidence), so ubiquitous products
    carry little. Seeds and ``skip`` (nodes the graph already scores) are left out.
    """
    cfg = index.config
    n_slots = index.nodes_.n_rows
    if not seeds:
        return np.zeros(n_slots), {}
    cols = np.fromiter(seeds.keys(), dtype=np.int64, count=len(seeds))
    w = np.fromiter(seeds.values(), dtype=np.float64, count=len(seeds))
    makers = index.nodes_.column_sums(cols, w)
    makers[~index.alive_] = 0.0
    hit = np.flatnonzero(makers > 0)
    if len(hit) == 0:
        return np.zeros(n_slots), {}
    if len(hit) > cfg.cooc_makers:
        hit = hit[np.argpartition(-makers[hit], cfg.cooc_makers - 1)[: cfg.cooc_makers]]
    c = index.nodes_.rows_dot(hit, makers[hit])
    c = c[: len(index.node_df_)] / (index.node_df_[: len(c)] + cfg.cooc_smoothing) ** cfg.cooc_idf_power
    drop = np.fromiter(set(seeds) | set(skip), dtype=np.int64)
    c[drop[drop < len(c)]] = 0.0
    nz = np.flatnonzero(c > 0)
    if len(nz) == 0:
        return np.zeros(n_slots), {}
    if len(nz) > cfg.cooc_nodes:
        nz = nz[np.argpartition(-c[nz], cfg.cooc_nodes - 1)[: cfg.cooc_nodes]]
    scores = index.nodes_.column_sums(nz, c[nz])
    return scores, {int(n): float(c[n]) for n in nz}
