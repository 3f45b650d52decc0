"""An upper bound on any schedule's weight: the linear-programming relaxation of the CP-SAT model (every
boolean allowed to be fractional), solved with HiGHS through scipy. Cheap even for thousands of pairs, and tight for
this kind of assignment problem, so it is a fair yardstick when the solver stops at its time limit."""

from __future__ import annotations

from collections import Counter

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from scheduling.types import Problem


def lp_bound(problem: Problem, *, seconds: float | None = None) -> float:
    """The relaxation's optimum (locked meetings' weight included), or the simple bound when HiGHS does not finish."""
    return relaxation(problem, seconds=seconds)[0]


def simple_bound(problem: Problem) -> float:
    """Every pair meets at most once and every free cell holds one meeting: the heaviest pairs, one per free cell."""
    cells = problem.slots * problem.tables - len(problem.locked)
    weights = {p.key: p.weight for p in problem.pairs if p.weight > 0}
    locked = {m.key for m in problem.locked}
    free = sorted((w for k, w in weights.items() if k not in locked), reverse=True)[:max(0, cells)]
    return sum(free) + sum(weights.get(k, 0.0) for k in locked)


def relaxation(problem: Problem, *, seconds: float | None = None
               ) -> tuple[float, dict[tuple[tuple[int, int], int], float]]:
    """The relaxation's optimum and its fractional solution, (pair, slot) → value in [0, 1]; the simple bound and
    no solution when HiGHS does not finish within ``seconds``."""
    ps = problem.participants
    locked_pairs = {m.key for m in problem.locked}
    held = {(p, m.slot) for m in problem.locked for p in (m.a, m.b)}
    locked_count: Counter[int] = Counter(p for m in problem.locked for p in (m.a, m.b))
    locked_cells: Counter[int] = Counter(m.slot for m in problem.locked)
    weights = {p.key: p.weight for p in problem.pairs}
    locked_weight = sum(weights.get(k, 0.0) for k in locked_pairs)
    rows: dict[tuple[str, int, int], int] = {}
    cap: list[float] = []
    ri, ci, cost = [], [], []

    def row(key: tuple[str, int, int], limit: float) -> int:
        if key not in rows:
            rows[key] = len(cap)
            cap.append(limit)
        return rows[key]

    col = 0
    columns: list[tuple[tuple[int, int], int]] = []
    seen: set[tuple[int, int]] = set()
    for pair in problem.pairs:
        key = pair.key
        a, b = key
        if key in locked_pairs or key in seen or a == b or pair.weight <= 0 or a not in ps or b not in ps:
            continue
        seen.add(key)
        for s in (ps[a].available & ps[b].available):
            if (a, s) in held or (b, s) in held or not 0 <= s < problem.slots:
                continue
            for r in (row(("pair", a, b), 1), row(("ps", a, s), 1), row(("ps", b, s), 1),
                      row(("cap", a, 0), ps[a].cap - locked_count[a]), row(("cap", b, 0), ps[b].cap - locked_count[b]),
                      row(("slot", s, 0), problem.tables - locked_cells[s])):
                ri.append(r)
                ci.append(col)
            cost.append(-pair.weight)
            columns.append((key, s))
            col += 1
    if col == 0:
        return locked_weight, {}
    a_ub = coo_matrix((np.ones(len(ri)), (ri, ci)), shape=(len(cap), col)).tocsr()
    options = {"time_limit": float(seconds)} if seconds else {}
    res = linprog(np.array(cost), A_ub=a_ub, b_ub=np.maximum(np.array(cap), 0), bounds=(0, 1), method="highs",
                  options=options)
    if res.status != 0:
        return simple_bound(problem), {}
    values = {c: float(v) for c, v in zip(columns, res.x, strict=True) if v > 1e-6}
    return float(-res.fun) + locked_weight, values
