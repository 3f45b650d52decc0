"""Jobs: enqueue one in the request's transaction, show it to whom it belongs, and the handler registry."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.errors import NotFound
from app.jobs.repository import JobRepository
from app.matches.index_holder import IndexHolder
from app.models import Job, Principal

# A job run that comes back this often without finishing is given up rather than retried for ever.
MAX_ATTEMPTS = 5
DEFAULT_BATCH = 50


class JobLost(Exception):
    """Another worker took the job over (this one was thought dead); stop without writing."""


@dataclass
class JobContext:
    factory: sessionmaker[Session]
    holder: IndexHolder
    job_id: int
    attempt: int
    params: dict[str, Any]
    done: int
    batch_size: int = DEFAULT_BATCH
    # Partial results survive a restart: they are written with every progress step.
    result: dict[str, Any] = field(default_factory=dict)
    # Set by the runner's heartbeat when another worker has taken the job over.
    lost: threading.Event = field(default_factory=threading.Event)

    def progress(self, session: Session, *, done: int, total: int | None = None) -> None:
        """Write progress in the batch's own transaction, so work and counter commit together or not at all."""
        if self.lost.is_set() or not JobRepository(session).progress(self.job_id, self.attempt, done=done, total=total,
                                               result=self.result):
            raise JobLost(f"job {self.job_id} was taken over by another worker")
        self.done = done


Handler = Callable[[JobContext], dict[str, Any]]
HANDLERS: dict[str, Handler] = {}


def register(kind: str) -> Callable[[Handler], Handler]:
    def deco(fn: Handler) -> Handler:
        HANDLERS[kind] = fn
        return fn

    return deco


def enqueue(*, session: Session, kind: str, params: dict[str, Any], principal: Principal | None,
            total: int = 0) -> Job:
    job = Job(kind=kind, status="queued", params=params, result={}, error="", done=0, total=total, attempts=0,
              created_by=principal.id if principal else None)
    session.add(job)
    session.flush()
    return job


def get_visible(*, session: Session, job_id: int, principal: Principal) -> Job:
    """Operators and admins see every job; anyone else only the jobs they started (others are 404)."""
    job = session.get(Job, job_id)
    if job is None or (principal.role not in ("admin", "operator") and job.created_by != principal.id):
        raise NotFound(f"job {job_id} not found")
    return job


def search(*, session: Session, principal: Principal, status: str | None, kind: str | None, limit: int,
           offset: int) -> tuple[list[Job], int]:
    """Operators and admins list every job; anyone else the jobs they started."""
    stmt = select(Job)
    if principal.role not in ("admin", "operator"):
        stmt = stmt.where(Job.created_by == principal.id)
    if status:
        stmt = stmt.where(Job.status == status)
    if kind:
        stmt = stmt.where(Job.kind == kind)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(Job.id.desc()).limit(limit).offset(offset))
    return list(rows), total
