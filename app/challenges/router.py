"""揭榜挂帅 technology challenges and applications to them.

Who may call what ("staff who reach it": admins, and operators whose regions and chains cover the challenge;
the rules themselves live in app/access/needs.py):
- post a challenge: chain leaders (for their own firm); edit it: the posting firm, while a draft;
- read: any token sees published and closed challenges; drafts only the posting firm and staff who reach it
  (others get 404); publish and close: the posting firm and staff who reach it;
- apply: SME tokens (SMEs, universities, institutes); directed commissions only firms they were delivered to;
- read a challenge's applications: the posting firm and staff who reach it; decide on them: the posting firm;
- an applicant's own applications and their withdrawal: under /api/v1/me/applications, the applicant's members;
  an anonymous poster is named to nobody else, also not in an application's history.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from app.challenges import applications, service
from app.challenges.schemas import (
    ApplicationCreate,
    ApplicationDecision,
    ApplicationOut,
    ChallengeCreate,
    ChallengeOut,
    ChallengeWrite,
)
from app.core.deps import READ, CurrentPrincipal, SessionDep, require_roles
from app.core.schemas import Page
from app.core.vocabulary import Limit, Offset, RowId
from app.match_index.deps import IndexDep
from app.models import Principal

Id = RowId
AppStatus = Literal["submitted", "shortlisted", "selected", "rejected", "withdrawn"]

challenges = APIRouter(prefix="/api/v1/challenges")
mine = APIRouter(prefix="/api/v1/me/applications")


def _one(session: SessionDep, principal: Principal, challenge_id: int) -> ChallengeOut:
    need, ch = service.get_visible(session, principal, challenge_id)
    return service.out(session, [(need, ch)], principal)[0]


def _act(session: Session, principal: Principal, challenge_id: int, action: Callable[..., object],
         **params: object) -> ChallengeOut:
    """A state change on a challenge the caller may see (the service checks who may make it), then its view."""
    need, ch = service.get_visible(session, principal, challenge_id)
    action(session=session, need=need, challenge=ch, principal=principal, **params)
    return _one(session, principal, challenge_id)


@challenges.post("", response_model=ChallengeOut, status_code=201, summary="Post a challenge (chain leaders)")
def create_challenge(data: ChallengeCreate, session: SessionDep,
                     principal: Annotated[Principal, Depends(require_roles("leader"))]) -> ChallengeOut:
    need = service.create(session=session, data=data, principal=principal)
    return _one(session, principal, need.id)


@challenges.get("", openapi_extra=READ, response_model=Page[ChallengeOut],
                summary="List challenges (any token; drafts only for the poster, operators, admins)")
def list_challenges(
    session: SessionDep,
    principal: CurrentPrincipal,
    mode: Annotated[Literal["competitive", "directed", "team"] | None, Query()] = None,
    status: Annotated[Literal["draft", "published", "closed"] | None, Query()] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[ChallengeOut]:
    return service.search(session=session, principal=principal, mode=mode, status=status, limit=limit,
                          offset=offset)


@challenges.get("/{challenge_id}", openapi_extra=READ, response_model=ChallengeOut,
                summary="One challenge (any token; a draft only for the poster, operators, admins)")
def get_challenge(challenge_id: Id, session: SessionDep, principal: CurrentPrincipal) -> ChallengeOut:
    return _one(session, principal, challenge_id)


@challenges.patch("/{challenge_id}", response_model=ChallengeOut, summary="Edit a draft challenge (the poster)")
def update_challenge(challenge_id: Id, data: ChallengeWrite, session: SessionDep,
                     principal: CurrentPrincipal) -> ChallengeOut:
    return _act(session, principal, challenge_id, service.update, data=data)


@challenges.post("/{challenge_id}/publish", response_model=ChallengeOut,
                 summary="Publish and deliver to fitting solvers (the poster, operators, admins)")
def publish_challenge(challenge_id: Id, session: SessionDep, index: IndexDep,
                      principal: CurrentPrincipal) -> ChallengeOut:
    return _act(session, principal, challenge_id, service.publish, holder=index)


@challenges.post("/{challenge_id}/close", response_model=ChallengeOut,
                 summary="Close a challenge (the poster, operators, admins)")
def close_challenge(challenge_id: Id, session: SessionDep, principal: CurrentPrincipal) -> ChallengeOut:
    return _act(session, principal, challenge_id, service.close)


@challenges.post("/{challenge_id}/applications", response_model=ApplicationOut, status_code=201,
                 summary="Apply, alone or as a team (SME, university and institute tokens)")
def apply(challenge_id: Id, data: ApplicationCreate, session: SessionDep,
          principal: CurrentPrincipal) -> ApplicationOut:
    need, ch = service.get_visible(session, principal, challenge_id)
    made = applications.apply(session=session, need=need, challenge=ch, data=data, principal=principal)
    return applications.out(session, [made], principal)[0]


@challenges.get("/{challenge_id}/applications", openapi_extra=READ, response_model=Page[ApplicationOut],
                summary="A challenge's applications (the poster, operators, admins)")
def list_applications(challenge_id: Id, session: SessionDep, principal: CurrentPrincipal,
                      status: Annotated[AppStatus | None, Query()] = None, limit: Limit = 50,
                      offset: Offset = 0) -> Page[ApplicationOut]:
    need, _ = service.get_visible(session, principal, challenge_id)
    return applications.list_for_challenge(session=session, need=need, principal=principal, status=status,
                                           limit=limit, offset=offset)


@challenges.put("/{challenge_id}/applications/{app_id}", response_model=ApplicationOut,
                summary="Shortlist, select or reject an application (the poster)")
def decide(challenge_id: Id, app_id: Id, data: ApplicationDecision, session: SessionDep,
           principal: CurrentPrincipal) -> ApplicationOut:
    need, ch = service.get_visible(session, principal, challenge_id)
    done = applications.decide(session=session, need=need, challenge=ch, app_id=app_id, data=data,
                               principal=principal)
    return applications.out(session, [done], principal)[0]


@mine.get("", openapi_extra=READ,
          response_model=Page[ApplicationOut], summary="My organisation's applications (SME tokens)")
def my_applications(session: SessionDep, principal: CurrentPrincipal,
                    status: Annotated[AppStatus | None, Query()] = None, limit: Limit = 50,
                    offset: Offset = 0) -> Page[ApplicationOut]:
    return applications.list_mine(session=session, principal=principal, status=status, limit=limit, offset=offset)


@mine.post("/{app_id}/withdraw", response_model=ApplicationOut,
           summary="Withdraw my organisation's application (the applicant's SME tokens)")
def withdraw(app_id: Id, session: SessionDep, principal: CurrentPrincipal) -> ApplicationOut:
    done = applications.withdraw(session=session, app_id=app_id, principal=principal)
    return applications.out(session, [done], principal)[0]


# Two prefixes (/challenges and /me/applications) under the one `router` that app.main includes.
router = APIRouter(tags=["challenges"])
router.include_router(challenges)
router.include_router(mine)
