"""The Need aggregate's state changes, each written once: a need is created with its chain nodes, published with
its first frozen version, and closed here, whether it was posted directly, filed in a catalogue or posted as a
challenge (a challenge is a need plus its terms; a catalogue is a list of needs plus a publication job).

needs/, challenges/ and catalogues/ add their own checks and side effects (delivery, audit, events) around these.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.access.needs import require
from app.core.db import lock
from app.core.errors import Conflict
from app.models import Need, NeedVersion
from app.models._types import utcnow
from app.needs.repository import NeedRepository

# What a version freezes and what "changed_fields" can name.
CONTENT_FIELDS = ("kind", "title", "description", "scope", "quantity", "budget_min", "budget_max", "deadline",
                  "delivery_region", "required_tier", "required_certifications", "anonymous")


def snapshot(need: Need, node_names: Sequence[str]) -> dict[str, Any]:
    """The need's content as a version freezes it (JSON-ready)."""
    out: dict[str, Any] = {f: getattr(need, f) for f in CONTENT_FIELDS}
    out["deadline"] = need.deadline.isoformat() if need.deadline else None
    out["required_certifications"] = list(need.required_certifications or [])
    out["nodes"] = list(node_names)
    return out


def deadline_passed(need: Need, today: date | None = None) -> bool:
    """The deadline day itself is still open; the day after, the need no longer takes answers."""
    return need.deadline is not None and need.deadline < (today or utcnow().date())


def take(session: Session, need: Need, allowed: bool, refusal: str, *, conflicts: Mapping[str, str] = {}) -> None:
    """Before any change of a need (or of what hangs on it): refuse with ``refusal`` (403) unless ``allowed``, then
    lock the need's row, so that of simultaneous changes one takes effect and the others see its result; then
    answer 409 with ``conflicts[status]`` if the need (as the lock re-read it) is in a status that forbids it."""
    require(allowed, refusal)
    lock(session, Need, need.id)
    if need.status in conflicts:
        raise Conflict(conflicts[need.status])


def add(session: Session, needs: Sequence[Need], node_ids: Sequence[Sequence[int]]) -> None:
    """Store new needs (as drafts) with their chain nodes, one list of node ids per need."""
    for need in needs:
        need.status, need.version = "draft", need.version or 1
        session.add(need)
    session.flush()
    repo = NeedRepository(session)
    for need, ids in zip(needs, node_ids, strict=True):
        repo.set_nodes(need.id, ids)


def mark_published(session: Session, need: Need, *, now: datetime | None = None) -> None:
    """A draft becomes published with its first frozen version (kept if a resumed publication wrote it already)."""
    now = now or utcnow()
    need.status, need.published_at = "published", now
    repo = NeedRepository(session)
    if not repo.has_version(need.id, need.version):
        names = [n.name for n in repo.nodes_of([need.id])[need.id]]
        session.add(NeedVersion(need_id=need.id, version=need.version, snapshot=snapshot(need, names),
                                changed_fields=[], created_at=now))
    session.flush()


def posters(session: Session, need_ids: Sequence[int]) -> set[int]:
    """The firms that posted these needs (who is told that a catalogue of them was published)."""
    return NeedRepository(session).poster_ids(need_ids)


def closing_between(session: Session, first: date, last: date) -> list[Need]:
    """Published needs whose deadline falls in [first, last], by id."""
    return NeedRepository(session).published_closing(first, last)


def interested_firms(session: Session, need_ids: Sequence[int]) -> dict[int, list[int]]:
    """For each need, the firms that said they are interested, by firm id."""
    return NeedRepository(session).interested(need_ids)


def close(session: Session, need: Need) -> None:
    need.status = "closed"
    session.flush()
