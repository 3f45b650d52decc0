"""Chain analytics for an industry office: per-node figures, 配套率 (local supply rate) and the 短板 list.

Use
---
::

    table = supply_table(G, firms, links)          # once per data snapshot (graph.supply explains the rows)
    page = chain_analysis(G, table, chain_nodes, region="山东省", min_tier="provincial")
    page.nodes        # NodeFigures per chain node, in the order given
    page.supply       # SupplyRate: the rate, per leader, and the inputs with no local supplier
    page.weak         # WeakLink list, weakest first, each with its evidence

``chain_nodes`` are node names (or aliases) of ``G``: a chain's members as stored. :func:`node_table`,
:func:`supply_rate` (also for one leader, with or without a chain) and :func:`weak_links` return one part each;
:func:`chain_analysis` computes the three at once. Results are frozen dataclasses of plain values (firm ids as
given), ready for ``dataclasses.asdict`` and JSON.

Words
-----
*Local*: in ``region`` (a ``省[/市[/区]]`` prefix; none = everywhere). *Supplier* of a node: a local maker of
tier ≥ ``min_tier`` (makers as defined in :mod:`graph.supply`, sub-kind makers included). *Leaders*: firms of
kind ``leader`` in the region that list a chain node themselves. ``I(p)``: the direct inputs of node ``p`` in the
graph. The *upstream graph* of the chain: its nodes and their direct inputs, with the input edges among them.

Figures (per node)
------------------
* ``local_makers`` / ``outside_makers``: makers in / outside the region, by tier (basis ``makers_basis``).
* ``suppliers``: number of suppliers. ``single_source``: the supplier's id when there is exactly one.
* ``capacity`` = Σ s_f over suppliers with a known revenue share s_f: capacity in firm-equivalents (a firm with
  all its revenue in the node counts 1); ``capacity_known`` says how many suppliers it rests on.
* ``hhi`` = 10000 · Σ_f (s_f / Σ_g s_g)² over the suppliers, an unknown s_f imputed as the mean known share in
  the node (all equal if none is known, which makes it 10000 / suppliers), then basis ``estimated``.
  ``concentration``: < 1500 ``unconcentrated``, 1500–2500 ``moderate``, > 2500 ``high`` (the usual merger bands).
* ``betweenness``: directed betweenness in the chain's upstream graph, normalised by (n−1)(n−2).
  ``cuts_off``: how many nodes of that graph lose every path to the leaders' products if this node is lost
  (:mod:`graph.importance`; a leader's own product counts 0). Both rest on the graph alone: no basis.
* ``demand``: the node's share d_i of the leaders' input demand (below).

配套率
------
Leader l lists products p in the chain that have inputs. Weight w_lp = its revenue share if known, else what its
known shares leave of its revenue, (1 − Σ known)⁺, split equally over its products with no figure; all equal when
that leaves nothing; then normalised so Σ_p w_lp = 1. Demand d_li = Σ_p w_lp · [i ∈ I(p)] / |I(p)|, so Σ_i d_li = 1.
c_li = 1 when node i has a supplier other than l itself (making an input in-house is not 配套). Then
rate_l = Σ_i d_li · c_li, and the chain's rate is the mean of rate_l over its leaders. With no leader, the chain's
end products (members with inputs that no member is made from) stand in as one leader with equal weights
(``weighting="end_products"``, basis ``estimated``). ``missing`` lists inputs with uncovered demand
u_i = mean_l d_li · (1 − c_li) > 0, largest first; rate + Σ u_i = 1. d_i = mean_l d_li.

短板 (weak links)
-----------------
score = 0.5 · gap + 0.3 · importance + 0.2 · concentration, each term in [0, 1]:
gap = 1 with no supplier, 0.5 with one, else 0; concentration = hhi / 10000 (1 with no supplier);
importance = (b / b_max + c / c_max + d / d_max) / 3 for betweenness b, cuts_off c and demand d, maxima over the
chain's nodes (a term is 0 when its maximum is 0). Listed: chain nodes with at most one supplier or ``high``
concentration, by score then name.

Basis
-----
Every firm-based figure says what it rests on (:class:`Figure`): the least certain basis of the links it counts
(``estimated < imported < declared``), ``estimated`` when a share was imputed, ``None`` when it rests on no link
at all (a count of zero). A rate rests on the leaders' weights and, for each covered input, on its most certain
supplier link.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import numpy as np

from graph.chaingraph import ChainGraph
from graph.coverage import Demand, MakerStats, leader_demand, maker_stats
from graph.exceptions import AnalyticsError, UnknownNodeError
from graph.importance import betweenness, cut_off_counts
from graph.results import (
    CONCENTRATION_BANDS,
    ChainAnalysis,
    Evidence,
    Figure,
    LeaderRate,
    MissingInput,
    NodeFigures,
    SupplyRate,
    WeakLink,
    concentration_band,
)
from graph.supply import BASES, TIERS, SupplyTable, normalize_region, tier_rank

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
    "chain_analysis",
    "concentration_band",
    "node_table",
    "supply_rate",
    "weak_links",
]

WEAKNESS_WEIGHTS = (0.5, 0.3, 0.2)  # gap, importance, concentration


def _basis(rank: int) -> str | None:
    return BASES[rank] if rank >= 0 else None


def _members(G: ChainGraph, chain: Iterable[str]) -> np.ndarray:
    if isinstance(chain, str):
        raise AnalyticsError("chain must be a collection of node names, not one string")
    seen: dict[int, None] = {}
    for name in chain:
        i = G.lookup(name) if isinstance(name, str) else None
        if i is None:
            raise UnknownNodeError(str(name))
        seen.setdefault(i, None)
    if not seen:
        raise AnalyticsError("the chain has no nodes")
    return np.fromiter(seen, dtype=np.int64, count=len(seen))


@dataclass
class _Run:
    """Shared intermediate arrays of one (chain, region, tier) computation."""

    G: ChainGraph
    table: SupplyTable
    members: np.ndarray
    scope: np.ndarray
    stats: MakerStats
    demand: Demand
    weighting: str
    betweenness: np.ndarray
    cuts: np.ndarray
    node_demand: np.ndarray  # d_i per scope position
    node_demand_worst: int
    min_rank: int


def _run(G: ChainGraph, table: SupplyTable, members: np.ndarray, region: str | None, min_tier: str,
         leader_rows: np.ndarray | None, *, structure: bool = True) -> _Run:
    min_rank = tier_rank(min_tier)
    extra = np.setdiff1d(np.unique(G.inputs_[members].indices), members)
    scope = np.concatenate([members, extra]).astype(np.int64)
    scope_pos = np.full(G.n_nodes, -1, dtype=np.int64)
    scope_pos[scope] = np.arange(len(scope))
    local = table.region_mask(region)
    stats = maker_stats(table, scope, local, min_rank)
    if leader_rows is None:
        cand = np.flatnonzero(table.leader_ & local)
        lists = np.diff(table.products_[cand][:, members].indptr) > 0
        leader_rows = cand[lists]
    demand = leader_demand(G, table, members, scope_pos, leader_rows, stats)
    weighting = "leaders"
    if demand.weight.nnz == 0:
        demand = leader_demand(G, table, members, scope_pos, None, stats)
        weighting = "end_products"
    n_weighed = max(int((np.bincount(demand.weight.row, minlength=1) > 0).sum()), 1)
    node_demand = np.bincount(demand.weight.col, weights=demand.weight.data, minlength=len(scope)) / n_weighed
    weighed = demand.weight_worst[demand.weight_worst >= 0]
    worst = int(weighed.min()) if len(weighed) else -1  # end-product weights are all "estimated" (rank 0)
    if structure:
        A = G.inputs_[scope][:, scope]
        bc, cuts = betweenness(A), cut_off_counts(A, demand.targets)
        cuts[demand.targets] = 0  # a leader's own product is not an input it can be cut off from
    else:
        bc, cuts = np.zeros(len(scope)), np.zeros(len(scope), dtype=np.int64)
    return _Run(G, table, members, scope, stats, demand, weighting, bc, cuts, node_demand, worst, min_rank)


def _node_figures(r: _Run) -> tuple[NodeFigures, ...]:
    s, names, ids, m = r.stats, r.G.names_, r.table.firm_ids_, len(r.members)
    # plain lists first: indexing numpy scalars node by node costs more than the arithmetic itself
    local, outside = s.local[:m].tolist(), s.outside[:m].tolist()
    makers_worst, sup_worst = s.makers_worst[:m].tolist(), s.supplier_worst[:m].tolist()
    suppliers, single = s.suppliers[:m].tolist(), s.single[:m].tolist()
    capacity, known = s.capacity[:m].tolist(), s.capacity_known[:m].tolist()
    hhi_all, hhi_est = s.hhi[:m].tolist(), s.hhi_estimated[:m].tolist()
    bc, cuts, demand = r.betweenness[:m].tolist(), r.cuts[:m].tolist(), r.node_demand[:m].tolist()
    demand_basis = _basis(r.node_demand_worst)
    out = []
    for k, node in enumerate(r.members.tolist()):
        n_sup = suppliers[k]
        hhi = hhi_all[k] if n_sup else None
        share_basis = _basis(sup_worst[k])
        out.append(NodeFigures(
            node=names[node],
            local_makers=dict(zip(TIERS, local[k], strict=True)),
            outside_makers=dict(zip(TIERS, outside[k], strict=True)),
            makers_basis=_basis(makers_worst[k]),
            suppliers=Figure(n_sup, share_basis),
            single_source=ids[single[k]] if n_sup == 1 else None,
            capacity=Figure(capacity[k], share_basis if known[k] else None),
            capacity_known=known[k],
            hhi=Figure(hhi, "estimated" if hhi_est[k] else share_basis),
            concentration=concentration_band(hhi),
            betweenness=bc[k],
            cuts_off=cuts[k],
            demand=Figure(demand[k], demand_basis if demand[k] > 0 else None),
        ))
    return tuple(out)


def _supply_rate(r: _Run) -> SupplyRate:
    D, cov, s = r.demand.weight, r.demand.covered, r.stats
    names, ids = r.G.names_, r.table.firm_ids_
    n_lead = max(len(r.demand.rows), 1 if D.nnz else 0)
    # each covered entry rests on the most certain supplier link of its input
    cover_basis = np.where(cov, s.supplier_best[D.col], 99)
    per_rate = np.bincount(D.row, weights=D.data * cov, minlength=n_lead)
    per_inputs = np.bincount(D.row, minlength=n_lead)
    per_missing = np.bincount(D.row, weights=~cov, minlength=n_lead).astype(np.int64)
    per_cover = np.full(n_lead, 99, dtype=np.int64)
    np.minimum.at(per_cover, D.row, cover_basis)
    weighed = per_inputs > 0
    leaders = []
    for k, row in enumerate(r.demand.rows.tolist()):
        if not weighed[k]:
            leaders.append(LeaderRate(ids[row], Figure(None, None), 0, 0))
            continue
        rank = min(int(r.demand.weight_worst[k]), int(per_cover[k]))
        leaders.append(LeaderRate(ids[row], Figure(float(per_rate[k]), _basis(rank)),
                                  int(per_inputs[k]), int(per_missing[k])))
    n_weighed = int(weighed.sum())
    if n_weighed == 0:
        rate = Figure(None, None)
    else:
        rank = min(r.node_demand_worst, int(per_cover[weighed].min()))
        rate = Figure(float(per_rate[weighed].sum() / n_weighed), _basis(rank))
    n_scope = len(r.scope)
    uncovered = np.bincount(D.col, weights=D.data * ~cov, minlength=n_scope) / max(n_weighed, 1)
    demanded = np.bincount(D.col, minlength=n_scope) > 0
    who: dict[int, list[Hashable]] = {}
    if len(r.demand.rows):
        for lead, col in zip(D.row[~cov].tolist(), D.col[~cov].tolist(), strict=True):
            who.setdefault(col, []).append(ids[r.demand.rows[lead]])
    n_members = len(r.members)
    order = sorted(np.flatnonzero(uncovered > 0).tolist(), key=lambda i: (-uncovered[i], names[r.scope[i]]))
    missing = tuple(
        MissingInput(node=names[r.scope[i]], uncovered=float(uncovered[i]), in_chain=i < n_members,
                     suppliers=int(s.suppliers[i]), needed_by=tuple(who.get(i, ())))
        for i in order
    )
    return SupplyRate(rate=rate, weighting=r.weighting, leaders=tuple(leaders), inputs=int(demanded.sum()),
                      covered=int((demanded & (uncovered == 0)).sum()), missing=missing)


def _unit(x: np.ndarray) -> np.ndarray:
    top = float(x.max()) if len(x) else 0.0
    return x / top if top > 0 else np.zeros_like(x, dtype=np.float64)


def _weak_links(r: _Run, nodes: tuple[NodeFigures, ...], limit: int | None) -> tuple[WeakLink, ...]:
    m = len(r.members)
    s = r.stats
    sup = s.suppliers[:m]
    hhi = np.where(sup > 0, np.nan_to_num(s.hhi[:m]), 10000.0)
    gap = np.where(sup == 0, 1.0, np.where(sup == 1, 0.5, 0.0))
    b, c, d = r.betweenness[:m], r.cuts[:m].astype(np.float64), r.node_demand[:m]
    importance = (_unit(b) + _unit(c) + _unit(d)) / 3.0
    wg, wi, wc = WEAKNESS_WEIGHTS
    score = wg * gap + wi * importance + wc * hhi / 10000.0
    outside = s.outside[:m, r.min_rank :].sum(axis=1)
    listed = [k for k in range(m) if sup[k] <= 1 or nodes[k].concentration == "high"]
    listed.sort(key=lambda k: (-score[k], nodes[k].node))
    out = []
    for k in listed[:limit]:
        f = nodes[k]
        ev: list[Evidence] = []
        if sup[k] == 0:
            ev.append(Evidence("no_local_supplier", 0, None))
        elif sup[k] == 1:
            ev.append(Evidence("single_source", f.single_source, f.suppliers.basis))
        if sup[k] <= 1:
            ev.append(Evidence("outside_suppliers", int(outside[k]), f.makers_basis if outside[k] else None))
        if f.concentration == "high" and sup[k] > 1:
            ev.append(Evidence("high_concentration", f.hhi.value, f.hhi.basis))
        if d[k] > 0:
            ev.append(Evidence("leader_demand", f.demand.value, f.demand.basis))
        if c[k] > 0:
            ev.append(Evidence("cuts_off_inputs", f.cuts_off, None))
        if b[k] > 0:
            ev.append(Evidence("betweenness", f.betweenness, None))
        out.append(WeakLink(f.node, float(score[k]), tuple(ev)))
    return tuple(out)


def chain_analysis(G: ChainGraph, table: SupplyTable, chain: Iterable[str], *, region: str | None = None,
                   min_tier: str = "none", limit: int | None = None) -> ChainAnalysis:
    """Node figures, 配套率 and 短板 list of one chain in one region (see module doc); ``limit`` caps the list."""
    r = _run(G, table, _members(G, chain), region, min_tier, None)
    nodes = _node_figures(r)
    return ChainAnalysis(region=normalize_region(region), min_tier=min_tier, nodes=nodes, supply=_supply_rate(r),
                         weak=_weak_links(r, nodes, limit))


def node_table(G: ChainGraph, table: SupplyTable, chain: Iterable[str], *, region: str | None = None,
               min_tier: str = "none") -> tuple[NodeFigures, ...]:
    """The figures of every node of ``chain`` (see module doc)."""
    return _node_figures(_run(G, table, _members(G, chain), region, min_tier, None))


def weak_links(G: ChainGraph, table: SupplyTable, chain: Iterable[str], *, region: str | None = None,
               min_tier: str = "none", limit: int | None = None) -> tuple[WeakLink, ...]:
    """The 短板 list of ``chain``: weakest first, each with its evidence (see module doc)."""
    r = _run(G, table, _members(G, chain), region, min_tier, None)
    return _weak_links(r, _node_figures(r), limit)


def supply_rate(G: ChainGraph, table: SupplyTable, chain: Iterable[str] | None = None, *,
                leader: Hashable | None = None, region: str | None = None,
                min_tier: str = "none") -> SupplyRate:
    """配套率 of the chain's leaders in ``region``, or of one ``leader`` (any firm id) over its products in the
    chain, or over all its products when ``chain`` is None (see module doc)."""
    if leader is None:
        if chain is None:
            raise AnalyticsError("give a chain, a leader, or both")
        return _supply_rate(_run(G, table, _members(G, chain), region, min_tier, None, structure=False))
    row = table.row(leader)
    if chain is None:
        own = table.products_.indices[table.products_.indptr[row] : table.products_.indptr[row + 1]]
        if len(own) == 0:
            raise AnalyticsError(f"firm {leader!r} lists no product")
        members = np.unique(own).astype(np.int64)
    else:
        members = _members(G, chain)
    r = _run(G, table, members, region, min_tier, np.asarray([row], dtype=np.int64), structure=False)
    if r.weighting != "leaders":  # the firm's own products have no inputs: nothing to weigh
        return SupplyRate(Figure(None, None), "leaders", (LeaderRate(leader, Figure(None, None), 0, 0),), 0, 0, ())
    return _supply_rate(r)
