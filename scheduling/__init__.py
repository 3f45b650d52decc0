"""Scheduling 1:1 meetings of a matchmaking event (供需对接会) into (slot, table) cells.

Pure: plain dataclasses in, plain dataclasses out; networkx and OR-Tools only, nothing of the web service. The method
(see docs/events.md): a per-slot maximum-weight matching as a greedy start, improved by OR-Tools CP-SAT within a time
limit, whose best objective bound says how far the answer can be from the optimum; locked meetings are fixed.
"""

from scheduling.check import violations
from scheduling.fcfs import first_come_first_served
from scheduling.gaps import compact, idle_gaps
from scheduling.greedy import per_slot_matching
from scheduling.rematch import Replacement, rematch
from scheduling.solve import schedule
from scheduling.types import InfeasibleError, Meeting, Pair, Participant, Problem, Result

__all__ = [
    "InfeasibleError", "Meeting", "Pair", "Participant", "Problem", "Replacement", "Result", "compact",
    "first_come_first_served", "idle_gaps", "per_slot_matching", "rematch", "schedule", "violations",
]
