"""The event scheduler on small events whose best schedule can be worked out by hand."""

from __future__ import annotations

import random

import pytest

from scheduling import (
    InfeasibleError,
    Meeting,
    Pair,
    Participant,
    Problem,
    compact,
    first_come_first_served,
    idle_gaps,
    per_slot_matching,
    rematch,
    schedule,
    violations,
)
from scheduling.bound import lp_bound
from scheduling.solve import total_weight


def people(n: int, slots: int, cap: int = 10, missing: dict[int, set[int]] | None = None) -> dict[int, Participant]:
    missing = missing or {}
    return {i: Participant(i, frozenset(set(range(slots)) - missing.get(i, set())), cap) for i in range(1, n + 1)}


def test_one_table_two_slots_takes_the_two_heaviest_disjoint_pairs() -> None:
    # 1-2 (10), 1-3 (9), 2-3 (1), 3-4 (8). One table, two slots: two meetings at most, and 1 may meet in both
    # slots, so 1-2 and 1-3 (19) beat 1-2 and 3-4 (18).
    p = Problem(2, 1, people(4, 2), (Pair(1, 2, 10), Pair(1, 3, 9), Pair(2, 3, 1), Pair(3, 4, 8)))
    r = schedule(p, seconds=5)
    assert violations(p, r.meetings) == []
    assert {m.key for m in r.meetings} == {(1, 2), (1, 3)}
    assert r.weight == pytest.approx(19)
    assert r.status == "optimal" and r.gap == pytest.approx(0, abs=1e-6)


def test_caps_and_availability_bind() -> None:
    # Participant 1 may meet once and only in slot 1; 2 is not there in slot 1.
    ps = people(3, 2)
    ps[1] = Participant(1, frozenset({1}), 1)
    ps[2] = Participant(2, frozenset({0}), 5)
    p = Problem(2, 2, ps, (Pair(1, 2, 10), Pair(1, 3, 5), Pair(2, 3, 4)))
    r = schedule(p, seconds=5)
    assert violations(p, r.meetings) == []
    # 1-2 can never meet (no common slot); 1-3 in slot 1 and 2-3 in slot 0 both fit.
    assert sorted((m.key, m.slot) for m in r.meetings) == [((1, 3), 1), ((2, 3), 0)]


def test_locked_meetings_stay_and_count() -> None:
    locked = Meeting(1, 2, 1, 0)
    p = Problem(2, 1, people(4, 2), (Pair(1, 2, 1), Pair(3, 4, 10), Pair(1, 3, 9)), locked=(locked,))
    r = schedule(p, seconds=5)
    assert locked in r.meetings
    assert violations(p, r.meetings) == []
    # Slot 1's only table is the locked meeting's: the rest goes to slot 0, where 3-4 (10) beats 1-3 (9).
    assert {(m.key, m.slot) for m in r.meetings} == {((1, 2), 1), ((3, 4), 0)}


@pytest.mark.parametrize("locked, reason", [
    ((Meeting(1, 2, 0, 0), Meeting(3, 4, 0, 0)), "share slot 1, table 1"),
    ((Meeting(1, 2, 0, 0), Meeting(1, 3, 0, 1)), "two locked meetings in slot 1"),
    ((Meeting(1, 2, 5, 0),), "outside the event"),
    ((Meeting(1, 9, 0, 0),), "unknown participant 9"),
])
def test_infeasible_locks_are_refused_with_the_reason(locked: tuple[Meeting, ...], reason: str) -> None:
    p = Problem(2, 2, people(4, 2), (Pair(1, 2, 1),), locked=locked)
    with pytest.raises(InfeasibleError, match=reason):
        schedule(p, seconds=1)


def test_a_lock_outside_availability_or_over_the_cap_is_infeasible() -> None:
    ps = people(3, 2, missing={1: {0}})
    with pytest.raises(InfeasibleError, match="not available"):
        schedule(Problem(2, 2, ps, (), locked=(Meeting(1, 2, 0, 0),)), seconds=1)
    ps = people(3, 2, cap=1)
    with pytest.raises(InfeasibleError, match="more than its cap"):
        schedule(Problem(2, 2, ps, (), locked=(Meeting(1, 2, 0, 0), Meeting(1, 3, 1, 0))), seconds=1)


def test_the_checker_finds_every_kind_of_violation() -> None:
    ps = people(4, 2, cap=1, missing={4: {1}})
    p = Problem(2, 1, ps, (Pair(1, 2, 1), Pair(3, 4, 1)), locked=(Meeting(3, 4, 0, 0),))
    bad = [Meeting(1, 2, 0, 0), Meeting(1, 2, 1, 0), Meeting(3, 4, 1, 0), Meeting(1, 3, 2, 3), Meeting(2, 2, 0, 0)]
    found = "\n".join(violations(p, bad))
    for words in ("slot 0, table 0 holds 2", "pair 1-2 meets 2 times", "outside its availability",
                  "over its cap", "slot 2, outside", "table 3, outside", "was not asked", "meets itself",
                  "locked meeting 3-4", "participant 2 has 2 meetings in slot 0"):
        assert words in found, words


def test_solver_beats_first_come_first_served_when_order_misleads() -> None:
    # Two slots, one table. FCFS places the light pair 1-2 first in slot 0, then 1-3 in slot 1, and 3-4 (heavy)
    # finds no table; the optimum is 3-4 and 1-3, or 3-4 and 1-2.
    p = Problem(2, 1, people(4, 2), (Pair(1, 2, 1), Pair(2, 3, 1), Pair(3, 4, 10)))
    fcfs = first_come_first_served(p)
    r = schedule(p, seconds=5)
    assert violations(p, fcfs) == [] and violations(p, r.meetings) == []
    assert total_weight(p, fcfs) == 2
    assert r.weight == 11


def test_random_events_are_valid_and_the_bound_holds() -> None:
    rng = random.Random(7)
    for _ in range(5):
        ps = {i: Participant(i, frozenset(s for s in range(6) if rng.random() < 0.7), rng.randint(1, 4))
              for i in range(1, 21)}
        pairs = {}
        while len(pairs) < 50:
            a, b = rng.sample(range(1, 21), 2)
            pairs[(min(a, b), max(a, b))] = Pair(min(a, b), max(a, b), rng.uniform(1, 30))
        p = Problem(6, 3, ps, tuple(pairs.values()))
        r = schedule(p, seconds=3)
        assert violations(p, r.meetings) == []
        assert violations(p, per_slot_matching(p)) == []
        assert violations(p, first_come_first_served(p)) == []
        assert r.weight <= r.bound + 1e-6 and r.weight >= r.greedy_weight - 1e-6
        assert lp_bound(p) >= r.weight - 1e-6


def test_compaction_closes_gaps_without_changing_who_meets() -> None:
    p = Problem(5, 2, people(3, 5), (Pair(1, 2, 1), Pair(1, 3, 1)))
    spread = [Meeting(1, 2, 0, 0), Meeting(1, 3, 4, 0)]
    assert idle_gaps(p, spread)[1] == 3
    tight = compact(p, spread)
    assert {m.key for m in tight} == {(1, 2), (1, 3)}
    assert idle_gaps(p, tight)[1] == 0
    assert violations(p, tight) == []


def test_rematch_gives_each_counterpart_a_different_best_partner() -> None:
    # Counterparts 1 and 2 lost their meeting; free are 5 and 6. 1 fits 5 best, but 2 fits only 5:
    # the matching gives 5 to 2 and 6 to 1 (total 9 + 7 > 10 + 0).
    weights = {(1, 5): 10.0, (1, 6): 7.0, (2, 5): 9.0}
    got = rematch([1, 2], [5, 6], weights)
    assert [(r.counterpart, r.partner) for r in got] == [(1, 6), (2, 5)]
    assert rematch([1], [5], {}) == []


def test_the_simple_bound_holds_when_the_lp_cannot_run() -> None:
    from scheduling.bound import simple_bound

    p = Problem(2, 1, people(4, 2), (Pair(1, 2, 10), Pair(1, 3, 9), Pair(2, 3, 1), Pair(3, 4, 8)))
    # Two cells: the two heaviest pairs, 19, which the optimum reaches here.
    assert simple_bound(p) == 19 == schedule(p, seconds=2).weight
    assert lp_bound(p) == pytest.approx(19)
