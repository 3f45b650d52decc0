"""All models, imported here so Alembic's autogenerate and metadata see every table."""

from app.models.auth import ROLES, ApiToken, Principal
from app.models.chain import EDGE_TYPES, NODE_KINDS, Chain, ChainMember, ChainNode, NodeEdge
from app.models.enterprise import CAPABILITY_SOURCES, ENTERPRISE_KINDS, TIERS, Capability, Enterprise
from app.models.industry import Industry, IndustryUpstream

__all__ = [
    "CAPABILITY_SOURCES", "EDGE_TYPES", "ENTERPRISE_KINDS", "NODE_KINDS", "ROLES", "TIERS",
    "ApiToken", "Capability", "Chain", "ChainMember", "ChainNode", "Enterprise", "Industry",
    "IndustryUpstream", "NodeEdge", "Principal",
]
