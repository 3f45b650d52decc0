"""Who reads chain analytics, and for which part of the province.

- Analytics are for staff: operators and admins. Firms' members and machine clients get 403 (a firm's own
  supply figures would reveal its competitors' positions; the issue gives them to the office only).
- An operator limited to chains reads only those chains (403 for another; lists leave the others out) and must
  name one of them where figures span chains.
- An operator limited to regions reads figures for a region inside its own (403 outside, so "everywhere" too);
  with one region and none named, figures are computed for that region. A chain leader's 配套率 is read only
  for a leader firm in its regions.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.access.reach import covers_chain, require_chain, require_firm, require_region
from app.core.errors import Forbidden, Invalid
from app.models import Chain, Enterprise, Principal
from graph.supply import normalize_region


def require_staff(principal: Principal) -> None:
    if principal.role not in ("admin", "operator"):
        raise Forbidden("chain analytics are for operators and admins")


def region_for(principal: Principal, region: str | None) -> str:
    """The region the caller's figures are computed for ("" = everywhere)."""
    wanted = normalize_region(region)
    if principal.role == "operator" and principal.regions:
        if not wanted:
            if len(principal.regions) == 1:
                return normalize_region(principal.regions[0])
            raise Invalid("region", f"name one of your regions: {', '.join(principal.regions)}")
        require_region(principal, wanted)
    return wanted


def require_chain_read(principal: Principal, chain: Chain) -> None:
    require_staff(principal)
    require_chain(principal, chain.code)


def chains_readable(principal: Principal, chains: Sequence[Chain]) -> list[Chain]:
    return [c for c in chains if covers_chain(principal, c.code)]


def require_chain_named(principal: Principal, chain: Chain | None) -> None:
    """Figures across chains (a quarter without a chain, a leader over all its products) are for callers who
    reach every chain."""
    if chain is not None:
        require_chain(principal, chain.code)
    elif principal.role == "operator" and principal.chains:
        raise Invalid("chain", f"name one of your chains: {', '.join(principal.chains)}")


def require_leader_read(principal: Principal, firm: Enterprise) -> None:
    require_staff(principal)
    require_firm(principal, firm)
