"""Which tokens staff may issue, list and revoke.

Admins: every token. Operators: leader, SME and integration tokens, and never one without expiry (at most
MAX_OPERATOR_DAYS). An operator limited to regions or chains deals only with the tokens of firms it reaches: leader
and SME tokens of firms in its regions, and only if it is not limited to chains, because a firm's token acts for
the firm in every chain. Integration tokens belong to no firm and no region, so they are for unlimited operators.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, true

from app.access.reach import firms_in_reach, is_limited, require_firm
from app.core.errors import Forbidden, Invalid
from app.models import Enterprise, Principal

# Operators look after firms and machine clients; only admins make admins and operators.
OPERATOR_MAY_ISSUE = ("leader", "sme", "integration")
FIRM_ROLES = ("leader", "sme")
MAX_OPERATOR_DAYS = 365


def check_issue(principal: Principal, *, role: str, firm: Enterprise | None, days: int) -> None:
    """Raise unless the principal may issue a ``role`` token for ``firm`` valid for ``days`` (0: no expiry)."""
    if principal.role == "admin":
        return
    if principal.role != "operator" or role not in OPERATOR_MAY_ISSUE:
        raise Forbidden(f"an operator may issue only {', '.join(OPERATOR_MAY_ISSUE)} tokens")
    if not 0 < days <= MAX_OPERATOR_DAYS:
        raise Invalid("days", f"tokens an operator issues expire within 1 to {MAX_OPERATOR_DAYS} days")
    if not is_limited(principal):
        return
    if role not in FIRM_ROLES:
        raise Forbidden("an operator limited to regions or chains issues only tokens of firms in its reach")
    if principal.chains:
        raise Forbidden("an operator limited to chains issues no firm tokens: a firm's token acts in every chain")
    if firm is not None:
        require_firm(principal, firm)


def owner_clause(principal: Principal) -> ColumnElement[bool]:
    """The tokens the principal may list and revoke, as a condition on the token owner (principals table)."""
    if principal.role == "admin":
        return true()
    if principal.role != "operator":
        return false()
    if not is_limited(principal):
        return Principal.role.in_(OPERATOR_MAY_ISSUE)
    if principal.chains:
        return false()
    return and_(Principal.role.in_(FIRM_ROLES), Principal.org_id.in_(firms_in_reach(principal)))
