"""The audit log: every write records who, what, when, and the changed fields before and after."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.models import AuditEntry, Principal


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def snapshot(obj: Any, fields: tuple[str, ...] | list[str]) -> dict[str, Any]:
    return {f: _plain(getattr(obj, f)) for f in fields}


def record(session: Session, *, principal: Principal | None, action: str, entity: str, entity_id: Any,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    """Write one entry in the caller's transaction; only fields that changed are kept when both sides are given."""
    before, after = dict(before or {}), dict(after or {})
    if before and after:
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        before = {k: v for k, v in before.items() if k in changed}
        after = {k: v for k, v in after.items() if k in changed}
    session.add(AuditEntry(principal_id=principal.id if principal else None, action=action, entity=entity,
                           entity_id=str(entity_id), before={k: _plain(v) for k, v in before.items()},
                           after={k: _plain(v) for k, v in after.items()}))
