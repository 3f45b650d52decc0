"""Keep the in-memory match index in step with committed enterprise and alias changes.

Services name the enterprises they changed (or say the alias list changed); once the request's transaction
commits, the index holder reloads just those records (or the aliases). A rolled-back change never reaches
the index.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

_KEY = "chainmatch_reindex"
_ALIASES = "chainmatch_aliases"


def queue_reindex(session: Session, enterprise_id: int) -> None:
    session.info.setdefault(_KEY, set()).add(enterprise_id)


def queue_alias_refresh(session: Session) -> None:
    session.info[_ALIASES] = True


def install(factory: sessionmaker[Session], on_commit, on_aliases=None) -> None:  # type: ignore[no-untyped-def]
    """Call ``on_commit(ids)`` after each commit that queued enterprise ids, ``on_aliases()`` after each
    commit that changed the alias list."""

    @event.listens_for(factory, "after_commit")
    def _after_commit(session: Session) -> None:
        ids = session.info.pop(_KEY, None)
        if session.info.pop(_ALIASES, None) and on_aliases is not None:
            on_aliases()
        if ids:
            on_commit(sorted(ids))

    @event.listens_for(factory, "after_rollback")
    def _after_rollback(session: Session) -> None:
        session.info.pop(_KEY, None)
        session.info.pop(_ALIASES, None)
