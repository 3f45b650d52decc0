"""Typed, distance-decayed neighbourhoods of chain nodes, with the path that reached each node.

A need names some seed nodes; the firms worth showing make those nodes, narrower kinds of them, and
(with less confidence) broader kinds. A need for suppliers ("upstream") wants the *inputs* of the
seeds instead, and the makers of the seeds themselves are competitors: they are returned separately
(:attr:`Expansion.avoid`) so the ranker can push them down rather than up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from graph.chaingraph import ChainGraph

__all__ = ["SCOPES", "Expansion", "ProximityWeights", "chain_members", "expand"]

SCOPES = ("node", "upstream")

# edge labels as they appear in explanation paths (the direction the expansion walked)
NARROWER, BROADER, INPUT = "narrower", "broader", "input"


@dataclass(frozen=True)
class ProximityWeights:
    """Multipliers applied per hop; a node reached twice keeps its best weight.

    Narrower kinds score close to the node itself because a maker of a sub-kind does make the kind;
    broader kinds are weak evidence (a maker of "battery" may not make lithium batteries). Inputs of
    inputs are a second-order guess for suppliers and stay low.
    """

    narrower: tuple[float, ...] = (0.6, 0.45)
    broader: float = 0.1
    inputs: float = 1.0
    input_narrower: float = 0.45
    input_of_input: float = 0.15
    narrower_inputs: float = 0.5  # inputs of a sub-kind are likely inputs of the kind
    broader_inputs: float = 0.3


@dataclass
class Expansion:
    """Reached node -> weight, with back-pointers to rebuild the path from its seed."""

    weights: dict[int, float] = field(default_factory=dict)
    parent: dict[int, tuple[int, str]] = field(default_factory=dict)  # node -> (previous node, edge label)
    avoid: frozenset[int] = frozenset()  # upstream scope: the seeds and their sub-kinds (competitors)

    def path(self, node: int) -> list[tuple[int, str]]:
        """``[(seed, ""), (n1, edge), …, (node, edge)]``: the walk that gave ``node`` its weight."""
        out = [(node, "")]
        seen = {node}
        while node in self.parent:
            prev, edge = self.parent[node]
            out[-1] = (node, edge)
            out.append((prev, ""))
            if prev in seen:  # defensive: parents are written best-first, cycles cannot form
                break
            seen.add(prev)
            node = prev
        out.reverse()
        return out


def _offer(exp: Expansion, node: int, weight: float, prev: int | None, edge: str) -> bool:
    if weight <= exp.weights.get(node, 0.0):
        return False
    exp.weights[node] = weight
    if prev is None:
        exp.parent.pop(node, None)
    else:
        exp.parent[node] = (prev, edge)
    return True


def expand(
    G: ChainGraph,
    seeds: Mapping[int, float],
    *,
    scope: str = "node",
    weights: ProximityWeights | None = None,
) -> Expansion:
    """Expand seed node weights over typed edges (see :class:`ProximityWeights`)."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}; expected one of {SCOPES}")
    w = weights or ProximityWeights()
    exp = Expansion()
    if scope == "node":
        for s, ws in seeds.items():
            _offer(exp, s, ws, None, "")
        # level decays are absolute (relative to the seed), so the frontier carries the seed weight
        frontier = dict(seeds)
        for decay in w.narrower:
            nxt: dict[int, float] = {}
            for s, root_w in frontier.items():
                for c in G.narrower(s).tolist():
                    if _offer(exp, c, root_w * decay, s, NARROWER):
                        nxt[c] = root_w
            frontier = nxt
        for s, ws in seeds.items():
            for p in G.broader(s).tolist():
                _offer(exp, p, ws * w.broader, s, BROADER)
        return exp

    avoid: set[int] = set()
    for s in seeds:
        avoid.add(s)
        avoid.update(G.narrower(s).tolist())
    for s, ws in seeds.items():
        for i in G.inputs(s).tolist():
            _offer(exp, i, ws * w.inputs, s, INPUT)
        # many nodes list no inputs themselves but their sub-kinds or broader kinds do
        routes = ((G.narrower(s), NARROWER, w.narrower_inputs), (G.broader(s), BROADER, w.broader_inputs))
        for via, edge, decay in routes:
            for v in via.tolist():
                for i in G.inputs(v).tolist():
                    if _offer(exp, i, ws * decay, v, INPUT) and v not in exp.parent and v not in seeds:
                        exp.parent[v] = (s, edge)  # a waypoint: on paths, never scored itself
    first = {i: exp.weights[i] for i in list(exp.weights)}
    for i, wi in first.items():
        for c in G.narrower(i).tolist():
            _offer(exp, c, wi * w.input_narrower, i, NARROWER)
        for j in G.inputs(i).tolist():
            _offer(exp, j, wi * w.input_of_input, i, INPUT)
    for a in avoid:  # a competitor is never also counted as a supplier of itself
        exp.weights.pop(a, None)
    exp.avoid = frozenset(avoid)
    return exp


def chain_members(G: ChainGraph, root: str, depth: int = 2) -> set[str]:
    """Names of the chain rooted at product ``root``.

    The chain is: the root; its inputs up to ``depth`` levels; one level of sub-kinds of the root and
    of each of those inputs; and the root's direct downstream products.
    """
    r = G.lookup(root)
    if r is None:
        raise KeyError(root)
    core = {r}
    frontier = {r}
    for _ in range(depth):
        frontier = {i for f in frontier for i in G.inputs(f).tolist()} - core
        core |= frontier
    members = set(core)
    for n in core:
        members.update(G.narrower(n).tolist())
    members.update(G.outputs(r).tolist())
    return {G.names_[i] for i in members}
