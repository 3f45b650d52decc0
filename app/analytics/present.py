"""The pure results of graph/analytics.py as API models: firm ids become firm references, figures keep their basis."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

from app.analytics import schemas as out
from app.enterprises.schemas import EnterpriseSummary
from graph import results as pure

Firms = Mapping[int, EnterpriseSummary]


def firm_ids(*parts: Iterable[Any]) -> set[int]:
    """Every firm id named by these results (node tables, supply rates, weak links)."""
    found: set[int] = set()
    for part in parts:
        for item in part:
            if isinstance(item, pure.NodeFigures) and item.single_source is not None:
                found.add(cast(int, item.single_source))
            elif isinstance(item, pure.SupplyRate):
                found.update(cast(int, r.leader) for r in item.leaders)
                found.update(cast(int, f) for m in item.missing for f in m.needed_by)
            elif isinstance(item, pure.WeakLink):
                found.update(cast(int, e.value) for e in item.evidence if e.code == "single_source")
    return found


def figure(f: pure.Figure) -> out.Figure:
    return out.Figure(value=f.value, basis=f.basis)  # type: ignore[arg-type]


def node(n: pure.NodeFigures, firms: Firms) -> out.NodeFigures:
    return out.NodeFigures(
        node=n.node, local_makers=n.local_makers, outside_makers=n.outside_makers,
        makers_basis=n.makers_basis,  # type: ignore[arg-type]
        suppliers=figure(n.suppliers), single_source=firms.get(cast(int, n.single_source)),
        capacity=figure(n.capacity), capacity_known=n.capacity_known, hhi=figure(n.hhi),
        concentration=n.concentration,  # type: ignore[arg-type]
        betweenness=n.betweenness, cuts_off=n.cuts_off, demand=figure(n.demand))


def supply(s: pure.SupplyRate, firms: Firms) -> out.SupplyRate:
    return out.SupplyRate(
        rate=figure(s.rate), weighting=s.weighting,  # type: ignore[arg-type]
        leaders=[out.LeaderRate(leader=firms[cast(int, r.leader)], rate=figure(r.rate), inputs=r.inputs,
                                missing=r.missing) for r in s.leaders if r.leader in firms],
        inputs=s.inputs, covered=s.covered,
        missing=[out.MissingInput(node=m.node, uncovered=m.uncovered, in_chain=m.in_chain, suppliers=m.suppliers,
                                  needed_by=[firms[cast(int, f)] for f in m.needed_by if f in firms])
                 for m in s.missing])


def evidence(e: pure.Evidence, firms: Firms) -> out.Evidence:
    if e.code == "single_source":
        firm = firms.get(cast(int, e.value))
        return out.Evidence(code=e.code, value=firm.code if firm else None, basis=e.basis,  # type: ignore[arg-type]
                            firm=firm)
    return out.Evidence(code=e.code, value=cast(Any, e.value), basis=e.basis)  # type: ignore[arg-type]


def weak(w: pure.WeakLink, firms: Firms) -> out.WeakLink:
    return out.WeakLink(node=w.node, score=w.score, evidence=[evidence(e, firms) for e in w.evidence])
