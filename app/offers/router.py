"""Offers (成果清单): capabilities and research results that SMEs, universities and institutes offer to industry.

Who may call what: publish an offer: SME tokens (SMEs, universities, institutes) for their own organisation;
read and search: any token; change or delete: the offering organisation only (others 403);
rank offers for a need: those who manage the need (its posting firm, staff who reach it; app/access/needs.py);
a draft the caller may not see is 404.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from app.core.deps import READ, CurrentPrincipal, SessionDep, require_roles
from app.core.schemas import Page
from app.core.vocabulary import OfferKind, RowId
from app.match_index.deps import IndexDep
from app.models import Principal
from app.offers import ranking, service
from app.offers.schemas import OfferCreate, OfferMatchResponse, OfferOut, OfferWrite

router = APIRouter(prefix="/api/v1/offers", tags=["offers"])

Id = RowId
Kind = OfferKind


@router.post("", response_model=OfferOut, status_code=201, summary="Publish an offer (SME tokens)")
def create_offer(data: OfferCreate, session: SessionDep,
                 principal: Annotated[Principal, Depends(require_roles("sme"))]) -> OfferOut:
    offer = service.create(session=session, data=data, principal=principal)
    return service.out(session, [offer])[0]


@router.get("", openapi_extra=READ, response_model=Page[OfferOut], summary="Search offers (any token)")
def list_offers(
    session: SessionDep,
    _: CurrentPrincipal,
    q: Annotated[str | None, Query(max_length=100, description="words in the title or description")] = None,
    kind: Annotated[Kind | None, Query()] = None,
    node: Annotated[str | None, Query(max_length=200, description="chain node name")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Page[OfferOut]:
    return service.search(session=session, q=q.strip() if q else None, kind=kind,
                          node=node.strip() if node else None, limit=limit, offset=offset)


@router.get("/matches", openapi_extra=READ, response_model=OfferMatchResponse,
            summary="Offers ranked for a need, explained (the need's poster, operators, admins)")
def match_offers(
    session: SessionDep,
    index: IndexDep,
    principal: Annotated[Principal, Depends(require_roles("leader", "operator", "admin"))],
    need: Annotated[int, Query(ge=1, le=2**31 - 1, description="the need (or challenge) id")],
    kind: Annotated[Kind | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> OfferMatchResponse:
    row = service.need_for_matching(session=session, need_id=need, principal=principal)
    return ranking.match(session=session, graph=index.graph, need=row, kind=kind, limit=limit)


@router.get("/{offer_id}", openapi_extra=READ, response_model=OfferOut, summary="One offer (any token)")
def get_offer(offer_id: Id, session: SessionDep, _: CurrentPrincipal) -> OfferOut:
    return service.out(session, [service.get(session=session, offer_id=offer_id)])[0]


@router.patch("/{offer_id}", response_model=OfferOut, summary="Change an offer (the offering organisation)")
def update_offer(offer_id: Id, data: OfferWrite, session: SessionDep, principal: CurrentPrincipal) -> OfferOut:
    offer = service.get(session=session, offer_id=offer_id)
    service.update(session=session, offer=offer, data=data, principal=principal)
    return service.out(session, [offer])[0]


@router.delete("/{offer_id}", status_code=204, response_class=Response,
               summary="Delete an offer (the offering organisation)")
def delete_offer(offer_id: Id, session: SessionDep, principal: CurrentPrincipal) -> Response:
    offer = service.get(session=session, offer_id=offer_id)
    service.delete(session=session, offer=offer, principal=principal)
    return Response(status_code=204)
