"""Who may see and manage a need, and which of its fields each viewer is shown.

A challenge is a need of kind technology, so these are the challenge rules too; a need's candidates, interests,
applications and the offers ranked for it follow the need.

- The posting firm's leaders and staff whose reach covers the need *manage* it: they see it as a draft and in full,
  see its matches, interests and applications, publish and close it. An operator limited to regions manages the
  needs of firms in those regions; one limited to chains, the needs filed in a catalogue of those chains; one
  limited to both, needs that pass both.
- Anyone may *see* a need once it has been published, also after it closed, so engaged firms can look back at it.
- The budget is shown to those who manage the need, and to everyone else only while the need is published.
- An anonymous need's poster (its name, code, contacts, and the people who acted for it) is shown only to the
  posting firm's own members and to those who manage the need: never to other firms, even after both sides agreed,
  and never in what is sent to them (notifications, webhooks, exports, application histories).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select, true
from sqlalchemy.orm import Session, object_session

from app.access.reach import catalogues_in_reach, covers_firm, firms_in_reach, reaches_all
from app.core.errors import Forbidden, NotFound
from app.models import Enterprise, Need, Opportunity, Principal

AGREED_POSTER_STATUSES = ("invited", "selected")
# What a step of an application's history says about who took it.
ACTOR_KEYS = ("by", "by_name", "org_id")


def is_poster(principal: Principal, need: Need) -> bool:
    """A leader of the posting firm: the one who edits a draft challenge and decides on candidates."""
    return principal.role == "leader" and principal.org_id is not None and principal.org_id == need.poster_org_id


def managed_clause(principal: Principal) -> ColumnElement[bool]:
    """The needs the principal manages, as a condition on the needs table."""
    if reaches_all(principal):
        return true()
    if principal.role == "operator":
        limits: list[ColumnElement[bool]] = []
        if principal.regions:
            limits.append(Need.poster_org_id.in_(firms_in_reach(principal)))
        if principal.chains:
            limits.append(Need.catalogue_id.in_(catalogues_in_reach(principal)))
        return and_(*limits)
    if principal.role == "leader" and principal.org_id is not None:
        return Need.poster_org_id == principal.org_id
    return false()


def visible_clause(principal: Principal) -> ColumnElement[bool]:
    """The needs the principal may know of: published once, or managed by it."""
    return or_(Need.published_at.is_not(None), managed_clause(principal))


def managed_ids(principal: Principal, needs: Sequence[Need]) -> set[int]:
    """Ids of those of ``needs`` the principal manages (one query, and only for a limited operator)."""
    if not needs:
        return set()
    if reaches_all(principal):
        return {n.id for n in needs}
    if principal.role != "operator":
        # managed_clause for everyone but operators compares the poster with the caller's own firm.
        return {n.id for n in needs if is_poster(principal, n)}
    session = object_session(needs[0])
    if session is None:
        return set()
    stmt = select(Need.id).where(Need.id.in_([n.id for n in needs]), managed_clause(principal))
    return set(session.scalars(stmt))


def manages(principal: Principal, need: Need) -> bool:
    return need.id in managed_ids(principal, [need])


def visible_ids(session: Session, principal: Principal, need_ids: Iterable[int]) -> set[int]:
    """Which of these need ids the principal may know of: all for staff who reach everything; for anyone else only
    needs that still exist."""
    ids = sorted(set(need_ids))
    if not ids or reaches_all(principal):
        return set(ids)
    return set(session.scalars(select(Need.id).where(Need.id.in_(ids), visible_clause(principal))))


def can_view(principal: Principal, need: Need) -> bool:
    return need.published_at is not None or manages(principal, need)


def viewable(principal: Principal, need: Need | None, need_id: int, *, what: str = "need") -> Need:
    """The need if the caller may know it exists; otherwise 404 (a draft's existence is private)."""
    if need is None or not can_view(principal, need):
        raise NotFound(f"{what} {need_id} not found")
    return need


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise Forbidden(message)


def require_manager(principal: Principal, need: Need, message: str) -> None:
    require(manages(principal, need), message)


@dataclass(frozen=True)
class Sight:
    """What one principal is shown of one need."""

    managed: bool
    budget: bool
    poster: bool


def shows_poster_to_firm(need: Need, org_id: int | None) -> bool:
    """Whether a firm's members (and what is sent to that firm) may learn who posted the need."""
    return not need.anonymous or (org_id is not None and org_id == need.poster_org_id)


def sights(principal: Principal, needs: Sequence[Need]) -> dict[int, Sight]:
    managed = managed_ids(principal, needs)
    return {n.id: Sight(managed=n.id in managed, budget=n.id in managed or n.status == "published",
                        poster=n.id in managed or shows_poster_to_firm(n, principal.org_id))
            for n in needs}


def sight(principal: Principal, need: Need) -> Sight:
    return sights(principal, [need])[need.id]


def agreed(opp: Opportunity | None) -> bool:
    """Both sides said yes: the firm is interested and the poster invited or selected it."""
    return opp is not None and opp.sme_status == "interested" and opp.poster_status in AGREED_POSTER_STATUSES


def redact_history(steps: Sequence[dict[str, Any]], *, viewer: Principal, poster_shown: bool) -> list[dict[str, Any]]:
    """An application's trail as the viewer may read it: when the poster is hidden from it, every step the viewer's
    own firm did not take loses who took it (those steps are the poster's)."""
    if poster_shown:
        return [dict(s) for s in steps]
    own = viewer.org_id
    return [dict(s) if own is not None and s.get("org_id") == own else
            {k: v for k, v in s.items() if k not in ACTOR_KEYS} for s in steps]


def may_file_for(principal: Principal, firm: Enterprise) -> bool:
    """Whether staff may file a need in ``firm``'s name (an import): only chain-leader firms post needs, and a need
    it files must be one it manages, so the firm must lie in its regions (the catalogue holds the chain)."""
    return firm.kind == "leader" and principal.role in ("admin", "operator") and covers_firm(principal, firm)
