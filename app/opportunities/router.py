"""The SME's opportunity feed: needs delivered to the caller's own firm, interest and dismissal.
Allowed: SME members only, always scoped to their own firm (org)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.core.deps import READ, CurrentPrincipal, ReadSessionDep, RowId, SessionDep, require_roles
from app.core.schemas import Page
from app.core.vocabulary import DEFAULT_MIN_MATCH, MinMatch, NeedKind
from app.opportunities import service
from app.opportunities.schemas import FeedItem, InterestIn

router = APIRouter(prefix="/api/v1/me", tags=["opportunities"])

Sme = Annotated[object, Depends(require_roles("sme"))]


@router.get("/opportunities", openapi_extra=READ, response_model=Page[FeedItem],
            summary="My firm's feed of delivered needs, best fit first; marks them seen (SMEs)")
def my_opportunities(
    session: ReadSessionDep,
    principal: CurrentPrincipal,
    _: Sme,
    kind: NeedKind | None = None,
    chain: Annotated[str | None, Query(max_length=40, description="chain code of the need's catalogue")] = None,
    deadline_before: Annotated[date | None, Query(description="deadline on or before this day")] = None,
    min_match: Annotated[MinMatch, Query()] = DEFAULT_MIN_MATCH,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Page[FeedItem]:
    return service.feed(session=session, principal=principal, kind=kind, chain=chain,
                        deadline_before=deadline_before, min_match=min_match, limit=limit, offset=offset)


@router.get("/opportunities/{need_id}", openapi_extra=READ, response_model=FeedItem,
            summary="One need as my firm sees it, with what changed since delivery (SMEs)")
def my_opportunity(need_id: RowId, session: SessionDep, principal: CurrentPrincipal, _: Sme) -> FeedItem:
    return service.item(session=session, principal=principal, need_id=need_id)


@router.post("/opportunities/{need_id}/interest", response_model=FeedItem,
             summary="Tell the poster my firm is interested (SMEs)")
def express_interest(need_id: RowId, data: InterestIn, session: SessionDep, principal: CurrentPrincipal,
                     _: Sme) -> FeedItem:
    return service.interest(session=session, principal=principal, need_id=need_id, message=data.message)


@router.post("/opportunities/{need_id}/dismiss", response_model=FeedItem,
             summary="Dismiss a need; it never returns to my feed (SMEs)")
def dismiss_opportunity(need_id: RowId, session: SessionDep, principal: CurrentPrincipal, _: Sme) -> FeedItem:
    return service.dismiss(session=session, principal=principal, need_id=need_id)
