"""The chain graph: building it, typed proximity, chain membership and chain analytics (pure networkx/scipy)."""

from graph.analytics import chain_analysis, node_table, supply_rate, weak_links
from graph.chaingraph import EDGE_TYPES, ChainGraph, NodeSpec, edges_from_relations
from graph.exceptions import AnalyticsError, UnknownFirmError, UnknownNodeError
from graph.proximity import SCOPES, Expansion, ProximityWeights, chain_members, expand
from graph.supply import Firm, Supply, SupplyTable, supply_table

__all__ = [
    "EDGE_TYPES",
    "SCOPES",
    "AnalyticsError",
    "ChainGraph",
    "Expansion",
    "Firm",
    "NodeSpec",
    "ProximityWeights",
    "Supply",
    "SupplyTable",
    "UnknownFirmError",
    "UnknownNodeError",
    "chain_analysis",
    "chain_members",
    "edges_from_relations",
    "expand",
    "node_table",
    "supply_rate",
    "supply_table",
    "weak_links",
]
