"""The scheduling problem and its answer, as plain frozen dataclasses."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


class InfeasibleError(ValueError):
    """The fixed part of the problem (locked meetings, sizes) breaks a rule: nothing can be scheduled."""


@dataclass(frozen=True)
class Participant:
    id: int
    available: frozenset[int]  # slot indexes the participant can meet in
    cap: int  # most meetings in the whole event


class _Two:
    """Something between participants ``a`` and ``b``; ``key`` names the pair whichever way round it was given."""

    a: int
    b: int

    @property
    def key(self) -> tuple[int, int]:
        return (self.a, self.b) if self.a < self.b else (self.b, self.a)


@dataclass(frozen=True)
class Pair(_Two):
    """Two participants who should meet; ``weight`` is priority × 匹配度, larger is better."""

    a: int
    b: int
    weight: float


@dataclass(frozen=True)
class Meeting(_Two):
    a: int
    b: int
    slot: int
    table: int


@dataclass(frozen=True)
class Problem:
    slots: int
    tables: int
    participants: dict[int, Participant]
    pairs: tuple[Pair, ...]
    # Meetings the organiser locked or moved by hand: they stay exactly where they are.
    locked: tuple[Meeting, ...] = ()

    def validate(self) -> None:
        """Raise InfeasibleError naming the first rule the fixed part breaks."""
        if self.slots < 1 or self.tables < 1:
            raise InfeasibleError("an event needs at least one slot and one table")
        busy: set[tuple[int, int]] = set()
        cells: set[tuple[int, int]] = set()
        count: Counter[int] = Counter()
        for m in self.locked:
            if not (0 <= m.slot < self.slots and 0 <= m.table < self.tables):
                raise InfeasibleError(f"locked meeting {m.a}-{m.b} is outside the event's slots or tables")
            if (m.slot, m.table) in cells:
                raise InfeasibleError(f"two locked meetings share slot {m.slot + 1}, table {m.table + 1}")
            cells.add((m.slot, m.table))
            for p in (m.a, m.b):
                if p not in self.participants:
                    raise InfeasibleError(f"locked meeting names unknown participant {p}")
                if (p, m.slot) in busy:
                    raise InfeasibleError(f"participant {p} has two locked meetings in slot {m.slot + 1}")
                if m.slot not in self.participants[p].available:
                    raise InfeasibleError(f"participant {p} is not available in slot {m.slot + 1} of a locked meeting")
                busy.add((p, m.slot))
                count[p] += 1
        for p, n in count.items():
            if n > self.participants[p].cap:
                raise InfeasibleError(f"participant {p} has {n} locked meetings, more than its cap")
        if len({m.key for m in self.locked}) < len(self.locked):
            raise InfeasibleError("a pair is locked to meet twice")


@dataclass
class Result:
    meetings: list[Meeting]
    weight: float  # total weight placed, locked meetings included
    bound: float  # no schedule can weigh more than this
    greedy_weight: float
    seconds: float
    status: str  # "optimal" (proven by CP-SAT or by meeting the LP bound), "feasible" (CP-SAT hit its time
    # limit) or "start" (CP-SAT found nothing better than the start)
    stats: dict[str, float] = field(default_factory=dict)

    @property
    def gap(self) -> float:
        """How far below the bound the answer is, as a share of the bound (0 = proven optimal)."""
        return 0.0 if self.bound <= 0 else max(0.0, (self.bound - self.weight) / self.bound)
