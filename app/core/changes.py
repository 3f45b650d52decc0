"""The change feed: every change to firms, their capabilities, the chain graph and the node aliases, numbered,
written in the transaction that makes it.

A listener on every ORM session (not on one factory, so no process, CLI command or test can forget it) adds the
entries at flush; bulk writers that bypass the ORM (the chainkg import) call :func:`log_changes` themselves.
On PostgreSQL the same transaction sends ``NOTIFY chainmatch_changes``, which the server delivers only if it
commits. Workers read the log after their position (app/match_index/feed.py); the number orders the entries,
``created_at`` bounds how long a gap left by a transaction still in flight is waited for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import event, insert, text
from sqlalchemy.orm import Session

from app.core.bulk import insert_rows
from app.core.vocabulary import ChangeKind
from app.models._types import utcnow
from app.models.chain import ChainNode, NodeAlias, NodeEdge, NodeKind
from app.models.changelog import ChangeLog
from app.models.enterprise import Capability, Enterprise

CHANNEL = "chainmatch_changes"
_BULK = 1_000
_PENDING = "chainmatch_changes_pending"
# Called after a commit that logged changes (Redis pub/sub when configured; PostgreSQL needs none).
_after_commit_hooks: list[Callable[[], None]] = []


def log_changes(session: Session, kind: ChangeKind, ids: Iterable[int | None]) -> None:
    """Number a change to each of ``ids`` (firm ids; ``[None]`` for the graph or the alias list) in the session's
    transaction."""
    now = utcnow()  # one moment for the call's entries: they are written in one transaction
    rows = [{"kind": kind, "entity_id": i, "created_at": now} for i in ids]
    if not rows:
        return
    conn = session.connection()
    if len(rows) >= _BULK:  # a bulk import's million firms: COPY on PostgreSQL (30 % of the import as INSERTs)
        insert_rows(session, ChangeLog.__table__, rows, "change log", _quiet)  # type: ignore[arg-type]
    else:
        for start in range(0, len(rows), 10_000):
            conn.execute(insert(ChangeLog), rows[start : start + 10_000])
    if conn.dialect.name == "postgresql":
        # Delivered at commit, never for a rolled-back transaction; repeats within one transaction fold into one.
        conn.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})
    session.info[_PENDING] = True


def _quiet(step: str, done: int, total: int) -> None:
    return None


def on_commit(hook: Callable[[], None]) -> Callable[[], None]:
    """Run ``hook`` after every commit that logged changes (in any session of this process); returns a remover."""
    _after_commit_hooks.append(hook)
    return lambda: _after_commit_hooks.remove(hook)


@event.listens_for(Session, "after_flush")
def _log_flushed(session: Session, _context: object) -> None:
    firms: set[int] = set()
    graph = aliases = False
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Enterprise) and (obj in session.new or obj in session.deleted
                                            or session.is_modified(obj, include_collections=False)):
            firms.add(obj.id)
        elif isinstance(obj, Capability):
            firms.add(obj.enterprise_id)
        elif isinstance(obj, ChainNode | NodeEdge):
            graph = True
        elif isinstance(obj, NodeAlias | NodeKind):
            # Every node's workers re-read the alias and kinds lists (only the firms whose texts hold a changed
            # word move; a kind changes no firm's evidence, only what a need seeks).
            aliases = True
    log_changes(session, "enterprise", sorted(i for i in firms if i is not None))
    if graph:
        log_changes(session, "graph", [None])
    if aliases:
        log_changes(session, "alias", [None])


@event.listens_for(Session, "after_commit")
def _notify_committed(session: Session) -> None:
    if session.info.pop(_PENDING, False):
        for hook in list(_after_commit_hooks):
            hook()


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)
