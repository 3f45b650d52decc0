"""Who is busy when: the occupancy both the greedy start and first-come-first-served fill in."""

from __future__ import annotations

from collections import Counter

from scheduling.types import Meeting, Problem


class Board:
    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.busy: set[tuple[int, int]] = set()
        self.cells: dict[int, set[int]] = {s: set() for s in range(problem.slots)}
        self.count: Counter[int] = Counter()
        self.met: set[tuple[int, int]] = set()
        self.meetings: list[Meeting] = []
        for m in problem.locked:
            self.add(m)

    def fits(self, a: int, b: int, slot: int) -> bool:
        ps = self.problem.participants
        pa, pb = ps.get(a), ps.get(b)
        if pa is None or pb is None or a == b:
            return False
        return (slot in pa.available and slot in pb.available and (a, slot) not in self.busy
                and (b, slot) not in self.busy and self.count[a] < pa.cap and self.count[b] < pb.cap
                and (min(a, b), max(a, b)) not in self.met)

    def free_table(self, slot: int) -> int | None:
        used = self.cells[slot]
        return next((t for t in range(self.problem.tables) if t not in used), None)

    def add(self, m: Meeting) -> None:
        self.busy |= {(m.a, m.slot), (m.b, m.slot)}
        self.cells[m.slot].add(m.table)
        self.count[m.a] += 1
        self.count[m.b] += 1
        self.met.add(m.key)
        self.meetings.append(m)
