"""Walk-in re-matching on the day: when a participant does not show, its counterparts in that slot each get another
free participant who fits, chosen together by a maximum-weight bipartite matching (so two counterparts never get
the same replacement, and the best total fit wins)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx


@dataclass(frozen=True)
class Replacement:
    counterpart: int
    partner: int
    weight: float


def rematch(counterparts: Iterable[int], free: Iterable[int],
            weights: dict[tuple[int, int], float]) -> list[Replacement]:
    """``weights`` maps an ordered pair (low id, high id) to how well the two fit; only positive weights count.

    The caller leaves out of ``free`` anyone busy, absent or over its cap, and out of ``weights`` pairs that
    already met or refuse to meet.
    """
    left = [("c", c) for c in counterparts]
    right = [("f", f) for f in free]
    graph = nx.Graph()
    for _, c in left:
        for _, f in right:
            if c == f:
                continue
            w = weights.get((min(c, f), max(c, f)), 0.0)
            if w > 0:
                graph.add_edge(("c", c), ("f", f), weight=w)
    out = []
    for u, v in nx.max_weight_matching(graph):
        (_, c), (_, f) = (u, v) if u[0] == "c" else (v, u)
        out.append(Replacement(c, f, weights[(min(c, f), max(c, f))]))
    return sorted(out, key=lambda r: r.counterpart)
