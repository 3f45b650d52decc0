"""The audit log: every write records who, what, when, and the changed fields before and after.

Entries keep contact details as written; whoever reads the log gets them redacted unless it may see that firm's
contacts (``redact_contacts``, applied by the audit-log service).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEntry, Principal


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


# Keys whose values are a firm's contact details: the Enterprise.contact_* columns, a nested "contact" object, or
# any e-mail or phone field. They are private to the firm itself and admins, in the audit log as everywhere else.
_CONTACT_MARKERS = ("contact", "email", "e_mail", "phone", "mobile", "wechat")
REDACTED = "***"


def is_contact_key(key: str) -> bool:
    lowered = key.lower()
    return any(marker in lowered for marker in _CONTACT_MARKERS)


def redact_contacts(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with every contact-like value (at any depth) replaced by REDACTED; a null stays null."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if is_contact_key(str(key)) and value is not None:
            out[key] = REDACTED
        elif isinstance(value, dict):
            out[key] = redact_contacts(value)
        elif isinstance(value, list):
            out[key] = [redact_contacts(v) if isinstance(v, dict) else v for v in value]
        else:
            out[key] = value
    return out


def snapshot(obj: Any, fields: tuple[str, ...] | list[str]) -> dict[str, Any]:
    return {f: _plain(getattr(obj, f)) for f in fields}


def entries(session: Session, *, by: int | None, entity: str | None, entity_id: str | None, limit: int,
            offset: int) -> list[AuditEntry]:
    """The log, newest first; ``by`` narrows it to one principal's own actions."""
    stmt = select(AuditEntry)
    if by is not None:
        stmt = stmt.where(AuditEntry.principal_id == by)
    if entity:
        stmt = stmt.where(AuditEntry.entity == entity)
    if entity_id:
        stmt = stmt.where(AuditEntry.entity_id == entity_id)
    return list(session.scalars(stmt.order_by(AuditEntry.id.desc()).limit(limit).offset(offset)))


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
