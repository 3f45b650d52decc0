"""Aliases of chain nodes (MCU → 微控制器). Reading: any token. Adding and removing: operators and admins. A change
reaches matching within a second (app/match_index/holder.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from app.aliases import service
from app.aliases.schemas import AliasIn, AliasOut
from app.core.deps import READ, CurrentPrincipal, RowId, SessionDep, require_roles
from app.models import Principal

router = APIRouter(prefix="/api/v1/nodes", tags=["chain nodes"])

Editor = Annotated[Principal, Depends(require_roles("operator", "admin"))]


@router.get("/{key}/aliases", openapi_extra=READ, response_model=list[AliasOut],
            summary="Aliases of a node (any token)")
def list_aliases(key: str, session: SessionDep, _: CurrentPrincipal) -> list[AliasOut]:
    return [AliasOut.model_validate(a) for a in service.list_for_node(session=session, key=key)]


@router.post("/{key}/aliases", response_model=AliasOut, status_code=201,
             summary="Add an alias to a node (operators, admins)")
def add_alias(key: str, data: AliasIn, session: SessionDep, principal: Editor) -> AliasOut:
    return AliasOut.model_validate(service.add(session=session, key=key, data=data, principal=principal))


@router.delete("/{key}/aliases/{alias_id}", status_code=204, summary="Remove an alias of a node (operators, admins)")
def remove_alias(key: str, alias_id: RowId, session: SessionDep, principal: Editor) -> Response:
    service.remove(session=session, key=key, alias_id=alias_id, principal=principal)
    return Response(status_code=204)
