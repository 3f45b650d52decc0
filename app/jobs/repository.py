"""Queries on the jobs table. Claiming (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, a conditional UPDATE on SQLite)
and progress are fenced by the attempt number so two workers never share a job."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from app.core.pagination import count_rows, where_given
from app.models import Job
from app.models._types import utcnow


def _takeable(stale_before: datetime) -> Any:
    return or_(Job.status == "queued",
               and_(Job.status == "running", or_(Job.heartbeat_at.is_(None), Job.heartbeat_at < stale_before)))


class JobRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def candidates(self, *, stale_before: datetime, waiting: list[str], limit: int = 10) -> list[int]:
        """Takeable jobs, oldest first, except the kinds that must wait (for the match index)."""
        stmt = select(Job.id).where(_takeable(stale_before))
        if waiting:
            stmt = stmt.where(Job.kind.not_in(waiting))
        stmt = stmt.order_by(Job.created_at, Job.id).limit(limit)
        return list(self.session.scalars(stmt))

    def claim_next(self, *, stale_before: datetime, waiting: list[str]) -> tuple[int, int] | None:
        """PostgreSQL: lock the oldest takeable job that no other worker has locked (``FOR UPDATE SKIP LOCKED``)
        and take it in the same transaction; returns (job id, attempt) or None. Racing workers never wait for
        each other nor try the same row: each skips the rows the others hold."""
        stmt = select(Job.id, Job.attempts).where(_takeable(stale_before))
        if waiting:
            stmt = stmt.where(Job.kind.not_in(waiting))
        row = self.session.execute(stmt.order_by(Job.created_at, Job.id).limit(1)
                                   .with_for_update(skip_locked=True)).first()
        if row is None:
            return None
        job_id, attempts = row
        now = utcnow()
        self.session.execute(update(Job).where(Job.id == job_id)
                             .values(status="running", attempts=attempts + 1, heartbeat_at=now, started_at=now)
                             .execution_options(synchronize_session=False))
        return int(job_id), int(attempts) + 1

    def has_key(self, key: str) -> bool:
        return self.session.scalar(select(Job.id).where(Job.key == key)) is not None

    def prune_periodic(self, kind: str, *, before: datetime) -> None:
        self.session.execute(delete(Job).where(Job.kind == kind, Job.key.is_not(None), Job.status == "done",
                                               Job.finished_at < before))

    def claim(self, job_id: int, *, stale_before: datetime) -> int | None:
        """Take the job if it is still takeable; returns the new attempt number (the fencing token) or None.

        The WHERE re-checks the state at UPDATE time, so of two workers racing for the same job exactly one
        sees rowcount 1: the other's condition no longer holds once the first has set a fresh heartbeat.
        """
        current = self.session.scalar(select(Job.attempts).where(Job.id == job_id))
        if current is None:
            return None
        now = utcnow()
        res = self.session.execute(
            update(Job).where(Job.id == job_id, Job.attempts == current, _takeable(stale_before))
            # The previous attempt's error stays until this one ends: a job given up on says why.
            .values(status="running", attempts=current + 1, heartbeat_at=now,
                    started_at=now).execution_options(synchronize_session=False))
        return current + 1 if _rowcount(res) == 1 else None

    def beat(self, job_id: int, attempt: int) -> bool:
        """Refresh the heartbeat while this worker still owns the job; False once another has taken it over."""
        res = self.session.execute(
            update(Job).where(Job.id == job_id, Job.attempts == attempt, Job.status == "running")
            .values(heartbeat_at=utcnow()).execution_options(synchronize_session=False))
        return _rowcount(res) == 1

    def progress(self, job_id: int, attempt: int, *, done: int, total: int | None = None,
                 result: dict[str, Any] | None = None) -> bool:
        """Record progress only while this worker still owns the job (a stale worker must not write)."""
        values: dict[str, Any] = {"done": done, "heartbeat_at": utcnow()}
        if result is not None:
            values["result"] = dict(result)
        if total is not None:
            values["total"] = total
        return self._while_owned(job_id, attempt, values)

    def finish(self, job_id: int, attempt: int, *, status: str, result: dict[str, Any] | None = None,
               error: str = "") -> bool:
        values: dict[str, Any] = {"status": status, "finished_at": utcnow(), "heartbeat_at": utcnow(),
                                  "error": error[:2000]}
        if result is not None:
            values["result"] = result
        return self._while_owned(job_id, attempt, values)

    def _while_owned(self, job_id: int, attempt: int, values: dict[str, Any]) -> bool:
        """Write ``values`` only if this attempt still runs the job (fencing: a taken-over worker writes nothing)."""
        res = self.session.execute(
            update(Job).where(Job.id == job_id, Job.attempts == attempt, Job.status == "running")
            .values(**values).execution_options(synchronize_session=False))
        return _rowcount(res) == 1


    def search(self, *, created_by: int | None, status: str | None, kind: str | None, limit: int,
               offset: int) -> tuple[list[Job], int]:
        """Newest first, with the total; ``created_by`` None lists every job."""
        stmt = where_given(select(Job), (Job.created_by, created_by), (Job.status, status), (Job.kind, kind))
        total = count_rows(self.session, stmt)
        return list(self.session.scalars(stmt.order_by(Job.id.desc()).limit(limit).offset(offset))), total


def _rowcount(res: Any) -> int:
    return res.rowcount if isinstance(res, CursorResult) else 0
