"""An independent check of a schedule against the event's rules, written apart from the scheduler so that a bug in
one is not hidden by the same bug in the other. Used by the tests and the benchmark."""

from __future__ import annotations

from collections import Counter

from scheduling.types import Meeting, Problem


def violations(problem: Problem, meetings: list[Meeting], *, allowed: set[tuple[int, int]] | None = None) -> list[str]:
    """Every broken rule, as text; an empty list means the schedule is valid.

    ``allowed`` (default: the problem's pairs and locked meetings) are the pairs that may meet at all.
    """
    found: list[str] = []
    if allowed is None:
        allowed = {p.key for p in problem.pairs} | {m.key for m in problem.locked}
    seen_cells: Counter[tuple[int, int]] = Counter()
    seen_people: Counter[tuple[int, int]] = Counter()
    seen_pairs: Counter[tuple[int, int]] = Counter()
    per_person: Counter[int] = Counter()
    for m in meetings:
        seen_cells[(m.slot, m.table)] += 1
        seen_pairs[m.key] += 1
        if m.a == m.b:
            found.append(f"participant {m.a} meets itself")
        if not 0 <= m.slot < problem.slots:
            found.append(f"meeting {m.a}-{m.b} in slot {m.slot}, outside the event")
        if not 0 <= m.table < problem.tables:
            found.append(f"meeting {m.a}-{m.b} at table {m.table}, outside the event")
        if m.key not in allowed:
            found.append(f"pair {m.a}-{m.b} was not asked to meet")
        for p in {m.a, m.b}:
            seen_people[(p, m.slot)] += 1
            per_person[p] += 1
            who = problem.participants.get(p)
            if who is None:
                found.append(f"meeting {m.a}-{m.b} names unknown participant {p}")
            elif m.slot not in who.available:
                found.append(f"participant {p} meets in slot {m.slot}, outside its availability")
    found += [f"slot {s}, table {t} holds {n} meetings" for (s, t), n in seen_cells.items() if n > 1]
    found += [f"participant {p} has {n} meetings in slot {s}" for (p, s), n in seen_people.items() if n > 1]
    found += [f"pair {a}-{b} meets {n} times" for (a, b), n in seen_pairs.items() if n > 1]
    found += [f"participant {p} has {n} meetings, over its cap {problem.participants[p].cap}"
              for p, n in per_person.items() if p in problem.participants and n > problem.participants[p].cap]
    present = set(meetings)
    found += [f"locked meeting {m.a}-{m.b} (slot {m.slot}, table {m.table}) was moved or dropped"
              for m in problem.locked if m not in present]
    return found
