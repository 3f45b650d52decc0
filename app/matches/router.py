"""Ranking enterprises for a need. Allowed: chain leaders, operators, admins, and integrations with scope match."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from app.core.admission import HEAVY
from app.core.deps import MATCH, READS_ONLY, ReadSessionDep, reading_roles
from app.core.responses import JsonResponse, json_response
from app.match_index.deps import IndexDep
from app.matches import service
from app.matches.schemas import MatchRequest, MatchResponse
from app.models import Principal

router = APIRouter(prefix="/api/v1/match", tags=["matching"])


@router.post("", openapi_extra=MATCH | READS_ONLY | HEAVY,
             response_model=MatchResponse, summary="Rank enterprises for a need, with explanations")
def match(
    data: MatchRequest,
    session: ReadSessionDep,
    index: IndexDep,
    principal: Annotated[Principal, Depends(reading_roles("leader", "operator", "admin", "integration"))],
) -> JsonResponse:
    return json_response(service.match(session=session, holder=index, request=data, principal=principal))
