"""Who may see and change a need, and which of its fields each viewer sees.

Shared by the needs domain and the SME feed, so both sides of a match apply the same privacy rules.
"""

from __future__ import annotations

from app.errors import Forbidden, NotFound
from app.models import Need, Opportunity, Principal

AGREED_POSTER_STATUSES = ("invited", "selected")


def is_poster(principal: Principal, need: Need) -> bool:
    return principal.role == "leader" and principal.org_id is not None and principal.org_id == need.poster_org_id


def is_manager(principal: Principal, need: Need) -> bool:
    """The poster org and the platform's staff: they see every field of the need."""
    return principal.role in ("admin", "operator") or is_poster(principal, need)


def can_view(principal: Principal, need: Need) -> bool:
    # Once published a need stays readable (also closed), so engaged firms can look back at what they answered.
    return is_manager(principal, need) or need.published_at is not None


def viewable(principal: Principal, need: Need | None, need_id: int) -> Need:
    """The need if the caller may know it exists; otherwise 404 (a draft's existence is private)."""
    if need is None or not can_view(principal, need):
        raise NotFound(f"need {need_id} not found")
    return need


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise Forbidden(message)


def agreed(opp: Opportunity | None) -> bool:
    """Both sides said yes: the firm is interested and the poster invited or selected it."""
    return opp is not None and opp.sme_status == "interested" and opp.poster_status in AGREED_POSTER_STATUSES


def shows_budget(principal: Principal, need: Need) -> bool:
    return is_manager(principal, need) or need.status == "published"


def shows_poster(principal: Principal, need: Need, opp: Opportunity | None = None) -> bool:
    """``opp`` is the caller's own opportunity row for the need, if the caller is a firm that has one."""
    if is_manager(principal, need) or not need.anonymous:
        return True
    return opp is not None and principal.org_id == opp.enterprise_id and agreed(opp)
