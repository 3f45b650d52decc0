"""Improve a schedule with OR-Tools CP-SAT within a time limit, and prove how far from optimal it can be.

Model: one boolean per (pair, slot) both sides are available and not held by a locked meeting. At most one slot per
pair, at most one meeting per participant and slot, at most ``cap`` per participant, at most the free tables per
slot; maximise the total weight. Tables are interchangeable, so they are assigned afterwards (tables.py). The
solver starts from the greedy schedule (a hint) and reports its best objective bound, an upper bound on any
schedule's weight.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduling.types import Meeting, Problem

SCALE = 1000  # CP-SAT wants integer weights: 0.001 of resolution


@dataclass
class Improved:
    slotted: list[tuple[int, int, int]]  # (a, b, slot) of the meetings placed beside the locked ones
    objective: float
    bound: float
    optimal: bool


def improve(problem: Problem, start: list[Meeting], *, seconds: float, workers: int = 2) -> Improved | None:
    """None when the solver found nothing within the time (the greedy start then stands)."""
    locked_pairs = {m.key for m in problem.locked}
    held = {(p, m.slot) for m in problem.locked for p in (m.a, m.b)}
    locked_count: Counter[int] = Counter(p for m in problem.locked for p in (m.a, m.b))
    locked_cells: Counter[int] = Counter(m.slot for m in problem.locked)
    model = cp_model.CpModel()
    x: dict[tuple[tuple[int, int], int], cp_model.IntVar] = {}
    by_person_slot: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    by_person: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    by_slot: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    weight: dict[tuple[int, int], int] = {}
    ps = problem.participants
    for pair in problem.pairs:
        key = pair.key
        if key in locked_pairs or key in weight or pair.a == pair.b or pair.weight <= 0:
            continue
        a, b = key
        if a not in ps or b not in ps:
            continue
        weight[key] = max(1, round(pair.weight * SCALE))
        slots = sorted((ps[a].available & ps[b].available) - {s for (p, s) in held if p in key})
        own = []
        for s in slots:
            if not 0 <= s < problem.slots:
                continue
            v = model.new_bool_var(f"x{a}_{b}_{s}")
            x[(key, s)] = v
            own.append(v)
            by_person_slot[(a, s)].append(v)
            by_person_slot[(b, s)].append(v)
            by_person[a].append(v)
            by_person[b].append(v)
            by_slot[s].append(v)
        if len(own) > 1:
            model.add_at_most_one(own)
    if not x:
        return Improved([], 0.0, 0.0, True)
    for vs in by_person_slot.values():
        if len(vs) > 1:
            model.add_at_most_one(vs)
    for p, vs in by_person.items():
        room = ps[p].cap - locked_count[p]
        if len(vs) > room:
            model.add(sum(vs) <= room)
    for s, vs in by_slot.items():
        room = problem.tables - locked_cells[s]
        if len(vs) > room:
            model.add(sum(vs) <= room)
    model.maximize(sum(weight[k] * v for (k, _), v in x.items()))
    # A complete hint (every variable, 0 or 1) is a feasible first solution CP-SAT adopts at once.
    chosen = {(m.key, m.slot) for m in start}
    for k, v in x.items():
        model.add_hint(v, 1 if k in chosen else 0)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, seconds)
    solver.parameters.num_workers = max(1, workers)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    slotted = [(k[0], k[1], s) for (k, s), v in x.items() if solver.boolean_value(v)]
    return Improved(slotted, solver.objective_value / SCALE, solver.best_objective_bound / SCALE,
                    status == cp_model.OPTIMAL)
