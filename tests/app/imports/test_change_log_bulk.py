"""A bulk import's change-log entries (thousands at once go through COPY on PostgreSQL): every firm numbered once,
in order, at one moment, in the caller's transaction."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.changes import log_changes
from app.models import ChangeLog


def test_many_entries_are_all_written_in_order(session: Session) -> None:
    before = session.scalar(select(ChangeLog.id).order_by(ChangeLog.id.desc()).limit(1)) or 0
    ids = list(range(1, 2_501))
    log_changes(session, "enterprise", ids)
    rows = session.execute(select(ChangeLog.id, ChangeLog.kind, ChangeLog.entity_id, ChangeLog.created_at)
                           .where(ChangeLog.id > before).order_by(ChangeLog.id)).all()
    assert [r.entity_id for r in rows] == ids and {r.kind for r in rows} == {"enterprise"}
    assert len({r.created_at for r in rows}) == 1
    log_changes(session, "graph", [None])
    last = session.execute(select(ChangeLog.kind, ChangeLog.entity_id).order_by(ChangeLog.id.desc()).limit(1)).one()
    assert tuple(last) == ("graph", None)
