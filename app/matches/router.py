"""Ranking enterprises for a need. Allowed: chain leaders, operators, admins, and integrations with scope match."""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, Depends

from app.core.admission import HEAVY
from app.core.deps import MATCH, READS_ONLY, ReadSessionDep, answers_at_once, reading_roles
from app.core.responses import JsonResponse, json_response
from app.match_index.deps import IndexDep
from app.match_index.holder import IndexHolder
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
    principal: Annotated[Principal, Depends(reading_roles("leader", "operator", "admin", "integration"))],
) -> JsonResponse:
    def answer() -> JsonResponse:
        return json_response(service.match(session=session, holder=index, request=data, principal=principal))

    # Ranking is CPU work that holds the GIL whichever thread runs it: run on the event loop it spares two thread
    # switches per match. Only when it cannot wait there: the index free (its lock is re-entrant, so rank() takes
    # it again in this thread; an update holding it sends the match to a thread), and every statement the match
    # may need answered at once (none for a need without exclusions or node ids; else a SQLite reader's).
    live = index.index
    if live is not None and (_needs_no_statement(data, index) or answers_at_once(session)) \
            and live.lock.acquire(blocking=False):
        try:
            return answer()
        finally:
            live.lock.release()
    return await anyio.to_thread.run_sync(answer)


def _needs_no_statement(data: MatchRequest, index: IndexHolder) -> bool:
    return not data.exclude and (index.index is not None and service.names_only(data.nodes, index.index))

