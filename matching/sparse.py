"""Per-slot evidence as sparse vectors: the slots that have some, ascending, and their values.

A query touches a few thousand of the index's slots (the firms that list its nodes or words, their
co-makers, their industries), so evidence is kept as ``(slots, values)`` pairs rather than arrays as
long as the index: the work per query then grows with the candidates, not with the number of firms.

Every reduction here adds a slot's entries in the order they come in, as ``np.bincount`` over a dense
vector would: the sums, and so the rankings built on them, are the same to the last bit.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = ["SparseVec", "align", "by_row", "groups", "positive", "reduce_parts", "sum_and_max", "union", "values_at"]

_EMPTY_SLOTS = np.zeros(0, dtype=np.int64)
# above these shares of the index, marking slots in a scratch vector beats sorting them (measured at 100,000
# slots: reducing entries that come as many sorted runs, one per column, crosses over at about a 30th; merging
# a few slot sets at about a 6th); the work stays proportional to the entries, which are then that many
_DENSE_SHARE = 8
_DENSE_SHARE_REDUCE = 32


class SparseVec(NamedTuple):
    """``values[i]`` belongs to slot ``slots[i]``; slots ascending and distinct; absent slots are 0."""

    slots: np.ndarray
    values: np.ndarray

    @staticmethod
    def empty() -> SparseVec:
        return SparseVec(_EMPTY_SLOTS, np.zeros(0))

    def max(self) -> float:
        return float(self.values.max(initial=0.0))


def _dense(m: int, n_slots: int | None, share: int = _DENSE_SHARE) -> bool:
    return n_slots is not None and m * share > n_slots


def groups(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(distinct rows ascending, an order that groups equal rows, each ordered entry's group); ``rows`` not empty."""
    # stable: a row's entries keep their order, so its sum adds them in the same order as a dense bincount;
    # the input is a few sorted runs (one per column), which timsort merges in about linear time
    order = np.argsort(rows, kind="stable")
    ordered = rows[order]
    starts = np.empty(len(ordered), dtype=bool)
    starts[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    return ordered[starts], order, np.cumsum(starts) - 1


def _reduce(rows: np.ndarray, vals: np.ndarray, reduce: tuple[str, ...],
            n_slots: int | None) -> tuple[np.ndarray, list[np.ndarray]]:
    return reduce_parts([(rows, vals, reduce)], n_slots)


Part = tuple[np.ndarray, np.ndarray, tuple[str, ...]]


def reduce_parts(parts: list[Part], n_slots: int | None = None) -> tuple[np.ndarray, list[np.ndarray]]:
    """Several sets of entries ``(rows, vals, reductions)`` reduced per row from one grouping of all of them:
    the rows with an entry in some part (ascending, those where every result is 0 left out) and, part by part,
    each of its reductions (``sum`` or ``max``) at those rows, 0 where the part has none. The same as
    :func:`by_row` per part followed by :func:`align`, to the last bit, with one sort instead of one per part
    and one more to merge them; ``n_slots`` as in :func:`by_row`."""
    parts = [(np.asarray(r, dtype=np.int64), np.asarray(v, dtype=np.float64), how) for r, v, how in parts]
    total = sum(len(r) for r, _, _ in parts)
    if total == 0:
        return _EMPTY_SLOTS, [np.zeros(0) for _, _, how in parts for _ in how]
    out: list[np.ndarray] = []
    if _dense(total, n_slots, _DENSE_SHARE_REDUCE):
        assert n_slots is not None
        for rows, vals, how in parts:
            for h in how:
                if h == "sum":
                    out.append(np.bincount(rows, weights=vals, minlength=n_slots))
                else:
                    top = np.zeros(n_slots)
                    np.maximum.at(top, rows, vals)
                    out.append(top)
        # the slots with entries from a mask marked at the entries (nonzero on a bool mask: on a float vector it is
        # 5-10 times slower), then those where some result is not 0: one pass over the index, not one per result
        mark = np.zeros(n_slots, dtype=bool)
        for rows, _, _ in parts:
            mark[rows] = True
        slots = np.flatnonzero(mark)
        out = [f[slots] for f in out]
        nonzero = _any_nonzero(out)
        if not nonzero.all():
            slots, out = slots[nonzero], [o[nonzero] for o in out]
        return slots, out
    if len(parts) == 1:
        rows, vals, _ = parts[0]
        slots, order, which = groups(rows)
        mine = [(which, vals[order])]
    else:
        slots, order, which = groups(np.concatenate([r for r, _, _ in parts]))
        ordered = np.concatenate([v for _, v, _ in parts])[order]
        # each part's entries in the grouped order: a stable grouping keeps them in their own order within a row
        part = np.repeat(np.arange(len(parts)), [len(r) for r, _, _ in parts])[order]
        mine = [(which[part == k], ordered[part == k]) for k in range(len(parts))]
    for (w, v), (_, _, how) in zip(mine, parts, strict=True):
        for h in how:
            if h == "sum":
                out.append(np.bincount(w, weights=v, minlength=len(slots)))
            else:
                top = np.zeros(len(slots))
                np.maximum.at(top, w, v)
                out.append(top)
    nonzero = _any_nonzero(out)
    if not nonzero.all():
        slots, out = slots[nonzero], [o[nonzero] for o in out]
    return slots, out


def _any_nonzero(arrays: list[np.ndarray]) -> np.ndarray:
    some = arrays[0] != 0
    for a in arrays[1:]:
        some |= a != 0
    return some


def by_row(rows: np.ndarray, vals: np.ndarray, *, reduce: str = "sum", n_slots: int | None = None) -> SparseVec:
    """Entries ``(rows[i], vals[i])`` reduced per row by ``sum`` or ``max`` (with 0 as the floor, like a
    dense vector of zeros would give); rows whose result is 0 are left out, as a dense vector would not tell
    them from rows without entries. ``n_slots`` (the index's) lets large inputs take a faster path."""
    if len(rows) == 0:
        return SparseVec.empty()
    slots, (totals,) = _reduce(rows, vals, (reduce,), n_slots)
    return SparseVec(slots, totals)


def sum_and_max(rows: np.ndarray, vals: np.ndarray, n_slots: int | None = None) -> tuple[SparseVec, SparseVec]:
    """``by_row`` with ``sum`` and with ``max`` from one grouping of the entries (rows where both are 0 left out)."""
    if len(rows) == 0:
        return SparseVec.empty(), SparseVec.empty()
    slots, (total, top) = _reduce(rows, vals, ("sum", "max"), n_slots)
    return SparseVec(slots, total), SparseVec(slots, top)


def positive(v: SparseVec) -> SparseVec:
    keep = v.values > 0
    return v if keep.all() else SparseVec(v.slots[keep], v.values[keep])


def _marked(parts: list[np.ndarray], n_slots: int) -> np.ndarray:
    mark = np.zeros(n_slots, dtype=bool)
    for p in parts:
        mark[p] = True
    return np.flatnonzero(mark)


def union(*slot_sets: np.ndarray, n_slots: int | None = None) -> np.ndarray:
    """The distinct slots of several slot arrays, ascending; ``n_slots`` as in :func:`by_row`."""
    parts = [s for s in slot_sets if len(s)]
    if not parts:
        return _EMPTY_SLOTS
    if len(parts) == 1 and (len(parts[0]) < 2 or bool(np.all(parts[0][1:] > parts[0][:-1]))):
        return parts[0]
    if _dense(sum(len(p) for p in parts), n_slots):
        assert n_slots is not None
        return _marked(parts, n_slots)
    # a stable sort is a merge sort: the parts are mostly sorted runs, merged in about linear time
    joined = np.sort(np.concatenate(parts), kind="stable")
    keep = np.empty(len(joined), dtype=bool)
    keep[0] = True
    np.not_equal(joined[1:], joined[:-1], out=keep[1:])
    return joined[keep]


def align(vecs: list[SparseVec], n_slots: int | None = None) -> tuple[np.ndarray, list[np.ndarray]]:
    """The union of the vectors' slots, ascending, and each vector's values at them (0 where it has none):
    one merge of all the slots instead of a search per vector. ``n_slots`` as in :func:`by_row`."""
    parts: dict[int, np.ndarray] = {}  # vectors often share one slot array (a sum and a max of the same entries)
    for v in vecs:
        parts.setdefault(id(v.slots), v.slots)
    arrays = list(parts.values())
    total = sum(len(a) for a in arrays)
    if total == 0:
        return _EMPTY_SLOTS, [np.zeros(0) for _ in vecs]
    if _dense(total, n_slots):
        assert n_slots is not None
        mark = np.zeros(n_slots, dtype=bool)
        for a in arrays:
            mark[a] = True
        slots = np.flatnonzero(mark)
        # the position of each marked slot in ``slots``, written at the marked slots only (a cumulative sum over
        # every slot took longer); the rest of the scratch vector is never read
        rank = np.empty(n_slots, dtype=np.int32)
        rank[slots] = np.arange(len(slots), dtype=np.int32)
        where = {key: rank[a] for key, a in parts.items()}
    else:
        joined = np.concatenate(arrays)
        # a stable sort is a merge sort: the parts are sorted runs, merged in about linear time
        order = np.argsort(joined, kind="stable")
        ordered = joined[order]
        starts = np.empty(total, dtype=bool)
        starts[0] = True
        np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
        slots = ordered[starts]
        pos = np.empty(total, dtype=np.int64)
        pos[order] = np.cumsum(starts) - 1
        bounds = np.cumsum([0, *(len(a) for a in arrays)])
        where = {key: pos[bounds[k]:bounds[k + 1]] for k, key in enumerate(parts)}
    out = []
    for v in vecs:
        vals = np.zeros(len(slots))
        vals[where[id(v.slots)]] = v.values
        out.append(vals)
    return slots, out


def values_at(v: SparseVec, slots: np.ndarray) -> np.ndarray:
    """``v``'s values at ``slots`` (ascending, distinct), 0 where ``v`` has none."""
    out = np.zeros(len(slots))
    if len(v.slots) == 0 or len(slots) == 0:
        return out
    if len(v.slots) < len(slots):
        # search the few entries of v among the many slots, not the other way round
        pos = np.minimum(np.searchsorted(slots, v.slots), len(slots) - 1)
        found = slots[pos] == v.slots
        out[pos[found]] = v.values[found]
        return out
    pos = np.minimum(np.searchsorted(v.slots, slots), len(v.slots) - 1)
    found = v.slots[pos] == slots
    out[found] = v.values[pos[found]]
    return out
