"""The one scoring function: text, graph and co-occurrence evidence fused with configured weights."""

from __future__ import annotations

import numpy as np

from matching.types import MatchConfig

__all__ = ["fuse", "relative"]


def relative(x: np.ndarray) -> np.ndarray:
    """``x`` divided by its maximum (so the best candidate scores 1); all zeros stay zeros."""
    top = float(x.max(initial=0.0))
    return x / top if top > 0 else x


def fuse(
    graph_max: np.ndarray,
    graph_sum: np.ndarray,
    text: np.ndarray,
    cooc: np.ndarray,
    competitor: np.ndarray,
    *,
    config: MatchConfig,
    scope: str = "node",
    feedback: np.ndarray | None = None,
    industry: np.ndarray | None = None,
    peer: np.ndarray | None = None,
    aside: np.ndarray | None = None,
) -> np.ndarray:
    """Score every slot (see :class:`MatchConfig` for the formula).

    ``graph_max``/``graph_sum``: best and summed node evidence per candidate; ``text``, ``cooc`` and
    ``feedback`` (the makers' words) already relative (0..1); ``competitor``: 1 where the candidate
    makes what an upstream poster makes; ``industry``: industry evidence (see :mod:`matching.industry`);
    ``peer``/``aside``: 1 where the candidate lists the poster's own products / a modifier or purpose
    product of the need and makes no wanted product (see :mod:`matching.understanding`).
    """
    g = np.minimum(graph_max + config.sum_bonus * (graph_sum - graph_max), 1.5)
    w_text = config.w_text_upstream if scope == "upstream" else config.w_text
    if not graph_max.any():
        w_text = config.w_text_no_nodes
    score = config.w_graph * g + w_text * text + config.w_cooc * cooc
    if feedback is not None:
        score = score + config.w_feedback * feedback
    if industry is not None:
        score = score + config.w_industry * industry
    if scope == "upstream":
        score = score - config.competitor_penalty * competitor
    if peer is not None:
        score = score - config.peer_penalty * peer
    if aside is not None:
        score = score - config.aside_penalty * aside
    return score
