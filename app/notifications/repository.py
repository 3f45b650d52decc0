"""Queries over the notifications a principal may see: its organisation's, and those addressed to it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm import Session

from app.models import Notification, Principal


@dataclass(frozen=True)
class InboxFilter:
    unread: bool | None = None
    event: str | None = None


def visible_to(principal: Principal) -> ColumnElement[bool]:
    """Rows for the principal's organisation or addressed to the principal itself; nothing else, even for admins."""
    clauses: list[ColumnElement[bool]] = [Notification.principal_id == principal.id]
    if principal.org_id is not None:
        clauses.append(Notification.org_id == principal.org_id)
    return or_(*clauses)


class NotificationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _conditions(self, principal: Principal, f: InboxFilter) -> list[ColumnElement[bool]]:
        conds = [visible_to(principal)]
        if f.unread is True:
            conds.append(Notification.read_at.is_(None))
        elif f.unread is False:
            conds.append(Notification.read_at.is_not(None))
        if f.event is not None:
            conds.append(Notification.event == f.event)
        return conds

    def inbox(self, principal: Principal, f: InboxFilter, *, limit: int,
              offset: int) -> tuple[list[Notification], int]:
        conds = self._conditions(principal, f)
        total = self.session.scalar(select(func.count()).select_from(Notification).where(*conds)) or 0
        rows = self.session.scalars(select(Notification).where(*conds)
                                    .order_by(Notification.created_at.desc(), Notification.id.desc())
                                    .limit(limit).offset(offset)).all()
        return list(rows), total

    def get_visible(self, principal: Principal, notification_id: int) -> Notification | None:
        return self.session.scalar(select(Notification).where(Notification.id == notification_id,
                                                              visible_to(principal)))

    def unread_ids(self, principal: Principal, f: InboxFilter) -> list[int]:
        conds = self._conditions(principal, InboxFilter(unread=True, event=f.event))
        return list(self.session.scalars(select(Notification.id).where(*conds).order_by(Notification.id)))

    def told_about(self, event: str, need_ids: Sequence[int]) -> set[tuple[int, int]]:
        """(need id, organisation id) of every ``event`` notification already written about these needs."""
        need_key = Notification.payload["need_id"].as_integer()
        rows = self.session.execute(select(Notification.org_id, need_key)
                                    .where(Notification.event == event, need_key.in_(need_ids)))
        return {(need_id, org_id) for org_id, need_id in rows}

    def mark_read(self, ids: list[int], moment: object) -> int:
        if not ids:
            return 0
        result = self.session.execute(update(Notification).where(Notification.id.in_(ids),
                                                                 Notification.read_at.is_(None))
                                      .values(read_at=moment).execution_options(synchronize_session=False))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
