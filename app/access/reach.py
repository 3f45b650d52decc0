"""An operator's reach: the regions (province[/city[/district]] prefixes) and chains (codes) it is limited to.

Empty lists mean everywhere. The limits bind operators only: admins reach everything, and firms' members get their
access from their own firm, not from here. A firm's place is compared column by column (province, city, district),
in Python as in SQL, so the check for one firm and the clause for a list cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Select, and_, false, or_, select, true

from app.core.errors import Forbidden
from app.models import Catalogue, Chain, Enterprise, Principal


def is_staff(principal: Principal) -> bool:
    return principal.role in ("admin", "operator")


def is_limited(principal: Principal) -> bool:
    return principal.role == "operator" and bool(principal.regions or principal.chains)


def reaches_all(principal: Principal) -> bool:
    """Admins and operators without limits: staff for everything."""
    return is_staff(principal) and not is_limited(principal)


def _place(region: str) -> tuple[str, str, str]:
    # The same reading as an enterprise's region field: empty segments are dropped, the rest fill the columns.
    parts = [p for p in region.split("/") if p] + ["", "", ""]
    return parts[0], parts[1], parts[2]


def _prefixes(principal: Principal) -> list[tuple[str, ...]]:
    """The operator's regions as column prefixes; an empty or over-long entry reaches nothing."""
    found = []
    for region in principal.regions or []:
        parts = tuple(p for p in region.split("/") if p)
        if 0 < len(parts) <= 3:
            found.append(parts)
    return found


def _covers_place(principal: Principal, place: Sequence[str]) -> bool:
    if principal.role != "operator" or not principal.regions:
        return True
    return any(tuple(place[:len(p)]) == p for p in _prefixes(principal))


def covers_region(principal: Principal, region: str) -> bool:
    """Whether a place written as province/city/district lies in the operator's regions."""
    return _covers_place(principal, _place(region))


def covers_firm(principal: Principal, firm: Enterprise) -> bool:
    return _covers_place(principal, (firm.province, firm.city, firm.district))


def firm_clause(principal: Principal) -> ColumnElement[bool]:
    """Enterprises in the operator's regions, as a condition on the enterprises table (``covers_firm`` in SQL)."""
    if principal.role != "operator" or not principal.regions:
        return true()
    columns = (Enterprise.province, Enterprise.city, Enterprise.district)
    prefixes = _prefixes(principal)
    if not prefixes:
        return false()
    return or_(*[and_(*[c == v for c, v in zip(columns, p, strict=False)]) for p in prefixes])


def firms_in_reach(principal: Principal) -> Select[int]:
    return select(Enterprise.id).where(firm_clause(principal))


def covers_chain(principal: Principal, chain_code: str) -> bool:
    return principal.role != "operator" or not principal.chains or chain_code in principal.chains


def catalogues_in_reach(principal: Principal) -> Select[int]:
    """Ids of the catalogues of the operator's chains (``covers_chain`` in SQL)."""
    stmt = select(Catalogue.id)
    if principal.role == "operator" and principal.chains:
        stmt = stmt.join(Chain, Chain.id == Catalogue.chain_id).where(Chain.code.in_(list(principal.chains)))
    return stmt


def require_region(principal: Principal, region: str) -> None:
    if not covers_region(principal, region):
        raise Forbidden("this is outside your regions")


def require_firm(principal: Principal, firm: Enterprise) -> None:
    if not covers_firm(principal, firm):
        raise Forbidden(f"enterprise {firm.code} is outside your regions")


def require_chain(principal: Principal, chain_code: str) -> None:
    if not covers_chain(principal, chain_code):
        raise Forbidden(f"chain {chain_code} is outside your chains")
