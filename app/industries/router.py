"""Industries. Reading: any authenticated principal."""

from __future__ import annotations

from fastapi import APIRouter

from app.core.deps import READ, CurrentPrincipal, SessionDep
from app.industries import service
from app.industries.schemas import IndustryDetail, IndustryTreeNode

router = APIRouter(prefix="/api/v1/industries", tags=["industries"])


@router.get("", openapi_extra=READ, response_model=list[IndustryTreeNode], summary="The three-level industry tree")
def industry_tree(session: SessionDep, _: CurrentPrincipal) -> list[IndustryTreeNode]:
    return service.tree(session=session)


@router.get("/{code}", openapi_extra=READ,
            response_model=IndustryDetail, summary="An industry with its upstream industries")
def industry_detail(code: str, session: SessionDep, _: CurrentPrincipal) -> IndustryDetail:
    return service.detail(session=session, code=code)
