"""The whole method: validate; two starts (slot-by-slot maximum-weight matching, and rounding of the LP relaxation,
whose optimum is also the upper bound); CP-SAT improves the better start within the time limit unless it already
meets the bound; tables; idle-gap compaction."""

from __future__ import annotations

import time

from scheduling.bound import relaxation
from scheduling.cpsat import improve
from scheduling.gaps import compact
from scheduling.greedy import per_slot_matching
from scheduling.rounding import lp_rounding
from scheduling.tables import assign_tables
from scheduling.types import Meeting, Problem, Result


def total_weight(problem: Problem, meetings: list[Meeting]) -> float:
    weights = {p.key: p.weight for p in problem.pairs}
    return sum(weights.get(m.key, 0.0) for m in meetings)


def schedule(problem: Problem, *, seconds: float = 20.0, workers: int = 2,
             previous: dict[tuple[int, int], tuple[int, int]] | None = None) -> Result:
    """The best schedule found within ``seconds`` (raises InfeasibleError when the locked part breaks a rule).

    ``previous`` maps a pair to its (slot, table) in the last run, so a pair that keeps its slot keeps its table.
    """
    started = time.perf_counter()
    problem.validate()
    greedy = per_slot_matching(problem)
    greedy_weight = total_weight(problem, greedy)
    greedy_seconds = time.perf_counter() - started
    locked_weight = total_weight(problem, list(problem.locked))
    # The LP gets half the time left; on a loaded machine it may not finish, and the simple bound stands in.
    bound, values = relaxation(problem, seconds=max(0.5, (seconds - (time.perf_counter() - started)) / 2))
    rounded = lp_rounding(problem, values)
    start = max((greedy, rounded), key=lambda ms: total_weight(problem, ms))
    start_weight = total_weight(problem, start)
    # A start that reaches the LP bound is optimal already: no solver run can add anything.
    proven = bool(values) and start_weight >= bound - 1e-6 * max(1.0, abs(bound))
    solved = None if proven else improve(problem, start, seconds=max(0.1, seconds - (time.perf_counter() - started)),
                                         workers=workers)
    if solved is not None and solved.objective + locked_weight >= start_weight - 1e-9:
        meetings = assign_tables(problem, solved.slotted, previous)
        status = "optimal" if solved.optimal else "feasible"
        bound = min(bound, solved.bound + locked_weight)
    else:
        locked = set(problem.locked)
        meetings = assign_tables(problem, [(m.a, m.b, m.slot) for m in start if m not in locked], previous)
        status = "optimal" if proven else "start"
    meetings = compact(problem, meetings)
    weight = total_weight(problem, meetings)
    return Result(meetings=meetings, weight=weight, bound=max(bound, weight), greedy_weight=greedy_weight,
                  seconds=time.perf_counter() - started, status=status,
                  stats={"greedy_seconds": round(greedy_seconds, 3), "lp_bound": round(bound, 3),
                         "rounding_weight": round(total_weight(problem, rounded), 3)})
