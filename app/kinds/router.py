"""Members of category nodes (动力煤 of 煤炭): a wanted product few firms list also seeks the categories it is a member
of; read from either side (a category's members, a product's kinds). Reading: any token. Adding and removing:
operators and admins. A change reaches matching within a second (app/match_index/holder.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from app.core.deps import READ, CurrentPrincipal, RowId, SessionDep, require_roles
from app.kinds import service
from app.kinds.schemas import MemberIn, MemberOut
from app.models import Principal

router = APIRouter(prefix="/api/v1/nodes", tags=["chain nodes"])

Editor = Annotated[Principal, Depends(require_roles("operator", "admin"))]


@router.get("/{key}/members", openapi_extra=READ, response_model=list[MemberOut],
            summary="Products that are kinds of a category node (any token)")
def list_members(key: str, session: SessionDep, _: CurrentPrincipal) -> list[MemberOut]:
    return [MemberOut.model_validate(m) for m in service.list_members(session=session, key=key)]


@router.get("/{key}/kinds", openapi_extra=READ, response_model=list[MemberOut],
            summary="Categories a product node (by its name or an alias) is a kind of (any token)")
def list_kinds(key: str, session: SessionDep, _: CurrentPrincipal) -> list[MemberOut]:
    return [MemberOut.model_validate(m) for m in service.list_kinds(session=session, key=key)]


@router.post("/{key}/members", response_model=MemberOut, status_code=201,
             summary="Add a product as a kind of a category node (operators, admins)")
def add_member(key: str, data: MemberIn, session: SessionDep, principal: Editor) -> MemberOut:
    return MemberOut.model_validate(service.add(session=session, key=key, data=data, principal=principal))


@router.delete("/{key}/members/{member_id}", status_code=204,
               summary="Remove a product from a category node's members (operators, admins)")
def remove_member(key: str, member_id: RowId, session: SessionDep, principal: Editor) -> Response:
    service.remove(session=session, key=key, member_id=member_id, principal=principal)
    return Response(status_code=204)
