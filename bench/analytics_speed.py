"""Chain analytics speed: every chain's node table, 配套率 and 短板 list for a region, next to loading the graph.

    python -m bench.analytics_speed [--n 100000 | --scale-dir DIR | --data ../shared/data/chainkg]
                                    [--chains 40] [--regions 山东省,山东省/济南市] [--min-tiers none,provincial]
                                    [--seed 7]

Data: a make_scale_data.py folder (generated into a temp dir for --n unless --scale-dir is given), or any chainkg
folder with --data. The chainkg files hold no region, tier or firm kind, so those are drawn here, seeded and
fixed per firm code: a province from PROVINCES (山东省 ~10%) and one of its cities, a tier (none 70%,
innovative 18%, provincial 9%, little_giant 3%) and kind leader for 1% of firms. Every link is "imported" with its
file share (0.001 = no figure).

Chains: the two demo chains (app/demo_data/demo.json: root, depth, extra nodes) and then, until --chains, the
chain_members(depth=2) of the nodes with the most inputs, skipping roots already inside an earlier chain.

Timed in one process, one after another: reading the folder and building the ChainGraph (the reference: "loading
the same graph"), building the supply table, then for each region and minimum tier every chain's chain_analysis
(node table, 配套率, 短板 list; structure included) — the total, and per chain p50 / p95 / max. Targets (≤ 10 s
for all chains of a region, ≤ 300 ms for one chain's page) are printed, never enforced. CPU seconds are printed
next to wall seconds because the machine is shared: the wall figures carry other people's load.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import statistics
import tempfile
import time
import zlib
from pathlib import Path

from bench.common.cli import REPO
from bench.common.stats import pct
from bench.make_scale_data import DEFAULT_DATA, generate
from graph import ChainGraph, NodeSpec, chain_members, edges_from_relations
from graph.analytics import chain_analysis
from graph.chainkg import read_chainkg
from graph.supply import supply_table

DEMO = REPO / "app" / "demo_data" / "demo.json"
TARGET_ALL_S, TARGET_ONE_MS = 10.0, 300.0
# (province, weight, cities): a rough spread of firms; 山东省 holds about a tenth
PROVINCES = [
    ("山东省", 10, ["济南市", "青岛市", "淄博市", "烟台市", "潍坊市", "济宁市", "临沂市", "威海市"]),
    ("广东省", 16, ["广州市", "深圳市", "东莞市", "佛山市"]),
    ("江苏省", 14, ["南京市", "苏州市", "无锡市", "常州市"]),
    ("浙江省", 13, ["杭州市", "宁波市", "温州市"]),
    ("上海市", 8, ["浦东新区", "闵行区"]),
    ("北京市", 7, ["海淀区", "朝阳区"]),
    ("四川省", 5, ["成都市", "绵阳市"]),
    ("湖北省", 5, ["武汉市", "襄阳市"]),
    ("安徽省", 5, ["合肥市", "芜湖市"]),
    ("福建省", 5, ["福州市", "厦门市"]),
    ("河南省", 4, ["郑州市", "洛阳市"]),
    ("湖南省", 4, ["长沙市", "株洲市"]),
    ("辽宁省", 4, ["沈阳市", "大连市"]),
]
TIER_WEIGHTS = (("none", 70), ("innovative", 18), ("provincial", 9), ("little_giant", 3))
LEADER_SHARE = 0.01


def firm_profile(code: str, seed: int) -> tuple[str, str, str]:
    """(region, tier, kind) drawn from the firm's code, so every run gives a firm the same profile."""
    rng = random.Random(zlib.crc32(code.encode()) ^ seed)
    province, _, cities = rng.choices(PROVINCES, weights=[p[1] for p in PROVINCES])[0]
    tier = rng.choices([t for t, _ in TIER_WEIGHTS], weights=[w for _, w in TIER_WEIGHTS])[0]
    kind = "leader" if rng.random() < LEADER_SHARE else "sme"
    return f"{province}/{rng.choice(cities)}", tier, kind


def pick_chains(G: ChainGraph, want: int) -> list[tuple[str, list[str]]]:
    chains: list[tuple[str, list[str]]] = []
    for spec in json.loads(DEMO.read_text(encoding="utf-8"))["chains"]:
        names = chain_members(G, spec["root"], spec["depth"]) | {n for n in spec["extra_nodes"] if n in G}
        chains.append((spec["name"], sorted(names)))
    covered = {n for _, names in chains for n in names}
    n_inputs = [len(G.inputs(i)) for i in range(G.n_nodes)]
    for i in sorted(range(G.n_nodes), key=lambda i: (-n_inputs[i], G.names_[i])):
        if len(chains) >= want:
            break
        root = G.names_[i]
        if root in covered:
            continue
        names = sorted(chain_members(G, root, 2))
        chains.append((root, names))
        covered.update(names)
    return chains[:want]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--n", type=int, default=100_000, help="firms to generate (default: %(default)s)")
    src.add_argument("--scale-dir", type=Path, help="an existing make_scale_data.py folder")
    src.add_argument("--data", type=Path, help=f"any chainkg folder, used as it is (e.g. {DEFAULT_DATA})")
    ap.add_argument("--chains", type=int, default=40)
    ap.add_argument("--regions", default="山东省,山东省/济南市")
    ap.add_argument("--min-tiers", default="none,provincial", help="one pass per region and minimum tier")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)

    tmp = None
    folder = args.data or args.scale_dir
    if folder is None:
        tmp = tempfile.TemporaryDirectory(prefix="analytics-scale-")
        folder = Path(tmp.name)
        t0 = time.perf_counter()
        generate(DEFAULT_DATA, folder, args.n, args.seed)
        print(f"generated {args.n:,} firms in {time.perf_counter() - t0:.1f} s")

    t0, c0 = time.perf_counter(), time.process_time()
    kg = read_chainkg(folder)
    t_read = time.perf_counter() - t0
    G = ChainGraph.build([NodeSpec(n) for n in kg.product_names()], edges_from_relations(kg.relations))
    t_graph, c_graph = time.perf_counter() - t0, time.process_time() - c0

    firms = [(c.code, *firm_profile(c.code, args.seed)) for c in kg.companies]
    links = [(cp.company_code, cp.product, cp.revenue_share, "imported") for cp in kg.company_products]
    t0, c0 = time.perf_counter(), time.process_time()
    table = supply_table(G, firms, links)
    t_table, c_table = time.perf_counter() - t0, time.process_time() - c0
    chains = pick_chains(G, args.chains)
    n_leaders = int(table.leader_.sum())
    n_firms, n_links = len(firms), len(links)
    # the rows are done with once the table is built (as in the app); a full collection over a million row
    # objects would otherwise land inside one chain's timing and measure the bench, not the analytics
    del kg, firms, links
    gc.collect()
    print(f"load average at start: {', '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    print(f"data {folder}: {n_firms:,} firms ({n_leaders:,} leaders), {n_links:,} links, "
          f"{G.n_nodes:,} nodes, {G.inputs_.nnz:,} input edges")
    print(f"load graph (read folder + ChainGraph.build): {t_graph:.2f} s (read {t_read:.2f} s), CPU {c_graph:.2f} s")
    print(f"supply table (supply_table, {table.makers_.nnz:,} maker pairs): {t_table:.2f} s, CPU {c_table:.2f} s")
    sizes = [len(names) for _, names in chains]
    print(f"chains: {len(chains)}, nodes per chain min / median / max {min(sizes)} / "
          f"{int(statistics.median(sizes))} / {max(sizes)}")

    passes = [(r, t) for r in args.regions.split(",") if r for t in args.min_tiers.split(",") if t]
    for region, min_tier in passes:
        times: list[float] = []
        cpu: list[float] = []
        rates: list[float] = []
        weak = nowhere = 0
        slowest = ("", 0.0, 0)
        t_all, c_all = time.perf_counter(), time.process_time()
        for name, names in chains:
            t0, c0 = time.perf_counter(), time.process_time()
            page = chain_analysis(G, table, names, region=region, min_tier=min_tier)
            dt = time.perf_counter() - t0
            times.append(dt)
            cpu.append(time.process_time() - c0)
            if dt > slowest[1]:
                slowest = (name, dt, len(names))
            if page.supply.rate.value is not None:
                rates.append(float(page.supply.rate.value))
            weak += len(page.weak)
            nowhere += sum(1 for w in page.weak if {e.code: e.value for e in w.evidence}.get("outside_suppliers") == 0
                           and w.evidence[0].code == "no_local_supplier")
        total, c_total = time.perf_counter() - t_all, time.process_time() - c_all
        ms, cms = [t * 1000 for t in times], [t * 1000 for t in cpu]
        print(f"\nregion {region}, min tier {min_tier}: all {len(chains)} chains {total:.2f} s "
              f"(target ≤ {TARGET_ALL_S:.0f} s: {'met' if total <= TARGET_ALL_S else 'missed'}); "
              f"{total / t_graph:.2f} × loading the graph; CPU {c_total:.2f} s")
        print(f"  one chain's page: p50 {pct(ms, 50):.1f} ms, p95 {pct(ms, 95):.1f} ms, max {max(ms):.1f} ms "
              f"({slowest[0]}, {slowest[2]} nodes) (target ≤ {TARGET_ONE_MS:.0f} ms: "
              f"{'met' if max(ms) <= TARGET_ONE_MS else 'missed'}); CPU p50 {pct(cms, 50):.1f} ms, "
              f"p95 {pct(cms, 95):.1f} ms, max {max(cms):.1f} ms")
        if rates:
            print(f"  配套率 over {len(rates)} chains: mean {statistics.mean(rates):.3f}, min {min(rates):.3f}, "
                  f"max {max(rates):.3f}; 短板 listed: {weak} ({nowhere} with no maker of the tier anywhere)")
    print(f"\npeak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
