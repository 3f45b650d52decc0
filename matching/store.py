"""A sparse slots × columns matrix that takes row appends cheaply and answers column gathers fast.

Queries touch few columns (the terms of a need, the nodes near it), so scores are gathered from a CSC
copy with one ``bincount``; co-occurrence needs whole rows, so a CSR copy is kept too. Rows added
after the last build live in a small overlay that is searched the same way and folded into the main
matrices once it grows past ``compact_at`` rows, which keeps every single update cheap. A removed row
is never touched here: the owner masks dead slots at ranking time.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from matching.sparse import SparseVec, by_row, groups

__all__ = ["SparseRows", "gather_columns"]


def gather_columns(
    csc: sp.csc_matrix, cols: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nonzeros of the given columns: (row indices, weighted values, position of the column in ``cols``)."""
    return _gather(csc.indptr, csc.indices, csc.data, cols, weights)


_NOT_ASKED = np.zeros(0, dtype=np.int64)


def _gather(
    indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, cols: np.ndarray, weights: np.ndarray,
    *, which_too: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # on the raw arrays: building a scipy matrix around them (to read a CSR's rows) costs more than the gather;
    # without ``which_too`` the third array is left empty (one repeat as long as the entries less)
    # a need's columns are nearly always all known: the filter's copies are made only when one is not
    cols = np.asarray(cols, dtype=np.int64)
    weights = np.asarray(weights, dtype=np.float64)
    ok = cols < len(indptr) - 1
    which = None
    if not ok.all():
        which = np.flatnonzero(ok)
        cols, weights = cols[which], weights[which]
    starts = indptr[cols]
    lengths = indptr[cols + 1] - starts
    ends = np.cumsum(lengths)
    total = int(ends[-1]) if len(ends) else 0
    if total == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, np.zeros(0), empty
    pos = np.repeat(starts - (ends - lengths), lengths)
    pos += np.arange(total, dtype=np.int64)
    if not which_too:
        return indices[pos].astype(np.int64), data[pos] * np.repeat(weights, lengths), _NOT_ASKED
    return (
        indices[pos].astype(np.int64),
        data[pos] * np.repeat(weights, lengths),
        np.repeat(np.arange(len(cols)) if which is None else which, lengths),
    )


class SparseRows:
    """Rows addressed by slot number; columns may grow (new vocabulary) at any time."""

    def __init__(self, compact_at: int = 2048) -> None:
        self.compact_at = compact_at
        self._main_csr = sp.csr_matrix((0, 0), dtype=np.float32)
        self._main_csc = sp.csc_matrix((0, 0), dtype=np.float32)
        self._extra: list[tuple[np.ndarray, np.ndarray]] = []
        self._extra_csr: sp.csr_matrix | None = None
        self._extra_csc: sp.csc_matrix | None = None
        self.n_cols = 0

    @property
    def n_rows(self) -> int:
        return self._main_csr.shape[0] + len(self._extra)

    @staticmethod
    def _stack(rows: list[tuple[np.ndarray, np.ndarray]], n_cols: int) -> sp.csr_matrix:
        lengths = np.fromiter((len(c) for c, _ in rows), dtype=np.int64, count=len(rows))
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        if rows:
            indices = np.concatenate([c for c, _ in rows]).astype(np.int32)
            data = np.concatenate([v for _, v in rows]).astype(np.float32)
        else:
            indices, data = np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        m = sp.csr_matrix((data, indices, indptr), shape=(len(rows), n_cols))
        m.sum_duplicates()
        return m

    def build(self, rows: list[tuple[np.ndarray, np.ndarray]], n_cols: int) -> SparseRows:
        """Replace all content with ``rows`` (slot i = rows[i])."""
        self.n_cols = max(n_cols, self.n_cols)
        self._main_csr = self._stack(rows, self.n_cols)
        self._main_csc = self._main_csr.tocsc()
        self._extra, self._extra_csr, self._extra_csc = [], None, None
        return self

    def from_csr(self, matrix: sp.csr_matrix) -> SparseRows:
        """Replace all content with a ready CSR matrix (slot i = row i)."""
        self.n_cols = max(matrix.shape[1], self.n_cols)
        self._main_csr = matrix.tocsr()
        self._main_csr.sum_duplicates()
        self._main_csc = self._main_csr.tocsc()
        self._extra, self._extra_csr, self._extra_csc = [], None, None
        return self

    def adopt(self, csr: sp.csr_matrix, csc: sp.csc_matrix) -> SparseRows:
        """Take ready CSR and CSC copies of the same rows as they are (e.g. mapped from a snapshot: no copy,
        no sorting, nothing written to them)."""
        self.n_cols = max(csr.shape[1], self.n_cols)
        self._main_csr, self._main_csc = csr, csc
        self._extra, self._extra_csr, self._extra_csc = [], None, None
        return self

    def append(self, cols: np.ndarray, vals: np.ndarray, n_cols: int) -> int:
        """Add one row; returns its slot."""
        self.n_cols = max(self.n_cols, n_cols)
        self._extra.append((np.asarray(cols, dtype=np.int32), np.asarray(vals, dtype=np.float32)))
        self._extra_csr = self._extra_csc = None
        if len(self._extra) >= self.compact_at:
            self.compact()
        return self.n_rows - 1

    def compact(self, keep: np.ndarray | None = None) -> None:
        """Fold the overlay into the main matrices; with ``keep`` (slot mask) also drop rows."""
        m = self.matrix()
        if keep is not None:
            m = m[np.flatnonzero(keep)]
        self._main_csr = m.tocsr()
        self._main_csc = self._main_csr.tocsc()
        self._extra, self._extra_csr, self._extra_csc = [], None, None

    def _overlay(self) -> tuple[sp.csr_matrix, sp.csc_matrix]:
        if self._extra_csr is None or self._extra_csc is None:
            self._extra_csr = self._stack(self._extra, self.n_cols)
            self._extra_csc = self._extra_csr.tocsc()
        return self._extra_csr, self._extra_csc

    def matrix(self) -> sp.csr_matrix:
        """All rows as one CSR matrix (for tests and compaction, not for queries)."""
        main = self._main_csr
        if main.shape[1] < self.n_cols:
            main = sp.csr_matrix((main.data, main.indices, main.indptr), shape=(main.shape[0], self.n_cols))
        if not self._extra:
            return main
        return sp.vstack([main, self._overlay()[0]], format="csr")

    def column_sums(self, cols: np.ndarray, weights: np.ndarray, *, reduce: str = "sum") -> np.ndarray:
        """Dense per-slot ``sum`` (or ``max``) over the given columns of ``value * weight``."""
        out = np.zeros(self.n_rows)
        base = 0
        parts = [self._main_csc]
        if self._extra:
            parts.append(self._overlay()[1])
        for csc in parts:
            rows, vals, _ = gather_columns(csc, cols, weights)
            if len(rows):
                if reduce == "sum":
                    out[base : base + csc.shape[0]] += np.bincount(rows, weights=vals, minlength=csc.shape[0])
                else:
                    np.maximum.at(out, rows + base, vals)
            base += csc.shape[0]
        return out

    def column_vector(self, cols: np.ndarray, weights: np.ndarray, *, reduce: str = "sum") -> SparseVec:
        """:meth:`column_sums` as a sparse vector: only the slots with an entry in one of the columns."""
        rows, vals = self.entries(cols, weights)
        return by_row(rows, vals, reduce=reduce, n_slots=self.n_rows)

    def entries(self, cols: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`column_entries` without the column of each entry: (slot, value × its column's weight)."""
        if self._extra:
            rows, _, vals = self.column_entries(cols, weights)
            return rows, vals
        m = self._main_csc
        rows, vals, _ = _gather(m.indptr, m.indices, m.data, cols, weights, which_too=False)
        return rows, vals

    def row(self, slot: int) -> tuple[np.ndarray, np.ndarray]:
        n_main = self._main_csr.shape[0]
        if slot < n_main:
            m, i = self._main_csr, slot
            return m.indices[m.indptr[i] : m.indptr[i + 1]], m.data[m.indptr[i] : m.indptr[i + 1]]
        return self._extra[slot - n_main]

    def column_entries(self, cols: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every stored entry of the given columns, as (slot, position of the column in ``cols``, value ×
        its column's weight): what :meth:`column_sums` reduces, for callers that need both reductions or
        the entries themselves."""
        if not self._extra:  # no overlay: the gather as it is, without copying it once more
            rows, vals, which = gather_columns(self._main_csc, cols, weights)
            return rows, which, vals
        parts = [self._main_csc, self._overlay()[1]]
        rows_all, which_all, vals_all = [], [], []
        base = 0
        for csc in parts:
            rows, vals, which = gather_columns(csc, cols, weights)
            rows_all.append(rows + base)
            which_all.append(which)
            vals_all.append(vals)
            base += csc.shape[0]
        return np.concatenate(rows_all), np.concatenate(which_all), np.concatenate(vals_all)

    def rows_dot(self, slots: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``sum_i weights[i] * row(slots[i])`` over few rows, as (columns touched, values)."""
        slots = np.asarray(slots, dtype=np.int64)
        weights = np.asarray(weights, dtype=np.float64)
        if not self._extra:  # no overlay (the usual case): the gather as it is, without splitting the rows
            m = self._main_csr
            cols, vals, _ = _gather(m.indptr, m.indices, m.data, slots, weights, which_too=False)
            return self._summed(cols, vals)
        n_main = self._main_csr.shape[0]
        parts = []
        main = slots < n_main
        if main.any():
            # rows of a CSR are the columns of its transpose: the CSC gather on the same arrays
            m = self._main_csr
            cols, vals, _ = _gather(m.indptr, m.indices, m.data, slots[main], weights[main], which_too=False)
            parts.append((cols, vals))
        for s, w in zip(slots[~main].tolist(), weights[~main].tolist(), strict=True):
            cols, vals = self._extra[s - n_main]
            parts.append((cols.astype(np.int64), vals * w))
        cols = np.concatenate([c for c, _ in parts]) if parts else np.zeros(0, dtype=np.int64)
        vals = np.concatenate([v for _, v in parts]) if parts else np.zeros(0)
        return self._summed(cols, vals)

    @staticmethod
    def _summed(cols: np.ndarray, vals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if len(cols) == 0:
            return cols, np.zeros(0)
        # sorting the few touched columns beats scanning a dense vector as wide as the vocabulary; a stable sort
        # of the rows' sorted runs (a merge) is twice as fast as np.unique's, and each column's sum still adds
        # its entries in the makers' order
        touched, order, which = groups(cols)
        sums = np.bincount(which, weights=vals[order], minlength=len(touched))
        keep = sums != 0
        return touched[keep], sums[keep]
