"""Chain analytics through the app: the per-worker snapshot loaded from the database, then every chain's page as
the API serves it (service + firm references + JSON), next to loading the same graph from the same database.

    python bench/analytics_app_speed.py [--n 100000 | --scale-dir DIR] [--chains 40] [--region 山东省]

Data: a make_scale_data.py folder (generated for --n unless --scale-dir is given), imported with
`import_chainkg` into a fresh SQLite file; regions, tiers and leaders are drawn per firm code as in
bench/analytics_speed.py, and the same 40 chains are stored as chains. Timed in one process, one after another:
  reference   load_graph_parts + ChainGraph.build from the database (what any worker pays to hold the graph)
  cold        SnapshotCache.get on an empty cache: graph + every firm and node-linked capability + supply table
  warm        SnapshotCache.get on a fresh copy past its age (one stamp query; within the age, not even that)
  pages       service.chain_page for every chain (weak_limit 50), serialised with model_dump_json, with the
              default analytics_max_age_seconds: total, and per chain p50 / p95 / max, wall and CPU
  pages again the same, now answered from the copy's stored analyses
  overview    service.overview (every chain's rate and 短板 counts at once), after the pages and on a fresh copy
Targets (≤ 10 s for all chains, ≤ 300 ms for one chain's page) are printed, never enforced.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, select, update

from app.analytics import service
from app.analytics.snapshot import SnapshotCache
from app.core.config import Settings
from app.core.db import make_engine, make_sessionmaker
from app.core.migrations import upgrade
from app.imports.chainkg import import_chainkg
from app.match_index.snapshot import load_graph_parts
from app.models import Chain, ChainMember, ChainNode, Enterprise, Principal
from bench.analytics_speed import TARGET_ALL_S, TARGET_ONE_MS, firm_profile, pick_chains
from bench.common.stats import pct
from bench.make_scale_data import DEFAULT_DATA, generate
from graph import ChainGraph
from graph.chainkg import read_chainkg


def seed(factory, folder: Path, n_chains: int, seed_: int) -> int:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    with factory() as session:
        import_chainkg(session, read_chainkg(folder))
        session.commit()
        rows = []
        for id_, code in session.execute(select(Enterprise.id, Enterprise.code)).all():
            region, tier, kind = firm_profile(code, seed_)
            province, city = region.split("/")
            rows.append({"id": id_, "province": province, "city": city, "tier": tier, "kind": kind})
        session.execute(update(Enterprise), rows)
        session.commit()
        nodes, edges = load_graph_parts(session)
        graph = ChainGraph.build(nodes, edges)
        ids = dict(session.execute(select(ChainNode.name, ChainNode.id)).all())
        for k, (name, members) in enumerate(pick_chains(graph, n_chains)):
            chain = Chain(code=f"c{k}", name=f"{name}链{k}", description="", root_node_id=ids.get(name))
            session.add(chain)
            session.flush()
            session.execute(insert(ChainMember), [{"chain_id": chain.id, "node_id": ids[m]} for m in members])
        session.commit()
    print(f"seeded in {time.perf_counter() - t0:.1f} s")
    return len(rows)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--n", type=int, default=100_000)
    src.add_argument("--scale-dir", type=Path)
    ap.add_argument("--chains", type=int, default=40)
    ap.add_argument("--region", default="山东省")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="analytics-app-") as tmp_name:
        tmp = Path(tmp_name)
        folder = args.scale_dir
        if folder is None:
            folder = tmp / "data"
            generate(DEFAULT_DATA, folder, args.n, args.seed)
        url = f"sqlite:///{tmp / 'analytics.db'}"
        upgrade(url)
        engine = make_engine(url)
        factory = make_sessionmaker(engine)
        n_firms = seed(factory, folder, args.chains, args.seed)
        run(factory, args.region, n_firms, "sqlite")
        engine.dispose()


def run(factory, region: str, n_firms: int, backend: str) -> None:  # type: ignore[no-untyped-def]
    admin = Principal(id=0, name="bench", role="admin", regions=[], chains=[])
    print(f"load average at start: {', '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} cores); "
          f"{backend}, {n_firms:,} firms")
    with factory() as session:
        t0, c0 = time.perf_counter(), time.process_time()
        nodes, edges = load_graph_parts(session)
        ChainGraph.build(nodes, edges)
        ref, ref_cpu = time.perf_counter() - t0, time.process_time() - c0
        del nodes, edges
        cache = SnapshotCache(max_age_seconds=0)
        t0, c0 = time.perf_counter(), time.process_time()
        snap = cache.get(session)
        cold, cold_cpu = time.perf_counter() - t0, time.process_time() - c0
        t0 = time.perf_counter()
        cache.get(session)
        warm = time.perf_counter() - t0
        cache.max_age = Settings().analytics_max_age_seconds
        print(f"reference, load the graph from the database: {ref:.2f} s (CPU {ref_cpu:.2f} s)")
        print(f"snapshot cold (graph + {snap.table.n_firms:,} firms + {snap.table.products_.nnz:,} links + table): "
              f"{cold:.2f} s (CPU {cold_cpu:.2f} s) = {cold / ref:.2f} × the reference")
        print(f"snapshot warm (stamp query only): {warm * 1000:.1f} ms")
        chains = [c.code for c in session.scalars(select(Chain).order_by(Chain.id))]
        for label in ("first view on this copy (computed)", "viewed again (the copy's stored analysis)"):
            pages(session, cache, admin, chains, region, label)
        t0, c0 = time.perf_counter(), time.process_time()
        service.overview(session=session, cache=cache, principal=admin, region=region, min_tier="none")
        print(f"  overview of all chains after the pages: {time.perf_counter() - t0:.2f} s "
              f"(CPU {time.process_time() - c0:.2f} s)")
        fresh = SnapshotCache(max_age_seconds=3600)
        fresh._install(snap.__class__(snap.graph, snap.table, snap.stamp, snap.as_of, snap.load_seconds))
        t0, c0 = time.perf_counter(), time.process_time()
        service.overview(session=session, cache=fresh, principal=admin, region=region, min_tier="none")
        print(f"  overview of all chains on a copy with nothing computed: {time.perf_counter() - t0:.2f} s "
              f"(CPU {time.process_time() - c0:.2f} s)")


def pages(session, cache, admin, chains: list[str], region: str, label: str) -> None:  # type: ignore[no-untyped-def]
    times, cpus, sizes = [], [], []
    t_all, c_all = time.perf_counter(), time.process_time()
    for code in chains:
        t0, c0 = time.perf_counter(), time.process_time()
        page = service.chain_page(session=session, cache=cache, principal=admin, chain=code, region=region,
                                  min_tier="none", weak_limit=50)
        body = page.model_dump_json()
        times.append((time.perf_counter() - t0) * 1000)
        cpus.append((time.process_time() - c0) * 1000)
        sizes.append(len(body))
    total, total_cpu = time.perf_counter() - t_all, time.process_time() - c_all
    print(f"\nregion {region}, {label}: all {len(chains)} chain pages {total:.2f} s (CPU {total_cpu:.2f} s; "
          f"target ≤ {TARGET_ALL_S:.0f} s: {'met' if total <= TARGET_ALL_S else 'missed'})")
    print(f"  one page: p50 {pct(times, 50):.0f} ms, p95 {pct(times, 95):.0f} ms, max {max(times):.0f} ms "
          f"(target ≤ {TARGET_ONE_MS:.0f} ms: {'met' if max(times) <= TARGET_ONE_MS else 'missed'}); CPU p50 "
          f"{pct(cpus, 50):.0f} ms, p95 {pct(cpus, 95):.0f} ms, max {max(cpus):.0f} ms; JSON median "
          f"{statistics.median(sizes) / 1024:.0f} KB, max {max(sizes) / 1024:.0f} KB")

if __name__ == "__main__":
    main()
