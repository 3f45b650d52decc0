"""Jobs: enqueue one in the request's transaction, and show it to whom it belongs."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.access.reach import reaches_all
from app.core.errors import NotFound
from app.jobs.repository import JobRepository
from app.models import Job, Principal

# A job run that comes back this often without finishing is given up rather than retried for ever.
MAX_ATTEMPTS = 5


def enqueue(*, session: Session, kind: str, params: BaseModel, principal: Principal | None, total: int = 0,
            key: str | None = None) -> Job:
    """Queue a job in the caller's transaction: it exists exactly when the change that asked for it commits."""
    job = Job(kind=kind, status="queued", params=params.model_dump(mode="json"), result={}, error="", done=0,
              total=total, attempts=0, created_by=principal.id if principal else None, key=key)
    session.add(job)
    session.flush()
    return job


def get_visible(*, session: Session, job_id: int, principal: Principal) -> Job:
    """Admins and operators without limits see every job; anyone else, limited operators included (a job's
    parameters and errors name needs of any region or chain), only the jobs they started (others are 404)."""
    job = session.get(Job, job_id)
    if job is None or (not reaches_all(principal) and job.created_by != principal.id):
        raise NotFound(f"job {job_id} not found")
    return job


def search(*, session: Session, principal: Principal, status: str | None, kind: str | None, limit: int,
           offset: int) -> tuple[list[Job], int]:
    """Admins and operators without limits list every job; anyone else the jobs they started."""
    return JobRepository(session).search(created_by=None if reaches_all(principal) else principal.id,
                                         status=status, kind=kind, limit=limit, offset=offset)
