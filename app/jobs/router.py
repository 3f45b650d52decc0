"""Background jobs. Reading a job: its creator, operators and admins (anyone else gets 404); listing: operators
and admins see all jobs, others the ones they started."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from app.core.deps import READ, CurrentPrincipal, RowId, SessionDep
from app.core.schemas import Page
from app.jobs import service
from app.jobs.schemas import JobOut

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])


@router.get("", openapi_extra=READ,
            response_model=Page[JobOut], summary="Jobs, newest first (operators, admins: all; others: their own)")
def list_jobs(
    session: SessionDep,
    principal: CurrentPrincipal,
    status: Annotated[Literal["queued", "running", "done", "failed"] | None, Query()] = None,
    kind: Annotated[str | None, Query(max_length=32)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Page[JobOut]:
    rows, total = service.search(session=session, principal=principal, status=status, kind=kind, limit=limit,
                                 offset=offset)
    return Page(items=[JobOut.model_validate(r) for r in rows], total=total, limit=limit, offset=offset)


@router.get("/{job_id}", openapi_extra=READ,
            response_model=JobOut, summary="A job's status and progress (its creator, operators, admins)")
def get_job(job_id: RowId, session: SessionDep,
            principal: CurrentPrincipal) -> JobOut:
    return JobOut.model_validate(service.get_visible(session=session, job_id=job_id, principal=principal))
