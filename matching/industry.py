"""Industry evidence: hidden makers of a product tend to sit in the industries of its known makers.

At query time the need's makers (see :func:`matching.cooccur.makers`) vote for their industries with
their evidence, and each industry's vote is divided by its size: the result estimates how likely a
firm of that industry is to make the need's product. A firm scores its own industry's value plus
``industry_parent`` times its parent's (a wider, weaker net). Everything is read from the index's
per-slot industry columns and live industry sizes, so it is as fresh as the index.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.index import MatchIndex

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
) -> tuple[np.ndarray, IndustryVote]:
    """Per-slot industry evidence (not normalised) from makers ``slots`` with evidence ``weights``.

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
        return np.zeros(len(index.alive_)), vote
    w = np.asarray(weights, dtype=np.float64)
    size = index.industry_size_ + cfg.industry_smoothing
    own = np.bincount(cols[:, 0], weights=w, minlength=n_cols) / size
    parent = np.bincount(cols[:, 1], weights=w, minlength=n_cols) / size
    own[0] = parent[0] = 0.0
    firm = index.industry_
    return own[firm[:, 0]] + cfg.industry_parent * parent[firm[:, 1]], vote
