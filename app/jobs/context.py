"""What a running job is handed: its own identity and progress, a session factory, and, only for kinds that
declared it, the match index."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from app.jobs.repository import JobRepository
from app.match_index.holder import IndexHolder

DEFAULT_BATCH = 50


class JobLost(Exception):
    """Another worker took the job over (this one was thought dead); stop without writing."""


@dataclass
class JobContext:
    factory: sessionmaker[Session]
    job_id: int
    attempt: int
    done: int
    batch_size: int = DEFAULT_BATCH
    # Partial results survive a restart: they are written with every progress step.
    result: dict[str, Any] = field(default_factory=dict)
    # Set by the runner's heartbeat when another worker has taken the job over.
    lost: threading.Event = field(default_factory=threading.Event)
    # Given only to kinds with uses_index=True (and then never None).
    index_holder: IndexHolder | None = None

    @property
    def index(self) -> IndexHolder:
        if self.index_holder is None:
            raise RuntimeError(f"job {self.job_id}'s kind did not declare uses_index")
        return self.index_holder

    def progress(self, session: Session, *, done: int, total: int | None = None) -> None:
        """Write progress in the batch's own transaction, so work and counter commit together or not at all."""
        if self.lost.is_set() or not JobRepository(session).progress(self.job_id, self.attempt, done=done,
                                                                     total=total, result=self.result):
            raise JobLost(f"job {self.job_id} was taken over by another worker")
        self.done = done
