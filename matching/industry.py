"""Industry evidence: hidden makers of a product tend to sit in the industries of its known makers.

At query time the need's makers (see :func:`matching.cooccur.makers`) vote for their industries with
their evidence, and each industry's vote is divided by its size: the result estimates how likely a
firm of that industry is to make the need's product. A firm scores its own industry's value plus
``industry_parent`` times its parent's (a wider, weaker net). Everything is read from the index's
per-slot industry columns and live industry sizes, so it is as fresh as the index.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np

from matching.index import MatchIndex
from matching.sparse import SparseVec, positive, union

__all__ = ["IndustryVote", "industry_evidence"]


@dataclass(frozen=True)
class IndustryVote:
    """Makers per industry column: ``own[c]``/``parent[c]`` count makers whose own/parent industry is c."""

    own: np.ndarray
    parent: np.ndarray

    def makers_like(self, index: MatchIndex, slot: int) -> tuple[int, int]:
        """How many of the makers share the firm's industry, and its parent industry."""
        own, parent = index.industry_[slot]
        return (int(self.own[own]) if own else 0), (int(self.parent[parent]) if parent else 0)


def industry_evidence(
    index: MatchIndex, slots: np.ndarray, weights: np.ndarray
) -> tuple[SparseVec, IndustryVote]:
    """Per-slot industry evidence (not normalised) from makers ``slots`` with evidence ``weights``, for the
    firms of the makers' industries only (every other firm scores 0).

    Industry ``c`` scores ``Σ_{makers in c} w / (firms in c + industry_smoothing)``: roughly how likely a
    firm of ``c`` is to be a maker, so a big industry with a few makers counts for little and a small
    one with several for much. A firm scores its own industry's value plus ``industry_parent`` times
    its parent industry's.
    """
    cfg = index.config
    n_cols = len(index.industry_codes_)
    cols = index.industry_[slots] if len(slots) else np.zeros((0, 2), dtype=np.int32)
    vote = IndustryVote(np.bincount(cols[:, 0], minlength=n_cols), np.bincount(cols[:, 1], minlength=n_cols))
    if not cols.any():
        return SparseVec.empty(), vote
    w = np.asarray(weights, dtype=np.float64)
    size = index.industry_size_ + cfg.industry_smoothing
    own = np.bincount(cols[:, 0], weights=w, minlength=n_cols) / size
    parent = np.bincount(cols[:, 1], weights=w, minlength=n_cols) / size
    own[0] = parent[0] = 0.0
    members = _postings(index).members(index, np.flatnonzero(own > 0), np.flatnonzero(parent > 0))
    # one column at a time: gathering whole (own, parent) rows first took twice as long (thousands of members)
    ind = index.industry_
    return positive(SparseVec(members, own[ind[members, 0]] + cfg.industry_parent * parent[ind[members, 1]])), vote


class _Postings:
    """The slots of each industry column (own and parent), for the slots there were when it was made;
    later slots (appended by updates) are scanned."""

    def __init__(self, index: MatchIndex) -> None:
        self.layout = index.layout_
        ind = np.asarray(index.industry_)
        self.n = len(ind)
        self.order, self.starts = [], []
        for k in (0, 1):
            order = np.argsort(ind[:, k], kind="stable")
            self.order.append(order.astype(np.int64))
            self.starts.append(np.searchsorted(ind[order, k], np.arange(len(index.industry_codes_) + 1)))

    def fits(self, index: MatchIndex) -> bool:
        tail = len(index.industry_) - self.n
        return self.layout == index.layout_ and 0 <= tail <= max(4096, self.n // 8)

    def members(self, index: MatchIndex, own: np.ndarray, parent: np.ndarray) -> np.ndarray:
        """Ascending slots whose own industry is in ``own`` or whose parent industry is in ``parent``."""
        parts = []
        for k, codes in ((0, own), (1, parent)):
            starts, order = self.starts[k], self.order[k]
            # a column added after this was made has no postings: its firms are all in the tail
            codes = codes[codes < len(starts) - 1]
            parts += [order[starts[c]:starts[c + 1]] for c in codes.tolist()]
        tail = np.asarray(index.industry_[self.n:])
        if len(tail):
            hit = np.isin(tail[:, 0], own) | np.isin(tail[:, 1], parent)
            parts.append(self.n + np.flatnonzero(hit))
        return union(*parts, n_slots=len(index.industry_))


_POSTINGS: weakref.WeakKeyDictionary[MatchIndex, _Postings] = weakref.WeakKeyDictionary()


def _postings(index: MatchIndex) -> _Postings:
    p = _POSTINGS.get(index)
    if p is None or not p.fits(index):
        p = _POSTINGS[index] = _Postings(index)
    return p
