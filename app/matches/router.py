"""Ranking enterprises for a need. Allowed: chain leaders, operators, admins, and integrations with scope match."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from app.core.admission import HEAVY
from app.core.deps import MATCH, READS_ONLY, ReadSessionDep, require_roles, run_read
from app.core.responses import JsonResponse, json_response
from app.match_index.deps import IndexDep
from app.matches import service
from app.matches.schemas import MatchRequest, MatchResponse
from app.models import Principal

router = APIRouter(prefix="/api/v1/match", tags=["matching"])


@router.post("", openapi_extra=MATCH | READS_ONLY | HEAVY,
             response_model=MatchResponse, summary="Rank enterprises for a need, with explanations")
async def match(
    data: MatchRequest,
    session: ReadSessionDep,
    index: IndexDep,
    principal: Annotated[Principal, Depends(require_roles("leader", "operator", "admin", "integration"))],
) -> JsonResponse:
    # On SQLite ranked on the event loop unless the index is being updated (its lock taken by a refresh): see
    # run_read. The engine takes the same lock itself, so holding it here changes nothing for the ranking.
    live = index.index
    return await run_read(session, lambda: json_response(service.match(session=session, holder=index, request=data,
                                                                        principal=principal)),
                          lock=live.lock if live is not None else None)
