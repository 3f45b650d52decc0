"""Sparse per-slot vectors (matching.sparse) give exactly what the dense arrays they replace gave."""

import numpy as np
import pytest

from matching.sparse import SparseVec, align, by_row, reduce_parts, sum_and_max, union, values_at
from matching.store import SparseRows


def _store(n_rows: int, seed: int) -> tuple[SparseRows, np.ndarray]:
    rng = np.random.default_rng(seed)
    dense = (rng.random((n_rows, 40)) < 0.01) * rng.random((n_rows, 40))
    rows = [(np.flatnonzero(r), r[np.flatnonzero(r)]) for r in dense]
    store = SparseRows(compact_at=10_000).build(rows[: n_rows - 7], 40)
    for cols, vals in rows[n_rows - 7:]:
        store.append(cols, vals, 40)  # an overlay: its slots come after the main matrix's
    return store, dense


# a 50th of the slots (sorted path) and a third of them (marked in a scratch vector)
@pytest.mark.parametrize("n_cols", [2, 30])
@pytest.mark.parametrize("reduce", ["sum", "max"])
def test_column_vector_is_column_sums_to_the_last_bit(n_cols, reduce):
    store, _ = _store(2000, 1)
    rng = np.random.default_rng(2)
    cols = rng.choice(40, n_cols, replace=False)
    w = rng.random(n_cols) * 3
    dense = store.column_sums(cols, w, reduce=reduce)
    assert (np.count_nonzero(dense) * 32 > store.n_rows) == (n_cols == 30)
    v = store.column_vector(cols, w, reduce=reduce)
    assert v.slots.tolist() == np.flatnonzero(dense).tolist()
    assert v.values.tolist() == dense[v.slots].tolist()  # equal, not close: same additions in the same order


def test_sum_and_max_group_once_and_agree_with_by_row():
    rows = np.array([5, 1, 5, 9, 1, 5])
    vals = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    total, top = sum_and_max(rows, vals)
    assert total.slots.tolist() == top.slots.tolist() == [1, 5, 9]
    assert total.values.tolist() == [0.2 + 0.5, 0.1 + 0.3 + 0.6, 0.4]
    assert top.values.tolist() == [0.5, 0.6, 0.4]
    for n_slots in (None, 10):  # sorted and marked paths
        assert by_row(rows, vals, n_slots=n_slots).values.tolist() == total.values.tolist()
        assert by_row(rows, vals, reduce="max", n_slots=n_slots).values.tolist() == top.values.tolist()


@pytest.mark.parametrize("n_slots", [None, 20])
def test_union_align_and_values_at(n_slots):
    a = SparseVec(np.array([1, 4, 7]), np.array([1.0, 4.0, 7.0]))
    b = SparseVec(np.array([0, 4, 9]), np.array([10.0, 40.0, 90.0]))
    same_slots = SparseVec(a.slots, np.array([-1.0, -4.0, -7.0]))
    assert union(a.slots, b.slots, np.array([], dtype=np.int64), n_slots=n_slots).tolist() == [0, 1, 4, 7, 9]
    assert union(np.array([3, 3, 1]), n_slots=n_slots).tolist() == [1, 3]
    slots, (va, vb, vs) = align([a, b, same_slots], n_slots)
    assert slots.tolist() == [0, 1, 4, 7, 9]
    assert va.tolist() == [0, 1, 4, 7, 0] and vb.tolist() == [10, 0, 40, 0, 90] and vs.tolist() == [0, -1, -4, -7, 0]
    assert values_at(b, np.array([0, 3, 9, 12])).tolist() == [10.0, 0.0, 90.0, 0.0]
    assert values_at(b, np.array([4, 5])).tolist() == [40.0, 0.0]  # fewer slots than entries: the other search
    assert values_at(b, np.array([], dtype=np.int64)).tolist() == []
    empty, (ve,) = align([SparseVec.empty()], n_slots)
    assert len(empty) == 0 and len(ve) == 0


# parts of a few entries each (sorted grouping) and of many (marked in scratch vectors), one part only or three
@pytest.mark.parametrize("n_slots", [None, 60, 100_000])
@pytest.mark.parametrize("n_parts", [1, 3])
def test_reduce_parts_is_by_row_per_part_then_align_to_the_last_bit(n_slots, n_parts):
    rng = np.random.default_rng(n_parts)
    parts = []
    for k in range(n_parts):
        # runs of ascending slots as a column gather gives them, values of mixed magnitude so that the order of
        # the additions shows in the last bits, and one slot whose entries cancel (by_row leaves it out)
        rows = np.concatenate([np.sort(rng.choice(50, 12, replace=False)) for _ in range(4)] + [np.array([55, 55])])
        vals = np.concatenate([rng.random(48) * 10.0 ** rng.integers(-6, 6, 48), np.array([0.5, -0.5])])
        # the second part is also reduced by max, without the cancelling slot (its max would keep it)
        parts.append((rows[:-2], vals[:-2], ("sum", "max")) if k == 1 else (rows, vals, ("sum",)))
    slots, out = reduce_parts(parts, n_slots)
    expected = [by_row(r, v, reduce=h, n_slots=n_slots) for r, v, how in parts for h in how]
    want_slots, want = align(expected, n_slots)
    assert 55 not in slots.tolist()
    assert slots.tolist() == want_slots.tolist()
    assert [o.tolist() for o in out] == [w.tolist() for w in want]  # equal, not close
    empty, nothing = reduce_parts([(np.zeros(0, dtype=np.int64), np.zeros(0), ("sum", "max"))], n_slots)
    assert empty.tolist() == [] and [o.tolist() for o in nothing] == [[], []]
