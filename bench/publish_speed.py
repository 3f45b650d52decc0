"""Time a catalogue's targeted publication (定向发布) at scale, next to the same matches run one by one.

    python -m bench.publish_speed [--n 100000 | --scale-dir DIR] [--items 1000] [--top-n 50] [--batch 50]

A make_scale_data.py folder (generated into a temp dir unless --scale-dir is given) is imported into a fresh
SQLite database with the CLI (`chainmatch init`, `chainmatch import chainkg DIR -q`). In this process: one firm
becomes a chain leader, an operator principal and a chain are made, and --items needs (B1 and B2 queries of
../shared/bench/queries.jsonl: their text, their nodes and scope) are created as drafts in one catalogue in review.
The match index is built as the app builds it (IndexHolder.build()); then
  * the engine alone: matching.rank() of each need's query, one by one (what the job asks the engine);
  * the publication: catalogues.service.publish() (queues the job) and jobs.runner.run_once() (the job marks
    each need published with its first version, delivers it to its top-N firms, commits in batches).
Figures are printed; the target (publication <= 120 s) is reported, never enforced.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from app.background import job_registry
from app.catalogues import service as catalogues
from app.core.db import make_engine, make_sessionmaker
from app.jobs.runner import run_once
from app.match_index.holder import IndexHolder
from app.models import Catalogue, Chain, ChainNode, Enterprise, Job, Need, NeedNode, Opportunity, Principal
from app.needs.delivery import need_query
from bench.common.cli import REPO, require_cli
from matching import rank

DEFAULT_QUERIES = REPO.parent / "shared" / "bench" / "queries.jsonl"
TARGET_S = 120.0


def load_queries(path: Path, total: int) -> list[dict]:
    """total/2 B1 (product) and total/2 B2 (upstream) queries, evenly spaced, deterministic."""
    qs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    out: list[dict] = []
    for prefix, want in (("B1-", total - total // 2), ("B2-", total // 2)):
        pool = [q for q in qs if q["id"].startswith(prefix)]
        step = max(1, len(pool) // max(want, 1))
        picked = pool[::step][:want]
        while len(picked) < want:  # fewer queries than wanted: reuse them (each is still its own need)
            picked += pool[:want - len(picked)]
        out += picked
    return out


def prepare(url: str, queries: list[dict], top_n: int) -> tuple[int, int]:
    """Leader, operator, chain, catalogue in review with one draft need per query; returns (catalogue, operator)."""
    factory = make_sessionmaker(make_engine(url))
    with factory() as s:
        leader = s.scalar(select(Enterprise).order_by(Enterprise.id).limit(1))
        assert leader is not None
        leader.kind = "leader"
        operator = Principal(name="bench-operator", role="operator")
        chain = Chain(code="bench", name="基准链")
        s.add_all([operator, chain])
        s.flush()
        cat = Catalogue(chain_id=chain.id, period="2026Q4", title="基准目录", status="in_review", top_n=top_n)
        s.add(cat)
        s.flush()
        names = {n for q in queries for n in q.get("nodes", [])}
        node_ids = {name: id_ for name, id_ in s.execute(
            select(ChainNode.name, ChainNode.id).where(ChainNode.name.in_(names)))}
        needs = []
        for q in queries:
            need = Need(poster_org_id=leader.id, catalogue_id=cat.id, title=q["text"][:200], description=q["text"],
                        kind="procurement" if q["kind"] == "product" else "cooperation", scope=q["scope"],
                        status="draft", version=1, required_certifications=[])
            s.add(need)
            needs.append((need, q))
        s.flush()
        for need, q in needs:
            for name in dict.fromkeys(q.get("nodes", [])):
                if name in node_ids:
                    s.add(NeedNode(need_id=need.id, node_id=node_ids[name]))
        s.commit()
        return cat.id, operator.id


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--scale-dir", type=Path)
    ap.add_argument("--items", type=int, default=1000)
    ap.add_argument("--top-n", type=int, default=50)
    ap.add_argument("--batch", type=int, default=50)
    ap.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="publish-speed-"))
    try:
        data = args.scale_dir
        if data is None:
            data = tmp / "data"
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "bench.make_scale_data", "--n", str(args.n),
                            "--out", str(data)], check=True, capture_output=True, cwd=REPO)
            print(f"generated {args.n:,} enterprises in {time.perf_counter() - t:.1f} s")
        url = f"sqlite:///{tmp / 'bench.db'}"
        env = {**os.environ, "CHAINMATCH_DATABASE_URL": url}
        t = time.perf_counter()
        cli = require_cli()
        subprocess.run([cli, "init"], env=env, check=True, capture_output=True)
        subprocess.run([cli, "import", "chainkg", str(data), "-q"], env=env, check=True, capture_output=True)
        print(f"imported {data} into SQLite in {time.perf_counter() - t:.1f} s")
        queries = load_queries(args.queries, args.items)
        catalogue_id, operator_id = prepare(url, queries, args.top_n)
        factory = make_sessionmaker(make_engine(url))
        holder = IndexHolder(factory)
        t = time.perf_counter()
        holder.build()
        print(f"index built in {time.perf_counter() - t:.1f} s: {holder.status()}")

        # The engine alone, one query after the other, on the very queries the job will send.
        with factory() as s:
            needs = list(s.scalars(select(Need).where(Need.catalogue_id == catalogue_id).order_by(Need.id)))
            matches = [need_query(s, n, limit=args.top_n) for n in needs]
        assert holder.index is not None
        t = time.perf_counter()
        found = sum(len(rank(holder.index, q)) for q in matches)
        engine_s = time.perf_counter() - t

        with factory() as s:
            operator = s.get(Principal, operator_id)
            assert operator is not None
            _, job = catalogues.publish(session=s, catalogue_id=catalogue_id, principal=operator)
            s.commit()
            job_id = job.id
        t = time.perf_counter()
        run_once(factory, job_registry(), index=holder, batch_size=args.batch)
        publish_s = time.perf_counter() - t
        with factory() as s:
            done = s.get(Job, job_id)
            assert done is not None
            delivered = s.scalar(select(func.count()).select_from(Opportunity)) or 0
            published = s.scalar(select(func.count()).select_from(Need).where(Need.status == "published")) or 0
        n = len(matches)
        print(f"\n{'':<34} {'items':>6} {'seconds':>8} {'items/s':>8} {'ms/item':>8}")
        print(f"{'engine only (matching.rank)':<34} {n:>6} {engine_s:>8.2f} {n / engine_s:>8.1f} "
              f"{1000 * engine_s / n:>8.2f}   {found:,} results")
        print(f"{'publication job (run_once)':<34} {n:>6} {publish_s:>8.2f} {n / publish_s:>8.1f} "
              f"{1000 * publish_s / n:>8.2f}   {delivered:,} opportunities, {published:,} needs published")
        summary = {k: v for k, v in done.result.items() if k != "errors"}
        print(f"\njob {job_id}: status={done.status} done={done.done}/{done.total} attempts={done.attempts} "
              f"result={summary} errors={len(done.result.get('errors', []))}")
        verdict = "met" if publish_s <= TARGET_S else "MISSED"
        print(f"target: publication <= {TARGET_S:.0f} s: {verdict} ({publish_s:.1f} s); "
              f"overhead over the engine alone: {publish_s / engine_s:.2f}x")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
