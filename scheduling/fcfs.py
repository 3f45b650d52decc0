"""The baseline simple tools use: each pair, in request order, takes the first slot and table both have free."""

from __future__ import annotations

from scheduling.board import Board
from scheduling.types import Meeting, Problem


def first_come_first_served(problem: Problem) -> list[Meeting]:
    board = Board(problem)
    for pair in problem.pairs:
        for slot in range(problem.slots):
            if board.fits(pair.a, pair.b, slot):
                table = board.free_table(slot)
                if table is not None:
                    board.add(Meeting(pair.a, pair.b, slot, table))
                    break
    return board.meetings
