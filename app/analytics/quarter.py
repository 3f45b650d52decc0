"""Quarter results of catalogues and needs: what was published, whom it reached and what became of it, by chain,
region and tier, next to the quarter before.

A quarter's needs are those first published in it (catalogue items included: a catalogue's items are published
with it). Their targeted deliveries are counted as they stand now: a firm that answers a previous quarter's need
today still counts for that quarter, so the comparison is of cohorts, not of activity within the quarter.
Funnel: reached (delivered) → seen → interested → invited (or selected) → selected. Response times are medians
in hours from delivery to the firm's first sight, to its interest (audit log) and to the poster's invitation.
With a region, only firms there count, and a need counts as published for the region when it reached one of them.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from app.access import analytics as policy
from app.analytics import schemas as out
from app.analytics.repository import QuarterReportRepository
from app.chains import service as chains
from app.core.vocabulary import TIERS
from app.models import Chain, Principal
from app.models._types import utcnow
from app.needs import service as needs
from app.needs.service import Delivery, PublishedNeed

_COUNTS = ("items_published", "catalogue_items", "catalogues", "deliveries", "firms_reached", "seen", "interested",
           "invited", "selected", "seen_rate", "interest_rate", "median_hours_to_seen", "median_hours_to_interest",
           "median_hours_to_invite")


def bounds(period: str) -> tuple[datetime, datetime]:
    """[start, end) of a quarter such as 2026Q4, in UTC as stored."""
    year, q = int(period[:4]), int(period[5])
    start = datetime(year, 3 * (q - 1) + 1, 1)
    end = datetime(year + 1, 1, 1) if q == 4 else datetime(year, 3 * q + 1, 1)
    return start, end


def previous(period: str) -> str:
    year, q = int(period[:4]), int(period[5])
    return f"{year - 1}Q4" if q == 1 else f"{year}Q{q - 1}"


def _hours(pairs: Iterable[tuple[datetime | None, datetime | None]]) -> float | None:
    spans = [(b - a).total_seconds() / 3600 for a, b in pairs if a is not None and b is not None and b >= a]
    return round(statistics.median(spans), 2) if spans else None


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def funnel(needs: Sequence[PublishedNeed], deliveries: Sequence[Delivery], *, reached_only: bool) -> out.Funnel:
    """The funnel of these needs over these deliveries; ``reached_only`` counts only needs some delivery reached."""
    if reached_only:
        hit = {d.need_id for d in deliveries}
        needs = [n for n in needs if n.need_id in hit]
    ids = {n.need_id for n in needs}
    ds = [d for d in deliveries if d.need_id in ids]
    invited = [d for d in ds if d.poster_status in ("invited", "selected")]
    interested = [d for d in ds if d.sme_status == "interested"]
    seen = sum(1 for d in ds if d.seen_at is not None)
    return out.Funnel(
        items_published=len(needs), catalogue_items=sum(1 for n in needs if n.catalogue_id is not None),
        catalogues=len({n.catalogue_id for n in needs if n.catalogue_id is not None}),
        by_kind=dict(Counter(n.kind for n in needs)), deliveries=len(ds),
        firms_reached=len({d.enterprise_id for d in ds}), seen=seen, interested=len(interested),
        invited=len(invited), selected=sum(1 for d in ds if d.poster_status == "selected"),
        seen_rate=_rate(seen, len(ds)), interest_rate=_rate(len(interested), len(ds)),
        median_hours_to_seen=_hours((d.delivered_at, d.seen_at) for d in ds),
        median_hours_to_interest=_hours((d.delivered_at, d.interested_at) for d in interested),
        median_hours_to_invite=_hours((d.delivered_at, d.invited_at) for d in invited))


def change(current: out.Funnel, prior: out.Funnel) -> dict[str, float | None]:
    diff: dict[str, float | None] = {}
    for key in _COUNTS:
        a, b = getattr(current, key), getattr(prior, key)
        diff[key] = None if a is None or b is None else round(a - b, 4)
    return diff


def _inside(region: str) -> Callable[[str], bool]:
    below = region + "/"
    return lambda place: not region or place == region or place.startswith(below)


def _child(region: str, place: str) -> str:
    """The part of ``place`` one level below ``region`` (the province when no region is given)."""
    depth = len(region.split("/")) + 1 if region else 1
    return "/".join(place.split("/")[:depth]) or "(未填地区)"


class _Cohort:
    """One quarter's needs and deliveries, filtered to the caller's chain, region and minimum tier."""

    def __init__(self, session: Session, period: str, chain_id: int | None, readable: set[int] | None,
                 region: str, min_rank: int) -> None:
        start, end = bounds(period)
        found = needs.published_between(session=session, start=start, end=end)
        if chain_id is not None:
            found = [n for n in found if chain_id in n.chains]
        elif readable is not None:
            found = [n for n in found if n.chains & readable]
        inside = _inside(region)
        self.needs = found
        self.deliveries = [d for d in needs.deliveries_of(session=session, need_ids=[n.need_id for n in found])
                           if inside(d.region) and TIERS.index(d.tier) >= min_rank]
        self.region = region

    def total(self) -> out.Funnel:
        return funnel(self.needs, self.deliveries, reached_only=bool(self.region))

    def parts(self, key: Callable[[Delivery], str]) -> dict[str, out.Funnel]:
        groups: dict[str, list[Delivery]] = {}
        for d in self.deliveries:
            groups.setdefault(key(d), []).append(d)
        return {k: funnel(self.needs, ds, reached_only=True) for k, ds in groups.items()}

    def chains(self, codes: dict[int, str]) -> dict[str, out.Funnel]:
        found: dict[str, out.Funnel] = {}
        for chain_id, code in codes.items():
            mine = [n for n in self.needs if chain_id in n.chains]
            if mine:
                found[code] = funnel(mine, self.deliveries, reached_only=bool(self.region))
        return found


def _pair(now: dict[str, out.Funnel], before: dict[str, out.Funnel], empty: out.Funnel,
          order: Sequence[str] | None = None) -> list[out.FunnelPart]:
    keys = list(order) if order is not None else sorted(set(now) | set(before),
                                                        key=lambda k: (-(now[k].firms_reached if k in now else 0), k))
    return [out.FunnelPart(key=k, current=now.get(k, empty), previous=before.get(k, empty))
            for k in keys if k in now or k in before]


def _reach(session: Session, principal: Principal, chain: str | None,
           region: str | None) -> tuple[Chain | None, str]:
    """The chain (None: all the caller reads) and the region the caller's quarter figures are for."""
    policy.require_staff(principal)
    found = chains.get_chain(session=session, key=chain) if chain else None
    policy.require_chain_named(principal, found)
    return found, policy.region_for(principal, region)


def scope_of(*, session: Session, principal: Principal, chain: str | None, region: str | None,
             min_tier: str) -> out.Scope:
    found, where = _reach(session, principal, chain, region)
    return out.Scope(chain=out.ChainRef(code=found.code, name=found.name) if found else None, region=where,
                     min_tier=min_tier, as_of=utcnow())  # type: ignore[arg-type]


def results(*, session: Session, principal: Principal, period: str, chain: str | None, region: str | None,
            min_tier: str) -> out.QuarterResults:
    found, where = _reach(session, principal, chain, region)
    readable = {c.id: c.code for c in policy.chains_readable(principal, chains.list_chains(session=session))}
    rank = TIERS.index(min_tier)
    before = previous(period)
    limit_to = None if found is not None or not (principal.role == "operator" and principal.chains) else set(readable)
    now = _Cohort(session, period, found.id if found else None, limit_to, where, rank)
    empty = funnel([], [], reached_only=False)
    tiers = [t for t in TIERS[rank:]]
    now_parts = {"tier": now.parts(lambda d: d.tier), "region": now.parts(lambda d: _child(where, d.region)),
                 "chain": now.chains(readable) if found is None else {}}
    frozen = QuarterReportRepository(session).get(period=before, chain_code=found.code if found else "",
                                                  region=where, min_tier=min_tier)
    if frozen is not None:  # the previous quarter as the office reported it, not as it has drifted since
        was = out.QuarterResults.model_validate(frozen.figures)
        prev = was.current
        then_parts = {"tier": {p.key: p.current for p in was.by_tier},
                      "region": {p.key: p.current for p in was.by_region},
                      "chain": {p.key: p.current for p in was.by_chain}}
    else:
        then = _Cohort(session, before, found.id if found else None, limit_to, where, rank)
        prev = then.total()
        then_parts = {"tier": then.parts(lambda d: d.tier), "region": then.parts(lambda d: _child(where, d.region)),
                      "chain": then.chains(readable) if found is None else {}}
    cur = now.total()
    scope = out.Scope(chain=out.ChainRef(code=found.code, name=found.name) if found else None, region=where,
                      min_tier=min_tier, as_of=utcnow())  # type: ignore[arg-type]
    return out.QuarterResults(
        period=period, previous_period=before, scope=scope, current=cur, previous=prev,
        previous_frozen_at=frozen.frozen_at if frozen is not None else None, change=change(cur, prev),
        by_tier=_pair(now_parts["tier"], then_parts["tier"], empty, tiers),
        by_region=_pair(now_parts["region"], then_parts["region"], empty),
        by_chain=_pair(now_parts["chain"], then_parts["chain"], empty) if found is None else [])
