"""Background jobs. Reading a job: its creator, operators and admins (anyone else gets 404)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from app.deps import CurrentPrincipal, SessionDep
from app.jobs import service
from app.jobs.schemas import JobOut

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])


@router.get("/{job_id}", response_model=JobOut, summary="A job's status and progress (its creator, operators, admins)")
def get_job(job_id: Annotated[int, Path(ge=1, le=2_147_483_647)], session: SessionDep,
            principal: CurrentPrincipal) -> JobOut:
    return JobOut.model_validate(service.get_visible(session=session, job_id=job_id, principal=principal))
