"""Idle gaps (slots a participant is available but waits between two of its meetings), and a local search that
shortens them by moving unlocked meetings to other free slots without changing who meets whom."""

from __future__ import annotations

from collections import defaultdict

from scheduling.types import Meeting, Problem


def _idle(slots: list[int], available: frozenset[int]) -> int:
    if len(slots) < 2:
        return 0
    first, last = min(slots), max(slots)
    return sum(1 for s in range(first + 1, last) if s in available and s not in slots)


def idle_gaps(problem: Problem, meetings: list[Meeting]) -> dict[int, int]:
    """Idle slots per participant between its first and last meeting."""
    mine: dict[int, list[int]] = defaultdict(list)
    for m in meetings:
        mine[m.a].append(m.slot)
        mine[m.b].append(m.slot)
    return {p: _idle(s, problem.participants[p].available) for p, s in mine.items() if p in problem.participants}


def mean_idle_gap(problem: Problem, meetings: list[Meeting]) -> float:
    """Mean idle slots between two consecutive meetings of the same participant."""
    mine: dict[int, list[int]] = defaultdict(list)
    for m in meetings:
        mine[m.a].append(m.slot)
        mine[m.b].append(m.slot)
    gaps = [_idle(sorted(s), problem.participants[p].available) for p, s in mine.items()]
    intervals = sum(max(0, len(s) - 1) for s in mine.values())
    return sum(gaps) / intervals if intervals else 0.0


def compact(problem: Problem, meetings: list[Meeting], *, passes: int = 4) -> list[Meeting]:
    """Move unlocked meetings to free cells where both sides' idle time shrinks; weights are unchanged."""
    locked = {(m.key, m.slot) for m in problem.locked}
    ps = problem.participants
    slots_of: dict[int, list[int]] = defaultdict(list)
    used: dict[int, set[int]] = defaultdict(set)
    for m in meetings:
        slots_of[m.a].append(m.slot)
        slots_of[m.b].append(m.slot)
        used[m.slot].add(m.table)
    out = list(meetings)
    for _ in range(passes):
        moved = False
        for i, m in enumerate(out):
            if (m.key, m.slot) in locked:
                continue
            a_s, b_s = slots_of[m.a], slots_of[m.b]
            base = _idle(a_s, ps[m.a].available) + _idle(b_s, ps[m.b].available)
            best: tuple[int, int, int] | None = None
            for s in ps[m.a].available & ps[m.b].available:
                if s in a_s or s in b_s or len(used[s]) >= problem.tables or not 0 <= s < problem.slots:
                    continue
                na = [x for x in a_s if x != m.slot] + [s]
                nb = [x for x in b_s if x != m.slot] + [s]
                cost = _idle(na, ps[m.a].available) + _idle(nb, ps[m.b].available)
                if cost < base and (best is None or cost < best[0]):
                    table = next(t for t in range(problem.tables) if t not in used[s])
                    best = (cost, s, table)
            if best is None:
                continue
            _, s, table = best
            a_s.remove(m.slot)
            b_s.remove(m.slot)
            a_s.append(s)
            b_s.append(s)
            used[m.slot].discard(m.table)
            used[s].add(table)
            out[i] = Meeting(m.a, m.b, s, table)
            moved = True
        if not moved:
            break
    return out
