"""Event scheduling benchmark: a 500-participant matchmaking event built from the shared data, scheduled by the
method of scheduling/ (per-slot maximum-weight matching, then CP-SAT) and, in the same run, first-come-first-served.

    .venv/bin/python bench/event_schedule.py [--data ../shared/data/chainkg] [--seconds 40] [--seed 1]

The event: 150 chain leaders (listed firms whose products have upstream inputs in the chain graph) and the 350
firms the engine ranks highest as their suppliers (the SMEs), 20 slots, 50 tables (1,000 cells, so tables bind),
each participant available in each slot with probability 0.7, a cap of 12 meetings. Pairs come from the engine
(the same rank() the service calls): each leader's upstream ranking kept to the participants, 匹配度 as the fit.
About 3,000 pairs: the best 1,800 as accepted requests (a third must-meet, priority 12, the rest 10), 300 one-sided
must-meets (3) and the rest strong suggestions (1); weight = priority × 匹配度, as the service weighs them.
First-come-first-served takes the pairs in request order (shuffled with the seed), each the first slot and table
both sides have free. Every schedule is checked by scheduling.check, code apart from the scheduler.
Walk-in re-matching is timed as the service does it: the engine ranks for each counterpart left alone by a no-show,
then a maximum-weight bipartite matching picks the replacements.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
from bench.quality_data import load  # noqa: E402
from matching import MatchIndex, MatchQuery, rank  # noqa: E402
from scheduling import (  # noqa: E402
    Meeting,
    Pair,
    Participant,
    Problem,
    first_come_first_served,
    rematch,
    schedule,
    violations,
)
from scheduling.gaps import mean_idle_gap  # noqa: E402
from scheduling.solve import total_weight  # noqa: E402

SLOTS, TABLES, AVAILABILITY, CAP = 20, 50, 0.7, 12
LEADERS, SMES, PAIRS, ACCEPTED, MUSTS = 150, 350, 3000, 1800, 300


def build_event(data: Path, seed: int) -> tuple[Problem, set[tuple[int, int]], dict[int, MatchQuery], MatchIndex]:
    kg, graph, records = load(data)
    index = MatchIndex().fit(graph, records)
    rng = random.Random(seed)
    by_id = {r.id: r for r in records}
    # Leaders: firms with a product that has upstream inputs in the graph, largest product lists first.
    candidates = []
    for r in records:
        nodes = tuple(p for p, share in r.products if share > 0 and graph.lookup(p) is not None)
        if nodes:
            candidates.append((len(r.products), r.id, nodes[:5]))
    candidates.sort(reverse=True)
    pool = candidates[:LEADERS * 8]
    rng.shuffle(pool)
    queries: dict[int, MatchQuery] = {}
    ranked: dict[int, list[tuple[int, int]]] = {}
    for _, rid, nodes in pool:
        if len(queries) == LEADERS:
            break
        q = MatchQuery(nodes=nodes, scope="upstream", exclude=frozenset({rid}), limit=400)
        try:
            res = rank(index, q)
        except Exception:  # noqa: BLE001 - a firm the engine cannot read is not invited
            continue
        if len(res) >= 20:
            queries[rid] = q
            ranked[rid] = [(r.enterprise_id, r.match) for r in res]
    # SMEs: the firms most often ranked among the leaders' suppliers.
    votes: dict[int, float] = defaultdict(float)
    for res in ranked.values():
        for pos, (eid, _) in enumerate(res[:100]):
            if eid not in queries:
                votes[eid] += 1.0 / (1 + pos / 20)
    smes = [e for e, _ in sorted(votes.items(), key=lambda kv: -kv[1])[:SMES]]
    people = set(queries) | set(smes)
    # SMEs buy too: each one's own upstream ranking (its products' inputs) adds SME–SME and SME–leader pairs.
    for sid in smes:
        nodes = tuple(p for p, share in by_id[sid].products if share > 0 and graph.lookup(p) is not None)[:5]
        if nodes:
            try:
                res = rank(index, MatchQuery(nodes=nodes, scope="upstream", exclude=frozenset({sid}), limit=400))
            except Exception:  # noqa: BLE001 - nothing the engine can read for this firm
                continue
            ranked[sid] = [(r.enterprise_id, r.match) for r in res]
            queries.setdefault(sid, MatchQuery(nodes=nodes, scope="upstream", exclude=frozenset({sid}), limit=400))
    fits: dict[tuple[int, int], int] = {}
    for rid, res in ranked.items():
        for eid, match in res:
            if eid in people and eid != rid:
                key = (min(rid, eid), max(rid, eid))
                fits[key] = max(fits.get(key, 0), match)
    best = sorted(fits.items(), key=lambda kv: (-kv[1], kv[0]))[:PAIRS]
    rng.shuffle(best)  # request order: the order firms happened to ask in
    pairs, accepted = [], set()
    for i, (key, match) in enumerate(sorted(best, key=lambda kv: -kv[1])):
        if i < ACCEPTED:
            priority = 12 if i % 3 == 0 else 10
            accepted.add(key)
        elif i < ACCEPTED + MUSTS:
            priority = 3
        else:
            priority = 1
        pairs.append((key, priority * max(10, match)))
    order = {key: n for n, (key, _) in enumerate(best)}
    pairs.sort(key=lambda kv: order[kv[0]])
    participants = {p: Participant(p, frozenset(s for s in range(SLOTS) if rng.random() < AVAILABILITY), CAP)
                    for p in people}
    print(f"event: {LEADERS} leaders, {len(smes)} SMEs from {len(by_id):,} firms; {len(pairs):,} pairs "
          f"({len(accepted):,} accepted); {SLOTS} slots × {TABLES} tables")
    return (Problem(SLOTS, TABLES, participants, tuple(Pair(a, b, float(w)) for (a, b), w in pairs)),
            accepted, queries, index)


def report(name: str, problem: Problem, meetings: list[Meeting], accepted: set[tuple[int, int]], seconds: float,
           bound: float) -> dict[str, float]:
    weight = total_weight(problem, meetings)
    met = {p for m in meetings for p in (m.a, m.b)}
    row = {"meetings": len(meetings), "accepted placed": sum(1 for m in meetings if m.key in accepted),
           "total weight": weight, "zero meetings": len(set(problem.participants) - met),
           "mean idle gap (slots)": mean_idle_gap(problem, meetings), "solve s": seconds,
           "gap to bound %": 100 * (bound - weight) / bound, "violations": len(violations(problem, meetings)),
           "full slots": sum(1 for n in Counter(m.slot for m in meetings).values() if n >= problem.tables)}
    print(f"  {name:<28}" + "  ".join(f"{k} {v:,.3f}" if isinstance(v, float) else f"{k} {v:,}"
                                        for k, v in row.items()))
    return row


def walk_in(problem: Problem, meetings: list[Meeting], queries: dict[int, MatchQuery], index: MatchIndex,
            rng: random.Random, trials: int = 20) -> list[float]:
    """Seconds per no-show: rank for each counterpart, then match counterparts with free participants."""
    times = []
    by_slot: dict[int, list[Meeting]] = defaultdict(list)
    for m in meetings:
        by_slot[m.slot].append(m)
    count: dict[int, int] = defaultdict(int)
    for m in meetings:
        count[m.a] += 1
        count[m.b] += 1
    met = {m.key for m in meetings}
    for _ in range(trials):
        slot = rng.randrange(problem.slots)
        absent = rng.choice([p for m in by_slot[slot] for p in (m.a, m.b)])
        started = time.perf_counter()
        counterparts = [m.b if m.a == absent else m.a for m in by_slot[slot] if absent in (m.a, m.b)]
        busy = {p for m in by_slot[slot] for p in (m.a, m.b)}
        free = [p for p, who in problem.participants.items()
                if p not in busy and slot in who.available and count[p] < who.cap]
        weights: dict[tuple[int, int], float] = {}
        free_set = set(free)
        for c in counterparts:
            q = queries.get(c) or MatchQuery(nodes=(), text=" ".join(
                p for p, _ in index.records_[c].products[:5]) if hasattr(index, "records_") else "", limit=400)
            try:
                results = rank(index, q) if (q.text or q.nodes) else []
            except Exception:  # noqa: BLE001 - nothing to rank for this counterpart
                results = []
            for r in results:
                key = (min(c, r.enterprise_id), max(c, r.enterprise_id))
                if r.enterprise_id in free_set and key not in met:
                    weights[key] = float(r.match)
        rematch(counterparts, free, weights)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "chainkg")
    ap.add_argument("--seconds", type=float, default=40.0)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    started = time.perf_counter()
    problem, accepted, queries, index = build_event(args.data, args.seed)
    print(f"built in {time.perf_counter() - started:.1f} s")
    t = time.perf_counter()
    fcfs = first_come_first_served(problem)
    fcfs_s = time.perf_counter() - t
    result = schedule(problem, seconds=args.seconds)
    print(f"scheduler: {result.status}; greedy start {result.greedy_weight:,.0f} in {result.stats['greedy_seconds']}"
          f" s; upper bound {result.bound:,.0f} (LP relaxation {result.stats['lp_bound']:,.0f})")
    report("first-come-first-served", problem, fcfs, accepted, fcfs_s, result.bound)
    paired = {p for pair in problem.pairs for p in (pair.a, pair.b)}
    print(f"  participants in no pair at all (cannot meet under any method): {len(problem.participants) - len(paired)}")
    report("matching/LP + CP-SAT", problem, result.meetings, accepted, result.seconds, result.bound)
    times = walk_in(problem, result.meetings, queries, index, random.Random(args.seed))
    print(f"walk-in re-matching over {len(times)} no-shows: median {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
