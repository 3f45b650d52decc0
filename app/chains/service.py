"""Rules about chain nodes and chains: node neighbourhoods, chain derivation from a root, drawable graphs."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from app.chains.repository import ChainRepository
from app.chains.schemas import ChainCreate, ChainGraphOut, ChainSummary, GraphEdge, GraphNode, NodeDetail
from app.core.audit import record
from app.core.errors import Conflict, Invalid, NotFound
from app.core.schemas import NodeRef
from app.models import Chain, ChainNode, Principal
from graph import ChainGraph, NodeSpec, chain_members

MAX_GRAPH_NODES = 2000


def resolve_node(session: Session, key: str) -> ChainNode | None:
    return ChainRepository(session).node_by_key(key)



def unknown_codes(session: Session, codes: Sequence[str]) -> list[str]:
    """The codes that name no chain, sorted."""
    return sorted(set(codes) - set(ChainRepository(session).existing_codes(codes)))


def get_node(*, session: Session, key: str) -> ChainNode:
    node = resolve_node(session, key)
    if node is None:
        raise NotFound(f"chain node {key} not found")
    return node


def node_detail(*, session: Session, node: ChainNode) -> NodeDetail:
    repo = ChainRepository(session)

    def refs(nodes: list[ChainNode]) -> list[NodeRef]:
        return [NodeRef.model_validate(n) for n in nodes]

    return NodeDetail(
        id=node.id, name=node.name, kind=node.kind, aliases=list(node.aliases or []),
        inputs=refs(repo.neighbours(node.id, as_source=False, type_="input")),
        outputs=refs(repo.neighbours(node.id, as_source=True, type_="input")),
        broader=refs(repo.neighbours(node.id, as_source=False, type_="subkind")),
        narrower=refs(repo.neighbours(node.id, as_source=True, type_="subkind")),
        makers=repo.maker_counts([node.id]).get(node.id, 0),
        chains=repo.chains_of(node.id),
    )


def summary(session: Session, chain: Chain) -> ChainSummary:
    repo = ChainRepository(session)
    root = session.get(ChainNode, chain.root_node_id) if chain.root_node_id else None
    return ChainSummary(id=chain.id, code=chain.code, name=chain.name, description=chain.description,
                        root=NodeRef.model_validate(root) if root else None, node_count=repo.member_count(chain.id))


def find_chain(session: Session, key: str) -> Chain | None:
    return ChainRepository(session).get_chain(key)


def nodes_by_key(session: Session, keys: Sequence[str | int]) -> tuple[list[ChainNode], list[str]]:
    """The nodes named by name or id, and the keys that name none."""
    return ChainRepository(session).nodes_by_key(keys)


def get_chain(*, session: Session, key: str) -> Chain:
    chain = ChainRepository(session).get_chain(key)
    if chain is None:
        raise NotFound(f"chain {key} not found")
    return chain


def create_chain(*, session: Session, data: ChainCreate, graph: ChainGraph | None = None,
                 principal: Principal | None = None) -> Chain:
    repo = ChainRepository(session)
    if repo.get_chain(data.code) is not None or any(c.name == data.name for c in repo.list_chains()):
        raise Conflict(f"a chain named {data.code} / {data.name} exists already")
    root = resolve_node(session, data.root)
    if root is None:
        raise Invalid("root", f"unknown chain node {data.root}")
    if graph is None:
        graph = ChainGraph.build([NodeSpec(root.name)], repo.all_edges())
    names = set(chain_members(graph, root.name, depth=data.depth)) | {root.name}
    ids = repo.node_ids_by_name(sorted(names | set(data.extra_nodes)))
    unknown = sorted(set(data.extra_nodes) - set(ids))
    if unknown:
        raise Invalid("extra_nodes", f"unknown chain nodes: {', '.join(unknown[:10])}")
    chain = Chain(code=data.code, name=data.name, description=data.description, root_node_id=root.id)
    session.add(chain)
    session.flush()
    ChainRepository(session).add_members(chain.id, sorted(set(ids.values())))
    session.flush()
    record(session, principal=principal, action="chain.create", entity="chain", entity_id=chain.code,
           after={"name": chain.name, "root": root.name, "nodes": len(ids)})
    return chain


def chain_graph(*, session: Session, chain: Chain) -> ChainGraphOut:
    repo = ChainRepository(session)
    ids = repo.member_ids(chain.id)
    makers = repo.maker_counts(ids)
    # Drawing thousands of nodes helps nobody; keep the best-supplied ones (and the root).
    if len(ids) > MAX_GRAPH_NODES:
        ids = sorted(ids, key=lambda i: (i != chain.root_node_id, -makers.get(i, 0), i))[:MAX_GRAPH_NODES]
    nodes = repo.nodes(ids)
    edges = repo.edges_among(ids)
    return ChainGraphOut(
        chain=summary(session, chain),
        nodes=[GraphNode(id=n.id, name=n.name, makers=makers.get(n.id, 0)) for n in nodes],
        edges=[GraphEdge(source=e.src_id, target=e.dst_id, type=e.type) for e in edges],
    )
