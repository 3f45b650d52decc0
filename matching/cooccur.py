"""Products made together: evidence that a firm can make a product it does not list.

Firms that make the need's product also make other products; a firm making many of those, and in
particular the rarer ones, is likely able to make the need's product too. This is read in two spaces,
both at query time from the index (so always as fresh as it):

* nodes: the other chain nodes the makers' products stand for (:func:`cooccurrence`);
* words: the makers' product words and bigrams, a fuzzier view that bridges the many product names
  that are not nodes (:func:`feedback`, pseudo-relevance feedback in retrieval terms).
"""

from __future__ import annotations

import numpy as np

from matching.index import MatchIndex
from matching.sparse import SparseVec
from matching.store import SparseRows

__all__ = ["cooccurrence", "feedback", "makers"]


def makers(index: MatchIndex, evidence: SparseVec) -> tuple[np.ndarray, np.ndarray]:
    """The strongest ``cooc_makers`` live slots of an evidence vector, and their evidence."""
    cfg = index.config
    ev = np.where(index.alive_[evidence.slots], evidence.values, 0.0)
    keep = ev > 0
    hit, ev = evidence.slots[keep], ev[keep]
    if len(hit) > cfg.cooc_makers:
        top = np.argpartition(-ev, cfg.cooc_makers - 1)[: cfg.cooc_makers]
        hit, ev = hit[top], ev[top]
    return hit, ev


def _spread(
    store: SparseRows, slots: np.ndarray, weights: np.ndarray, df: np.ndarray, skip: np.ndarray,
    *, keep: int, smoothing: float, power: float, max_df: float,
) -> tuple[SparseVec, dict[int, float]]:
    touched, c = store.rows_dot(slots, weights)
    ok = touched < len(df)
    # columns most firms have say nothing about a product and make every query slow
    ok[ok] &= df[touched[ok]] <= max_df
    touched, c = touched[ok], c[ok]
    c = c / (df[touched] + smoothing) ** power
    # a mask as wide as the columns: tens of times faster than np.isin (which sorts both) at these sizes
    skipped = np.zeros(len(df), dtype=bool)
    skipped[skip[skip < len(df)]] = True
    c[skipped[touched]] = 0.0
    nz = np.flatnonzero(c > 0)
    if len(nz) == 0:
        return SparseVec.empty(), {}
    if len(nz) > keep:
        nz = nz[np.argpartition(-c[nz], keep - 1)[:keep]]
    nodes, c = touched[nz], c[nz]
    return store.column_vector(nodes, c), dict(zip(nodes.tolist(), c.tolist(), strict=True))


def cooccurrence(
    index: MatchIndex, slots: np.ndarray, weights: np.ndarray, skip: set[int] | frozenset[int] = frozenset()
) -> tuple[SparseVec, dict[int, float]]:
    """Per-slot evidence from nodes the given makers also make, and those nodes by weight.

    A co-occurring node ``n`` weighs ``Σ_makers m·P[maker, n] / (df(n) + smoothing)``: roughly the share
    of ``n``'s makers that also make the need's product, so ubiquitous products carry little. ``skip``
    (nodes the graph already scores) is left out.
    """
    cfg = index.config
    if len(slots) == 0:
        return SparseVec.empty(), {}
    skip_arr = np.fromiter(skip, dtype=np.int64, count=len(skip))
    return _spread(index.nodes_, slots, weights, index.node_df_, skip_arr,
                   keep=cfg.cooc_nodes, smoothing=cfg.cooc_smoothing, power=cfg.cooc_idf_power,
                   max_df=max(cfg.cooc_max_df * index.size, 10.0))


def feedback(index: MatchIndex, slots: np.ndarray, weights: np.ndarray, skip_terms: np.ndarray) -> SparseVec:
    """Per-slot evidence from the words and bigrams the given makers use (query terms skipped)."""
    cfg = index.config
    if len(slots) == 0:
        return SparseVec.empty()
    scores, _ = _spread(index.text_, slots, weights, index.df_, skip_terms,
                        keep=cfg.feedback_terms, smoothing=cfg.cooc_smoothing, power=cfg.cooc_idf_power,
                        max_df=max(cfg.cooc_max_df * index.size, 10.0))
    return scores
