"""Who may see and change a need, and which of its fields each viewer sees.

Shared by the needs domain and the SME feed, so both sides of a match apply the same privacy rules.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import object_session

from app.auth.scope import covers_chain, covers_region
from app.errors import Forbidden, NotFound
from app.models import Catalogue, Chain, Enterprise, Need, Opportunity, Principal

AGREED_POSTER_STATUSES = ("invited", "selected")


def is_poster(principal: Principal, need: Need) -> bool:
    return principal.role == "leader" and principal.org_id is not None and principal.org_id == need.poster_org_id


def is_manager(principal: Principal, need: Need) -> bool:
    """The poster org and the platform's staff: they see every field of the need.

    An operator limited to some regions or chains is staff only for needs of firms in its regions and, for needs
    filed in a catalogue, of its chains.
    """
    if principal.role == "operator":
        return _operator_covers(principal, need)
    return principal.role == "admin" or is_poster(principal, need)


def _operator_covers(principal: Principal, need: Need) -> bool:
    if not principal.regions and not principal.chains:
        return True
    session = object_session(need)
    if session is None:
        return False
    poster = session.get(Enterprise, need.poster_org_id)
    if poster is None or not covers_region(principal, poster.region):
        return False
    if need.catalogue_id is None:
        return not principal.chains
    code = session.scalar(select(Chain.code).join(Catalogue, Catalogue.chain_id == Chain.id)
                          .where(Catalogue.id == need.catalogue_id))
    return code is not None and covers_chain(principal, code)


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
