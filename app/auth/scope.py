"""What an operator limited to some regions or chains may touch (an unlimited operator or an admin: everything)."""

from __future__ import annotations

from app.errors import Forbidden
from app.models import Principal


def covers_region(principal: Principal, region: str) -> bool:
    if principal.role != "operator" or not principal.regions:
        return True
    return any(region == r or region.startswith(r.rstrip("/") + "/") for r in principal.regions)


def covers_chain(principal: Principal, chain_code: str) -> bool:
    return principal.role != "operator" or not principal.chains or chain_code in principal.chains


def require_region(principal: Principal, region: str) -> None:
    if not covers_region(principal, region):
        raise Forbidden("this is outside your regions")


def require_chain(principal: Principal, chain_code: str) -> None:
    if not covers_chain(principal, chain_code):
        raise Forbidden(f"chain {chain_code} is outside your chains")
