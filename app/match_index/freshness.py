"""Keep the in-memory match index in step with committed enterprise changes.

Services name the enterprises they changed; once the request's transaction commits, the index
holder reloads just those records. A rolled-back change never reaches the index.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

_KEY = "chainmatch_reindex"


def queue_reindex(session: Session, enterprise_id: int) -> None:
    session.info.setdefault(_KEY, set()).add(enterprise_id)


def install(factory: sessionmaker[Session], on_commit) -> None:  # type: ignore[no-untyped-def]
    """Call ``on_commit(ids)`` after each commit that queued enterprise ids."""

    @event.listens_for(factory, "after_commit")
    def _after_commit(session: Session) -> None:
        ids = session.info.pop(_KEY, None)
        if ids:
            on_commit(sorted(ids))

    @event.listens_for(factory, "after_rollback")
    def _after_rollback(session: Session) -> None:
        session.info.pop(_KEY, None)
