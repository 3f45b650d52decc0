"""Enterprise directory. Reading: any authenticated principal. Creating: admins and operators.
Changing a profile: admins, operators, and the firm's own members (not its kind or tier)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.access.reach import require_region
from app.chains import service as chains
from app.core.deps import READ, CurrentPrincipal, ReadSessionDep, SessionDep, StaffPrincipal
from app.core.errors import Invalid
from app.core.schemas import Page
from app.core.vocabulary import EnterpriseKind, Tier
from app.enterprises import service
from app.enterprises.repository import EnterpriseFilter
from app.enterprises.schemas import EnterpriseCreate, EnterpriseDetail, EnterpriseSummary, EnterpriseWrite
from app.industries import service as industries
from app.match_index.deps import IndexDep

router = APIRouter(prefix="/api/v1/enterprises", tags=["enterprises"])

Kind = EnterpriseKind


@router.get("", openapi_extra=READ, response_model=Page[EnterpriseSummary], summary="Search enterprises")
def list_enterprises(
    session: ReadSessionDep,
    _: CurrentPrincipal,
    index: IndexDep,
    q: Annotated[str | None, Query(max_length=100, description="name or product text")] = None,
    kind: Annotated[list[Kind] | None, Query()] = None,
    tier: Annotated[list[Tier] | None, Query()] = None,
    region: Annotated[str | None, Query(max_length=100, description="province[/city[/district]]")] = None,
    node: Annotated[str | None, Query(max_length=200, description="chain node id or name")] = None,
    industry: Annotated[str | None, Query(max_length=16, description="industry code (any level)")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Page[EnterpriseSummary]:
    node_id = None
    if node is not None:
        found = chains.resolve_node(session, node)
        if found is None:
            raise Invalid("node", f"unknown chain node {node}")
        node_id = found.id
    industry_ids = industries.industry_scope(session, industry) if industry else None
    f = EnterpriseFilter(q=q.strip() if q else None, kinds=kind or (), tiers=tier or (), region=region,
                         node_id=node_id, industry_ids=industry_ids)
    return service.search(session=session, f=f, limit=limit, offset=offset, directory=index.directory)


@router.get("/{key}", openapi_extra=READ,
            response_model=EnterpriseDetail, summary="One enterprise with its capabilities")
def get_enterprise(key: str, session: SessionDep, principal: CurrentPrincipal) -> EnterpriseDetail:
    enterprise = service.get(session=session, key=key)
    return service.detail(session=session, enterprise=enterprise, principal=principal)


@router.post("", response_model=EnterpriseDetail, status_code=201, summary="Register an enterprise")
def create_enterprise(
    data: EnterpriseCreate,
    session: SessionDep,
    principal: StaffPrincipal,
) -> EnterpriseDetail:
    require_region(principal, data.region or "")
    enterprise = service.create(session=session, data=data, principal=principal)
    return service.detail(session=session, enterprise=enterprise, principal=principal)


@router.patch("/{key}", response_model=EnterpriseDetail, summary="Change a profile or its capabilities")
def update_enterprise(key: str, data: EnterpriseWrite, session: SessionDep,
                      principal: CurrentPrincipal) -> EnterpriseDetail:
    enterprise = service.get(session=session, key=key)
    service.update(session=session, enterprise=enterprise, data=data, principal=principal)
    return service.detail(session=session, enterprise=enterprise, principal=principal)
