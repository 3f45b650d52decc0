"""The greedy start: slot by slot, a maximum-weight matching of the pairs that can still meet (Edmonds' blossom
algorithm, networkx.max_weight_matching), cut to the tables free in that slot. Only the heaviest few times as many
edges as there are tables enter each slot's graph: the blossom algorithm is cubic, and a pair far down the list would
not win a contested table anyway."""

from __future__ import annotations

import networkx as nx

from scheduling.board import Board
from scheduling.types import Meeting, Problem

EDGES_PER_TABLE = 6


def per_slot_matching(problem: Problem) -> list[Meeting]:
    board = Board(problem)
    weights = {p.key: p.weight for p in problem.pairs if p.weight > 0}
    ranked = sorted(weights.items(), key=lambda kv: -kv[1])
    for slot in range(problem.slots):
        room = problem.tables - len(board.cells[slot])
        if room <= 0:
            continue
        graph = nx.Graph()
        for (a, b), w in ranked:
            if board.fits(a, b, slot):
                graph.add_edge(a, b, weight=w)
                if graph.number_of_edges() >= EDGES_PER_TABLE * room:
                    break
        if graph.number_of_edges() == 0:
            continue
        chosen = sorted(nx.max_weight_matching(graph), key=lambda e: -weights[(min(e), max(e))])
        for a, b in chosen:
            table = board.free_table(slot)
            if table is None:
                break
            board.add(Meeting(min(a, b), max(a, b), slot, table))
    return board.meetings
