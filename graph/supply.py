"""Who makes what, and where: the firm × node supply table that the chain analytics read.

Feeding it from database rows
-----------------------------
Both inputs are plain tuples (or the named tuples below, which are the same thing with names)::

    firms = [(e.id, e.region, e.tier, e.kind) for e in enterprises]          # Firm(id, region, tier, kind)
    links = [(c.enterprise_id, node_name, c.revenue_share, c.source) for c in capabilities if c.node_id]
    table = supply_table(G, firms, links)                                     # G: the ChainGraph of the nodes

* ``region`` is a path ``省/市/区`` (``"山东省/济南市/历下区"``); empty parts are dropped.
* ``tier`` is one of :data:`TIERS`, lowest first; ``kind`` is free text, and ``"leader"`` marks a chain leader.
* ``node`` is a node name or alias of ``G``.
* ``share`` is the firm's revenue share in the node (0..1). ``None``, NaN, anything ≤ :data:`NO_FIGURE` (the
  chainkg mark for "listed in the business scope, no figure") means *unknown*; above 1 is read as 1.
* ``basis`` says how the link is known: ``"declared"`` by the firm, ``"imported"`` from filings, or
  ``"estimated"`` (the capabilities table calls inferred links ``"inferred"``; that is read as estimated).

Every figure computed from the table carries the basis it rests on (see :class:`graph.analytics.Figure`), so an
estimate is never shown as a survey. Certainty is ranked ``estimated < imported < declared`` (:data:`BASES`).

Makers of a node
----------------
A firm *makes* node ``p`` when it is linked to ``p`` itself or to a direct sub-kind of ``p`` (a maker of
三元正极材料 makes 正极材料), unless ``via_narrower=False``. A firm linked to several of those counts once; its
share in ``p`` is the sum of its known shares in them (capped at 1), unknown when none is known, and its basis is
the least certain of those links.

The table is built once per data snapshot (vectorised: about a second for 100,000 firms and a million links)
and then read by every chain and region: a column slice of :attr:`SupplyTable.makers_` gives a chain's makers.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from graph.chaingraph import ChainGraph
from graph.exceptions import AnalyticsError, UnknownFirmError, UnknownNodeError

__all__ = [
    "BASES",
    "LEADER",
    "NO_FIGURE",
    "TIERS",
    "Firm",
    "Supply",
    "SupplyTable",
    "basis_rank",
    "normalize_region",
    "supply_table",
    "tier_rank",
]

TIERS = ("none", "innovative", "provincial", "little_giant")
BASES = ("estimated", "imported", "declared")  # index = certainty rank
_BASIS_ALIASES = {"inferred": "estimated"}
NO_FIGURE = 0.001
LEADER = "leader"


class Firm(NamedTuple):
    """A firm as the analytics see it; any ``(id, region, tier, kind)`` tuple works the same."""

    id: Hashable
    region: str = ""
    tier: str = "none"
    kind: str = "sme"


class Supply(NamedTuple):
    """A firm–node link; any ``(firm, node, share, basis)`` tuple works the same."""

    firm: Hashable
    node: str
    share: float | None = None
    basis: str = "declared"


def tier_rank(tier: str) -> int:
    """Position of ``tier`` in :data:`TIERS` (0 = none); an unknown tier raises :class:`AnalyticsError`."""
    try:
        return TIERS.index(tier)
    except ValueError:
        raise AnalyticsError(f"unknown tier {tier!r}; expected one of {', '.join(TIERS)}") from None


def basis_rank(basis: str) -> int:
    """Certainty rank of a basis (0 = estimated … 2 = declared)."""
    try:
        return BASES.index(_BASIS_ALIASES.get(basis, basis))
    except ValueError:
        raise AnalyticsError(f"unknown basis {basis!r}; expected one of {', '.join(BASES)}") from None


def normalize_region(region: str | None) -> str:
    """One spelling for a region path: NFKC, parts stripped, empty parts dropped (``" 山东省/ "`` → ``山东省``)."""
    if not region:
        return ""
    text = unicodedata.normalize("NFKC", region)
    return "/".join(p.strip() for p in text.split("/") if p.strip())


def _share(value: float | None) -> float:
    if value is None:
        return math.nan
    try:
        s = float(value)
    except (TypeError, ValueError):
        raise AnalyticsError(f"revenue share {value!r} is not a number") from None
    if not math.isfinite(s) or s <= NO_FIGURE:
        return math.nan
    return min(s, 1.0)


@dataclass
class SupplyTable:
    """Firms and their links to nodes, as arrays (read-only once built by :func:`supply_table`).

    Per firm (row ``f``): ``firm_ids_[f]``, ``region_[f]`` (index into ``regions_``), ``tier_[f]`` (rank),
    ``leader_[f]``. ``firm_index_`` maps an id back to its row.

    ``makers_`` is an ``n_firms × n_nodes`` CSC matrix whose entries hold ``pair + 1``: the index of the
    (firm, node) maker pair in ``pair_share_`` (NaN: unknown) and ``pair_basis_`` (certainty rank).

    ``products_`` is the same for *direct* links only (what a firm itself lists, no sub-kind expansion), as a CSR
    matrix into ``link_share_`` / ``link_basis_``; with ``known_total_`` (sum of a firm's known shares) and
    ``unknown_count_`` (its links with no figure) it gives a chain leader's revenue weights.
    """

    firm_ids_: list[Hashable]
    firm_index_: dict[Hashable, int]
    regions_: list[str]
    region_: np.ndarray
    tier_: np.ndarray
    leader_: np.ndarray
    makers_: sp.csc_matrix
    pair_share_: np.ndarray
    pair_basis_: np.ndarray
    products_: sp.csr_matrix
    link_share_: np.ndarray
    link_basis_: np.ndarray
    known_total_: np.ndarray
    unknown_count_: np.ndarray

    @property
    def n_firms(self) -> int:
        return len(self.firm_ids_)

    def row(self, firm: Hashable) -> int:
        """Row of a firm id; :class:`UnknownFirmError` if the table does not hold it."""
        try:
            return self.firm_index_[firm]
        except (KeyError, TypeError):
            raise UnknownFirmError(firm) from None

    def region_mask(self, prefix: str | None) -> np.ndarray:
        """Boolean per firm: in region ``prefix`` (itself or below it); everyone when ``prefix`` is empty."""
        pre = normalize_region(prefix)
        if not pre:
            return np.ones(self.n_firms, dtype=bool)
        below = pre + "/"
        match = np.fromiter((r == pre or r.startswith(below) for r in self.regions_), dtype=bool,
                            count=len(self.regions_))
        return match[self.region_]


def _firm_arrays(firms: Iterable[tuple]) -> tuple[list[Hashable], dict[Hashable, int], list[str], np.ndarray,
                                                  np.ndarray, np.ndarray]:
    ids: list[Hashable] = []
    index: dict[Hashable, int] = {}
    region_codes: dict[str, int] = {}
    region, tier, leader = [], [], []
    tier_codes = {t: i for i, t in enumerate(TIERS)}
    for f in firms:
        try:
            fid, reg, tr, kind = Firm(*f)
        except TypeError:
            raise AnalyticsError(f"a firm row is (id, region, tier, kind), not {f!r}") from None
        try:
            if fid in index:
                raise AnalyticsError(f"firm {fid!r} is listed twice")
        except TypeError:
            raise AnalyticsError(f"firm id {fid!r} is not hashable") from None
        index[fid] = len(ids)
        ids.append(fid)
        r = tier_codes.get(tr)
        tier.append(tier_rank(tr) if r is None else r)
        region.append(region_codes.setdefault(normalize_region(reg), len(region_codes)))
        leader.append(kind == LEADER)
    return (ids, index, list(region_codes), np.asarray(region, dtype=np.int32), np.asarray(tier, dtype=np.int8),
            np.asarray(leader, dtype=bool))


def _segments(indptr: np.ndarray, indices: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each item i with CSR row ``rows[i]``: (item index repeated, column) for every entry of that row."""
    counts = np.diff(indptr)[rows]
    owner = np.repeat(np.arange(len(rows)), counts)
    starts = np.repeat(indptr[rows], counts)
    offsets = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, indices[starts + offsets]


def supply_table(
    G: ChainGraph,
    firms: Iterable[tuple],
    links: Iterable[tuple],
    *,
    via_narrower: bool = True,
    on_unknown_node: str = "raise",
) -> SupplyTable:
    """Build the :class:`SupplyTable` of ``firms`` and their ``links`` to the nodes of ``G`` (see module doc).

    ``on_unknown_node="skip"`` drops links to nodes ``G`` does not hold instead of raising
    :class:`UnknownNodeError` (useful when the graph and the links come from different snapshots).
    A link to an unknown firm always raises :class:`UnknownFirmError`; a repeated (firm, node) link is merged.
    """
    if on_unknown_node not in ("raise", "skip"):
        raise AnalyticsError("on_unknown_node must be 'raise' or 'skip'")
    ids, index, regions, region, tier, leader = _firm_arrays(firms)
    n_nodes = G.n_nodes
    forms = G.surface_forms()
    basis_codes = {b: basis_rank(b) for b in (*BASES, *_BASIS_ALIASES)}
    rows: list[int] = []
    cols: list[int] = []
    shares: list[float] = []
    bases: list[int] = []
    for link in links:
        try:
            firm, node, share, basis = Supply(*link)
        except TypeError:
            raise AnalyticsError(f"a link row is (firm, node, share, basis), not {link!r}") from None
        col = forms.get(node) if isinstance(node, str) else None
        if col is None:
            if on_unknown_node == "skip":
                continue
            raise UnknownNodeError(str(node))
        try:
            r = index[firm]
        except (KeyError, TypeError):
            raise UnknownFirmError(firm) from None
        b = basis_codes.get(basis)
        rows.append(r)
        cols.append(col)
        shares.append(_share(share))
        bases.append(basis_rank(basis) if b is None else b)
    n_firms = len(ids)
    r_arr = np.asarray(rows, dtype=np.int64)
    c_arr = np.asarray(cols, dtype=np.int64)
    s_arr = np.asarray(shares, dtype=np.float64)
    b_arr = np.asarray(bases, dtype=np.int8)

    # direct links, repeated (firm, node) rows merged: the larger known share, the least certain basis
    link_key, link_inv = np.unique(r_arr * n_nodes + c_arr, return_inverse=True)
    n_links = len(link_key)
    link_share = np.full(n_links, np.nan)
    np.fmax.at(link_share, link_inv, s_arr)
    link_basis = np.full(n_links, len(BASES) - 1, dtype=np.int8)
    np.minimum.at(link_basis, link_inv, b_arr)
    l_rows, l_cols = link_key // max(n_nodes, 1), link_key % max(n_nodes, 1)
    known = ~np.isnan(link_share)
    known_total = np.bincount(l_rows[known], weights=link_share[known], minlength=n_firms)
    unknown_count = np.bincount(l_rows[~known], minlength=n_firms)
    products = sp.csr_matrix((np.arange(1, n_links + 1, dtype=np.int64), (l_rows, l_cols)), shape=(n_firms, n_nodes))

    # maker pairs: each direct link, plus the same firm as a maker of every broader kind of the linked node
    if via_narrower:
        owner, up = _segments(G.broader_.indptr, G.broader_.indices, l_cols)
    else:
        owner, up = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    src = np.concatenate([np.arange(n_links), owner])
    p_cols = np.concatenate([l_cols, up])
    pair_key, pair_inv = np.unique(l_rows[src] * n_nodes + p_cols, return_inverse=True)
    n_pairs = len(pair_key)
    s_src = link_share[src]
    k_src = ~np.isnan(s_src)
    pair_sum = np.bincount(pair_inv[k_src], weights=s_src[k_src], minlength=n_pairs)
    pair_known = np.bincount(pair_inv[k_src], minlength=n_pairs) > 0
    pair_share = np.where(pair_known, np.minimum(pair_sum, 1.0), np.nan)
    pair_basis = np.full(n_pairs, len(BASES) - 1, dtype=np.int8)
    np.minimum.at(pair_basis, pair_inv, link_basis[src])
    makers = sp.csc_matrix(
        (np.arange(1, n_pairs + 1, dtype=np.int64), (pair_key // max(n_nodes, 1), pair_key % max(n_nodes, 1))),
        shape=(n_firms, n_nodes),
    )
    return SupplyTable(
        firm_ids_=ids, firm_index_=index, regions_=regions, region_=region, tier_=tier, leader_=leader,
        makers_=makers, pair_share_=pair_share, pair_basis_=pair_basis,
        products_=products, link_share_=link_share, link_basis_=link_basis,
        known_total_=known_total, unknown_count_=unknown_count,
    )
