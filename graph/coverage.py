"""Array kernels behind the chain analytics: maker figures per node, and leaders' input demand and its cover.

Everything here works on a *scope*: an array of node indices (a chain's members, then the inputs of those
members that lie outside it). Results are arrays over scope positions, computed with sparse column slices and
``bincount`` over the (firm, node) entries, never a Python loop over firms. :mod:`graph.analytics` turns them
into documented figures; the formulas are stated there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from graph.chaingraph import ChainGraph
from graph.supply import TIERS, SupplyTable

__all__ = ["Demand", "MakerStats", "end_products", "leader_demand", "maker_stats"]

_NB = 3  # number of bases (estimated, imported, declared)


def _basis_bounds(col: np.ndarray, basis: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Least and most certain basis rank per position (-1 where nothing is counted)."""
    seen = np.bincount(col * _NB + basis.astype(np.int64), minlength=n * _NB).reshape(n, _NB) > 0
    anyb = seen.any(axis=1)
    worst = np.where(anyb, np.argmax(seen, axis=1), -1)
    best = np.where(anyb, _NB - 1 - np.argmax(seen[:, ::-1], axis=1), -1)
    return worst, best


@dataclass
class MakerStats:
    """Per scope position. *Suppliers* are the local makers of tier ≥ the minimum."""

    local: np.ndarray  # (n, len(TIERS)) local makers by tier
    outside: np.ndarray  # (n, len(TIERS)) makers outside the region by tier
    makers_worst: np.ndarray  # least certain basis over all makers, -1 if none
    suppliers: np.ndarray
    capacity: np.ndarray  # sum of the suppliers' known shares
    capacity_known: np.ndarray  # suppliers with a known share
    hhi: np.ndarray  # 0..10000, NaN without suppliers
    hhi_estimated: np.ndarray  # some supplier's share was imputed
    supplier_worst: np.ndarray
    supplier_best: np.ndarray
    single: np.ndarray  # firm row of the only supplier, else -1
    sup_rows: np.ndarray  # (firm row, scope position) of every supplier entry
    sup_cols: np.ndarray


def maker_stats(table: SupplyTable, scope: np.ndarray, local: np.ndarray, min_rank: int) -> MakerStats:
    sub = table.makers_[:, scope]
    n = len(scope)
    col = np.repeat(np.arange(n), np.diff(sub.indptr))
    row = sub.indices.astype(np.int64)
    pid = sub.data - 1
    loc = local[row]
    tier = table.tier_[row].astype(np.int64)
    nt = len(TIERS)
    by = np.bincount(col * 2 * nt + (~loc) * nt + tier, minlength=n * 2 * nt).reshape(n, 2, nt)
    makers_worst, _ = _basis_bounds(col, table.pair_basis_[pid], n)

    q = loc & (tier >= min_rank)
    qc, qr, qp = col[q], row[q], pid[q]
    share = table.pair_share_[qp]
    known = ~np.isnan(share)
    suppliers = np.bincount(qc, minlength=n)
    capacity = np.bincount(qc[known], weights=share[known], minlength=n)
    n_known = np.bincount(qc[known], minlength=n)
    # an unknown share is imputed as the mean known share of the node's suppliers (all equal if none is known)
    mean = np.divide(capacity, n_known, out=np.ones(n), where=n_known > 0)
    s = np.where(known, share, mean[qc])
    total = np.bincount(qc, weights=s, minlength=n)
    squares = np.bincount(qc, weights=s * s, minlength=n)
    hhi = np.full(n, np.nan)
    has = suppliers > 0
    # rounded so that float noise never moves a node across a band boundary (2500 must stay "moderate")
    hhi[has] = np.round(10000.0 * squares[has] / (total[has] ** 2), 6)
    estimated = np.bincount(qc[~known], minlength=n) > 0
    worst, best = _basis_bounds(qc, table.pair_basis_[qp], n)
    single = np.full(n, -1, dtype=np.int64)
    single[qc] = qr
    single[suppliers != 1] = -1
    return MakerStats(
        local=by[:, 0, :], outside=by[:, 1, :], makers_worst=makers_worst, suppliers=suppliers,
        capacity=capacity, capacity_known=n_known, hhi=hhi, hhi_estimated=estimated,
        supplier_worst=worst, supplier_best=best, single=single, sup_rows=qr, sup_cols=qc,
    )


@dataclass
class Demand:
    """Input demand of the weighed leaders over scope positions, and whether local suppliers cover it.

    ``rows`` are the leaders' firm rows (empty when the chain's end products stand in for leaders). Entry
    ``(l, i)`` of ``weight`` is the share of leader ``l``'s input demand that falls on node ``i``; every
    non-empty row sums to 1. ``covered`` has the same entries: 1 if another local supplier of ``i`` exists.
    """

    rows: np.ndarray
    weight: sp.coo_matrix
    covered: np.ndarray  # aligned with weight.data
    weight_worst: np.ndarray  # per leader: least certain basis of its revenue weights
    targets: np.ndarray  # scope positions of the products weighed (for the cut-off count)


def end_products(G: ChainGraph, members: np.ndarray) -> np.ndarray:
    """Positions (in ``members``) of the nodes with inputs that no other member is made from."""
    in_chain = np.zeros(G.n_nodes, dtype=bool)
    in_chain[members] = True
    out = G.outputs_[members]
    used = np.bincount(np.repeat(np.arange(len(members)), np.diff(out.indptr)),
                       weights=in_chain[out.indices], minlength=len(members)) > 0
    has_inputs = np.diff(G.inputs_.indptr)[members] > 0
    return np.flatnonzero(has_inputs & ~used)


def _leader_weights(table: SupplyTable, rows: np.ndarray, members: np.ndarray,
                    has_inputs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(leader index, member position, weight, basis rank) of each product weighed; rows sum to 1."""
    P = table.products_[rows][:, members].tocoo()
    lid = P.data - 1
    share = table.link_share_[lid]
    known = ~np.isnan(share)
    r = rows[P.row]
    # a product listed with no figure shares what the firm's known shares leave of its revenue
    leftover = np.maximum(0.0, 1.0 - table.known_total_[r]) / np.maximum(table.unknown_count_[r], 1)
    w = np.where(known, share, leftover)
    basis = np.where(known, table.link_basis_[lid], 0).astype(np.int64)
    keep = has_inputs[P.col]
    li, mi, w, basis = P.row[keep], P.col[keep], w[keep], basis[keep]
    sums = np.bincount(li, weights=w, minlength=len(rows))
    flat = sums[li] <= 0  # nothing known and nothing left over: the leader's products weigh the same
    w = np.where(flat, 1.0, w)
    basis = np.where(flat, 0, basis)
    sums = np.bincount(li, weights=w, minlength=len(rows))
    return li, mi, w / sums[li], basis


def leader_demand(G: ChainGraph, table: SupplyTable, members: np.ndarray, scope_pos: np.ndarray,
                  leader_rows: np.ndarray | None, stats: MakerStats) -> Demand:
    """Demand of ``leader_rows`` (or, when ``None``, of the chain's end products, equally) on their inputs.

    A product's weight is spread equally over its direct inputs in the graph; products with no listed input
    carry no weight. ``scope_pos`` maps a node index to its scope position (every input of a member has one).
    """
    n_scope = len(stats.suppliers)
    has_inputs = np.diff(G.inputs_.indptr)[members] > 0
    if leader_rows is None:
        ends = end_products(G, members)
        rows = np.zeros(0, dtype=np.int64)
        li, mi = np.zeros(len(ends), dtype=np.int64), ends
        w = np.full(len(ends), 1.0 / max(len(ends), 1))
        basis = np.zeros(len(ends), dtype=np.int64)
        n_rows = 1 if len(ends) else 0
    else:
        rows = np.asarray(leader_rows, dtype=np.int64)
        li, mi, w, basis = _leader_weights(table, rows, members, has_inputs)
        n_rows = len(rows)
    low = np.full(n_rows, _NB, dtype=np.int64)
    np.minimum.at(low, li, basis)
    weight_worst = np.where(low < _NB, low, -1)
    W = sp.csr_matrix((w, (li, mi)), shape=(n_rows, len(members)))
    A = G.inputs_[members]
    deg = np.diff(A.indptr).astype(np.float64)
    Q = sp.csr_matrix((np.repeat(1.0 / np.maximum(deg, 1), np.diff(A.indptr)), scope_pos[A.indices], A.indptr),
                      shape=(len(members), n_scope))
    D = (W @ Q).tocoo()
    # a leader that makes an input itself is not its own local supplier (in-house is not 配套)
    own = np.zeros(0, dtype=np.int64)
    if len(rows):
        pos = np.full(table.n_firms, -1, dtype=np.int64)
        pos[rows] = np.arange(len(rows))
        lp = pos[stats.sup_rows]
        own = lp[lp >= 0] * n_scope + stats.sup_cols[lp >= 0]
    self_supply = np.isin(D.row.astype(np.int64) * n_scope + D.col, own)
    covered = (stats.suppliers[D.col] - self_supply) >= 1
    return Demand(rows=rows, weight=D, covered=covered, weight_worst=weight_worst, targets=np.unique(mi))
