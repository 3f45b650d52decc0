"""Chain nodes and chains. Reading: any authenticated principal. Creating chains: admins and operators."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from app.chains import service
from app.chains.schemas import ChainCreate, ChainGraphOut, ChainSummary, NodeDetail, NodeSummary
from app.core.deps import READ, CurrentPrincipal, ReadSessionDep, SessionDep, StaffPrincipal
from app.core.schemas import Page

nodes_router = APIRouter(prefix="/api/v1/nodes", tags=["chain nodes"])
chains_router = APIRouter(prefix="/api/v1/chains", tags=["chains"])


@nodes_router.get("", openapi_extra=READ, response_model=Page[NodeSummary], summary="Search chain nodes by name")
def list_nodes(
    session: ReadSessionDep,
    _: CurrentPrincipal,
    q: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Page[NodeSummary]:
    return service.search_nodes(session=session, q=q, limit=limit, offset=offset)


@nodes_router.get("/{key}", openapi_extra=READ,
                  response_model=NodeDetail, summary="A node with its inputs, products and kinds")
def get_node(key: str, session: SessionDep, _: CurrentPrincipal) -> NodeDetail:
    return service.node_detail(session=session, node=service.get_node(session=session, key=key))


@chains_router.get("", openapi_extra=READ, response_model=list[ChainSummary], summary="All chains")
def list_chains(session: SessionDep, _: CurrentPrincipal) -> list[ChainSummary]:
    return service.list_all(session=session)


@chains_router.get("/{key}", openapi_extra=READ, response_model=ChainSummary, summary="One chain")
def get_chain(key: str, session: SessionDep, _: CurrentPrincipal) -> ChainSummary:
    return service.summary(session, service.get_chain(session=session, key=key))


@chains_router.get("/{key}/graph", openapi_extra=READ,
                   response_model=ChainGraphOut, summary="Nodes and edges of a chain, for drawing")
def get_chain_graph(key: str, session: SessionDep, _: CurrentPrincipal) -> ChainGraphOut:
    return service.chain_graph(session=session, chain=service.get_chain(session=session, key=key))


@chains_router.post("", response_model=ChainSummary, status_code=201, summary="Define a chain from a root node")
def create_chain(
    data: ChainCreate,
    request: Request,
    session: SessionDep,
    principal: StaffPrincipal,
) -> ChainSummary:
    holder = getattr(request.app.state, "index", None)
    graph = holder.graph if holder is not None else None
    chain = service.create_chain(session=session, data=data, graph=graph, principal=principal)
    return service.summary(session, chain)
