"""Chain nodes and chains. Reading: any authenticated principal. Creating chains: admins and operators."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from app.chains import service
from app.chains.repository import ChainRepository
from app.chains.schemas import ChainCreate, ChainGraphOut, ChainSummary, NodeDetail, NodeSummary
from app.core.deps import CurrentPrincipal, ReadSessionDep, SessionDep, require_roles
from app.core.schemas import Page
from app.models import Principal

nodes_router = APIRouter(prefix="/api/v1/nodes", tags=["chain nodes"])
chains_router = APIRouter(prefix="/api/v1/chains", tags=["chains"])


@nodes_router.get("", response_model=Page[NodeSummary], summary="Search chain nodes by name")
def list_nodes(
    session: ReadSessionDep,
    _: CurrentPrincipal,
    q: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Page[NodeSummary]:
    rows, total = ChainRepository(session).search_nodes(q.strip() if q else None, limit=limit, offset=offset)
    return Page(items=[NodeSummary.model_validate(r) for r in rows], total=total, limit=limit, offset=offset)


@nodes_router.get("/{key}", response_model=NodeDetail, summary="A node with its inputs, products and kinds")
def get_node(key: str, session: SessionDep, _: CurrentPrincipal) -> NodeDetail:
    return service.node_detail(session=session, node=service.get_node(session=session, key=key))


@chains_router.get("", response_model=list[ChainSummary], summary="All chains")
def list_chains(session: SessionDep, _: CurrentPrincipal) -> list[ChainSummary]:
    return [service.summary(session, c) for c in ChainRepository(session).list_chains()]


@chains_router.get("/{key}", response_model=ChainSummary, summary="One chain")
def get_chain(key: str, session: SessionDep, _: CurrentPrincipal) -> ChainSummary:
    return service.summary(session, service.get_chain(session=session, key=key))


@chains_router.get("/{key}/graph", response_model=ChainGraphOut, summary="Nodes and edges of a chain, for drawing")
def get_chain_graph(key: str, session: SessionDep, _: CurrentPrincipal) -> ChainGraphOut:
    return service.chain_graph(session=session, chain=service.get_chain(session=session, key=key))


@chains_router.post("", response_model=ChainSummary, status_code=201, summary="Define a chain from a root node")
def create_chain(
    data: ChainCreate,
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(require_roles("admin", "operator"))],
) -> ChainSummary:
    holder = getattr(request.app.state, "index", None)
    graph = holder.graph if holder is not None else None
    chain = service.create_chain(session=session, data=data, graph=graph, principal=principal)
    return service.summary(session, chain)
