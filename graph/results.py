"""The results of the chain analytics: frozen dataclasses of plain values, ready for ``asdict`` and JSON.

The formulas behind each field are in :mod:`graph.analytics`. Firm ids are the ones the caller gave.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass

__all__ = [
    "CONCENTRATION_BANDS",
    "ChainAnalysis",
    "Evidence",
    "Figure",
    "LeaderRate",
    "MissingInput",
    "NodeFigures",
    "SupplyRate",
    "WeakLink",
    "concentration_band",
]

CONCENTRATION_BANDS = ((1500.0, "unconcentrated"), (2500.0, "moderate"))  # below 1500; up to 2500; above: high


@dataclass(frozen=True, slots=True)
class Figure:
    """A value and what it rests on: ``"declared"``, ``"imported"``, ``"estimated"``, or None (no link)."""

    value: float | int | None
    basis: str | None


@dataclass(frozen=True, slots=True)
class NodeFigures:
    node: str
    local_makers: dict[str, int]
    outside_makers: dict[str, int]
    makers_basis: str | None
    suppliers: Figure
    single_source: Hashable | None
    capacity: Figure
    capacity_known: int
    hhi: Figure
    concentration: str | None
    betweenness: float
    cuts_off: int
    demand: Figure


@dataclass(frozen=True, slots=True)
class LeaderRate:
    leader: Hashable
    rate: Figure  # None when the leader lists no chain product with inputs
    inputs: int
    missing: int


@dataclass(frozen=True, slots=True)
class MissingInput:
    node: str
    uncovered: float  # u_i: share of the weighed demand it leaves uncovered
    in_chain: bool
    suppliers: int  # 1 here means the only supplier is the leader itself
    needed_by: tuple[Hashable, ...]  # leader ids (empty for end-product weighting)


@dataclass(frozen=True, slots=True)
class SupplyRate:
    rate: Figure
    weighting: str  # "leaders" or "end_products"
    leaders: tuple[LeaderRate, ...]
    inputs: int  # input nodes with demand
    covered: int  # … of which fully covered
    missing: tuple[MissingInput, ...]


@dataclass(frozen=True, slots=True)
class Evidence:
    """One reason a node is weak. Codes: ``no_local_supplier``, ``single_source`` (value: firm id),
    ``high_concentration`` (HHI), ``leader_demand`` (d_i), ``cuts_off_inputs`` (count), ``betweenness``, and
    ``outside_suppliers``: makers of the required tier outside the region (where to recruit from)."""

    code: str
    value: float | int | Hashable | None
    basis: str | None


@dataclass(frozen=True, slots=True)
class WeakLink:
    node: str
    score: float
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class ChainAnalysis:
    region: str
    min_tier: str
    nodes: tuple[NodeFigures, ...]
    supply: SupplyRate
    weak: tuple[WeakLink, ...]


def concentration_band(hhi: float | None) -> str | None:
    """Band of an HHI on the 0–10000 scale: < 1500, 1500–2500 (both ends included), > 2500; None for no HHI."""
    if hhi is None or math.isnan(hhi):
        return None
    if hhi < CONCENTRATION_BANDS[0][0]:
        return CONCENTRATION_BANDS[0][1]
    return CONCENTRATION_BANDS[1][1] if hhi <= CONCENTRATION_BANDS[1][0] else "high"
