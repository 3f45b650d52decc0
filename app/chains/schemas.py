"""Chain node and chain models."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.core.schemas import NodeRef


class NodeSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kind: str
    aliases: list[str]


class NodeDetail(NodeSummary):
    inputs: list[NodeRef] = Field(description="upstream inputs of this node")
    outputs: list[NodeRef] = Field(description="downstream products made from this node")
    broader: list[NodeRef] = Field(description="broader kinds")
    narrower: list[NodeRef] = Field(description="narrower kinds (sub-kinds)")
    makers: int = Field(description="enterprises with a capability linked to this node")
    chains: list[str]


class ChainSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    description: str
    root: NodeRef | None
    node_count: int


class ChainCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str = Field(min_length=1, max_length=100)
    description: str = Field(default="", max_length=2000)
    root: str = Field(min_length=1, max_length=200, description="root node name or id")
    depth: int = Field(default=2, ge=1, le=4, description="levels of inputs taken into the chain")
    extra_nodes: list[str] = Field(default_factory=list, max_length=500)


class GraphNode(BaseModel):
    id: int
    name: str
    makers: int


class GraphEdge(BaseModel):
    source: int
    target: int
    type: str = Field(description="input: source is an input of target; subkind: target is a kind of source")


class ChainGraphOut(BaseModel):
    chain: ChainSummary
    nodes: list[GraphNode]
    edges: list[GraphEdge]
