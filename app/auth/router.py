"""Tokens, the caller itself, and the audit log.

Tokens: admins issue any role; operators issue leader, sme and integration tokens that expire within a year; an
operator limited to regions or chains issues, lists and revokes only tokens of firms in its reach
(app/access/tokens.py).
`/me`: any authenticated caller. Audit log: admins, and operators (limited operators see their own entries);
a firm's contact details in before/after values are shown only to whoever may see that firm's contacts (admins,
the firm itself), and read "***" for everyone else.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.auth import service
from app.auth.schemas import AuditOut, Me, TokenCreate, TokenCreated, TokenOut
from app.core.deps import READ, CurrentPrincipal, SessionDep, require_roles
from app.models import Principal

router = APIRouter(prefix="/api/v1", tags=["auth"])
Curator = Annotated[Principal, Depends(require_roles("admin", "operator"))]


@router.post("/tokens", response_model=TokenCreated, status_code=201, summary="Issue a token (admin, operator)")
def create_token(data: TokenCreate, session: SessionDep, caller: Curator) -> TokenCreated:
    return service.issue(session=session, data=data, caller=caller)


@router.get("/tokens", openapi_extra=READ, response_model=list[TokenOut], summary="List tokens (admin, operator)")
def list_tokens(session: SessionDep, caller: Curator) -> list[TokenOut]:
    return service.list_tokens(session=session, caller=caller)


@router.delete("/tokens/{prefix}", response_model=TokenOut, summary="Revoke a token at once (admin, operator)")
def revoke_token(prefix: str, session: SessionDep, caller: Curator) -> TokenOut:
    return service.revoke(session=session, prefix=prefix, caller=caller)


@router.get("/me", openapi_extra=READ, response_model=Me, summary="Who am I (any token)")
def who_am_i(session: SessionDep, caller: CurrentPrincipal) -> Me:
    return service.me(session=session, caller=caller)


@router.get("/audit", openapi_extra=READ, response_model=list[AuditOut], summary="The audit log (admin, operator)")
def audit(
    session: SessionDep,
    caller: Curator,
    entity: Annotated[str | None, Query(max_length=40)] = None,
    entity_id: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> list[AuditOut]:
    return service.audit_log(session=session, caller=caller, entity=entity, entity_id=entity_id, limit=limit,
                             offset=offset)
