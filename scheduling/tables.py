"""Give each slotted meeting a table: locked meetings keep theirs, a pair that stays in its slot keeps its table
(fewer changes to announce), the others take the lowest free one."""

from __future__ import annotations

from collections.abc import Iterable

from scheduling.types import Meeting, Problem


def assign_tables(problem: Problem, slotted: Iterable[tuple[int, int, int]],
                  previous: dict[tuple[int, int], tuple[int, int]] | None = None) -> list[Meeting]:
    previous = previous or {}
    used: dict[int, set[int]] = {s: set() for s in range(problem.slots)}
    for m in problem.locked:
        used[m.slot].add(m.table)
    rest = []
    placed = list(problem.locked)
    for a, b, slot in slotted:
        key = (min(a, b), max(a, b))
        before = previous.get(key)
        if before is not None and before[0] == slot and before[1] not in used[slot] and before[1] < problem.tables:
            used[slot].add(before[1])
            placed.append(Meeting(key[0], key[1], slot, before[1]))
        else:
            rest.append((key, slot))
    for key, slot in rest:
        table = next(t for t in range(problem.tables) if t not in used[slot])
        used[slot].add(table)
        placed.append(Meeting(key[0], key[1], slot, table))
    return placed
