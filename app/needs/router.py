"""Needs of chain leaders. Posting: members of a chain-leader firm. Reading: any token, limited to what the caller
may see (drafts only by the posting firm and staff who reach it; budgets and anonymous posters hidden from others).
Editing, publishing, closing, matches and interests: the posting firm and staff who reach it (admins, operators
whose regions and chains cover the need). Decisions on candidates and answers to interest: the posting firm's
leaders only. The rules themselves: app/access/needs.py."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.core.admission import HEAVY
from app.core.deps import READ, CurrentPrincipal, RowId, SessionDep, require_roles
from app.core.schemas import Page
from app.core.vocabulary import Limit, NeedKind, NeedStatus, Offset, ReceivingKind, Tier
from app.match_index.deps import IndexDep
from app.models import Need
from app.needs import candidates, service
from app.needs.schemas import (
    AnswerIn,
    CandidateIn,
    InterestItem,
    NeedCreate,
    NeedMatches,
    NeedOut,
    NeedPublished,
    NeedUpdate,
    NeedVersionOut,
    PublishIn,
    UnderstandingFix,
)

router = APIRouter(prefix="/api/v1/needs", tags=["needs"])

Leader = Annotated[object, Depends(require_roles("leader"))]
Staff = Annotated[object, Depends(require_roles("leader", "operator", "admin"))]
Kind = NeedKind


def _need(need_id: RowId, session: SessionDep, principal: CurrentPrincipal) -> Need:
    """The need named in the path, as the caller may see it (404 when it may not)."""
    return service.get(session=session, need_id=need_id, principal=principal)


VisibleNeed = Annotated[Need, Depends(_need)]
Status = NeedStatus


@router.post("", response_model=NeedOut, status_code=201, summary="Post a need as a draft (chain leaders)")
def create_need(data: NeedCreate, session: SessionDep, index: IndexDep, principal: CurrentPrincipal,
                _: Leader) -> NeedOut:
    need = service.create(session=session, data=data, principal=principal, holder=index)
    return service.present(session, need, principal)


@router.get("", openapi_extra=READ, response_model=Page[NeedOut],
            summary="List needs (leaders: their own; operators, admins: all; others: published ones)")
def list_needs(
    session: SessionDep,
    principal: CurrentPrincipal,
    kind: Kind | None = None,
    status: Status | None = None,
    q: Annotated[str | None, Query(max_length=100, description="text in the title or description")] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[NeedOut]:
    return service.search(session=session, principal=principal, kind=kind, status=status,
                          q=q.strip() if q and q.strip() else None, limit=limit, offset=offset)


@router.get("/{need_id}", openapi_extra=READ,
            response_model=NeedOut, summary="One need (any token; drafts only for the poster and staff)")
def get_need(need: VisibleNeed, session: SessionDep, index: IndexDep, principal: CurrentPrincipal) -> NeedOut:
    return service.present(session, need, principal, index)


@router.patch("/{need_id}", response_model=NeedOut,
              summary="Edit a need (the posting firm, operators, admins); a published need gets a new version")
def update_need(need: VisibleNeed, data: NeedUpdate, session: SessionDep, index: IndexDep,
                principal: CurrentPrincipal) -> NeedOut:
    service.update(session=session, need=need, data=data, principal=principal, holder=index)
    return service.present(session, need, principal, index)


@router.patch("/{need_id}/understanding", response_model=NeedOut,
              summary="Correct the engine's reading of a draft: attach or remove nodes (the posting firm, operators, "
                      "admins)")
def correct_understanding(need: VisibleNeed, data: UnderstandingFix, session: SessionDep, index: IndexDep,
                          principal: CurrentPrincipal, _: Staff) -> NeedOut:
    service.correct(session=session, holder=index, need=need, data=data, principal=principal)
    return service.present(session, need, principal, index)


@router.get("/{need_id}/versions", openapi_extra=READ, response_model=list[NeedVersionOut],
            summary="Published versions and what changed (anyone who may see the need)")
def need_versions(need: VisibleNeed, session: SessionDep, principal: CurrentPrincipal) -> list[NeedVersionOut]:
    return service.versions(session=session, need=need, principal=principal)


@router.post("/{need_id}/publish", openapi_extra=HEAVY, response_model=NeedPublished,
             summary="Publish a draft and deliver it to the best-fitting firms (the posting firm, operators, admins)")
def publish_need(need: VisibleNeed, session: SessionDep, index: IndexDep, principal: CurrentPrincipal,
                 data: PublishIn | None = None) -> NeedPublished:
    delivered = service.publish(session=session, holder=index, need=need, principal=principal,
                                top_n=(data or PublishIn()).top_n)
    return NeedPublished(**service.present(session, need, principal).model_dump(), delivered=delivered)


@router.post("/{need_id}/close", response_model=NeedOut, summary="Close a need (the posting firm, operators, admins)")
def close_need(need: VisibleNeed, session: SessionDep, principal: CurrentPrincipal) -> NeedOut:
    service.close(session=session, need=need, principal=principal)
    return service.present(session, need, principal)


@router.get("/{need_id}/matches", openapi_extra=READ | HEAVY, response_model=NeedMatches,
            summary="Ranked, explained firms for the need (the posting firm, operators, admins)")
def need_matches(
    _: Staff,
    need: VisibleNeed,
    session: SessionDep,
    index: IndexDep,
    principal: CurrentPrincipal,
    kinds: Annotated[list[ReceivingKind] | None, Query()] = None,
    tiers: Annotated[list[Tier] | None, Query()] = None,
    regions: Annotated[list[str] | None, Query(description="province[/city[/district]] prefixes")] = None,
    limit: Limit = 20,
    offset: Annotated[int, Query(ge=0, le=1000)] = 0,
) -> NeedMatches:
    return candidates.matches(session=session, holder=index, need=need, principal=principal,
                              kinds=kinds or (), tiers=tiers or (), regions=regions or (), limit=limit, offset=offset)


@router.put("/{need_id}/candidates/{enterprise}", response_model=InterestItem,
            summary="Shortlist, invite, reject or select a firm (the posting firm's leaders)")
def decide_candidate(_: Leader, need: VisibleNeed, enterprise: str, data: CandidateIn, session: SessionDep,
                     principal: CurrentPrincipal) -> InterestItem:
    return candidates.decide(session=session, need=need, key=enterprise, data=data, principal=principal)


@router.get("/{need_id}/interests", openapi_extra=READ, response_model=Page[InterestItem],
            summary="Firms interested in the need; contacts once both agreed (the posting firm, operators, admins)")
def need_interests(_: Staff, need: VisibleNeed, session: SessionDep, principal: CurrentPrincipal,
                   limit: Limit = 50, offset: Offset = 0) -> Page[InterestItem]:
    return candidates.interests(session=session, need=need, principal=principal, limit=limit, offset=offset)


@router.post("/{need_id}/interests/{enterprise}/answer", response_model=InterestItem,
             summary="Accept (invite) or decline a firm's interest (the posting firm's leaders)")
def answer_interest(_: Leader, need: VisibleNeed, enterprise: str, data: AnswerIn, session: SessionDep,
                    principal: CurrentPrincipal) -> InterestItem:
    return candidates.answer(session=session, need=need, key=enterprise, data=data, principal=principal)
