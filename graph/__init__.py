"""The chain graph: building it, typed proximity and chain membership (pure networkx/scipy)."""

from graph.chaingraph import EDGE_TYPES, ChainGraph, NodeSpec, edges_from_relations
from graph.proximity import SCOPES, Expansion, ProximityWeights, chain_members, expand

__all__ = [
    "EDGE_TYPES",
    "SCOPES",
    "ChainGraph",
    "Expansion",
    "NodeSpec",
    "ProximityWeights",
    "chain_members",
    "edges_from_relations",
    "expand",
]
