"""A second start from the LP relaxation (randomised-rounding's deterministic cousin): place (pair, slot) cells in
order of their fractional LP value, heaviest first among equals, skipping those that no longer fit, then fill any
room left with the remaining pairs by weight. On large events it lands much closer to the bound than the slot-by-slot
greedy, whose early slots use up the busiest participants' caps."""

from __future__ import annotations

from scheduling.board import Board
from scheduling.types import Meeting, Problem


def lp_rounding(problem: Problem, values: dict[tuple[tuple[int, int], int], float]) -> list[Meeting]:
    board = Board(problem)
    weights = {p.key: p.weight for p in problem.pairs if p.weight > 0}
    order = sorted(values.items(), key=lambda kv: (-kv[1], -weights.get(kv[0][0], 0.0), kv[0]))
    for ((a, b), slot), _ in order:
        if board.fits(a, b, slot):
            table = board.free_table(slot)
            if table is not None:
                board.add(Meeting(a, b, slot, table))
    for (a, b), _ in sorted(weights.items(), key=lambda kv: -kv[1]):
        for slot in range(problem.slots):
            if board.fits(a, b, slot):
                table = board.free_table(slot)
                if table is not None:
                    board.add(Meeting(a, b, slot, table))
                    break
    return board.meetings
