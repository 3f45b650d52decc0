"""Web page latency at 100,000 firms: the SME feed, a leader's ranked list (/needs/{id}) and an operator's
catalogue page, each next to /health in the same run, on the same server.

    python bench/pages_speed.py [--n 100000] [--requests 200] [--workers 1] [--cache DIR]

The generated firms (bench/make_scale_data.py) and the seeded SQLite database (bench/_load_seed.py: leaders,
published needs delivered to SMEs, tokens) are shared with bench/load.py through --cache. On a copy of it this
script adds three web users (a leader who posted needs, an SME that received the most, an operator) and one
published catalogue of 30 needs, logs them in through the login form, then requests the pages one after the
other with keep-alive, interleaved with /health. Figures are printed, never judged (target of issue #11:
p95 ≤ 150 ms for the three pages).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common.cli import find_cli, server_env
from bench.common.stats import pct
from bench.load import DEFAULT_CACHE, seeded_sqlite, serve, stop

PASSWORD = "bench-pages-password"


def add_web_users(url: str, seed: dict[str, Any]) -> dict[str, str]:
    """Web logins for a seeded leader, the SME that received the most and an operator; returns login by role."""
    from sqlalchemy import select

    from app.auth.web_sessions import create_user
    from app.core.db import make_engine, make_sessionmaker
    from app.models import Enterprise, Principal

    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        leader = session.get(Principal, seed["tokens"]["leaders"][0]["principal_id"])
        leader_code = session.scalar(select(Enterprise.code).where(Enterprise.id == leader.org_id))  # type: ignore[union-attr]
        made = {"leader": ("bench-leader", leader_code), "sme": ("bench-sme", seed["tokens"]["smes"][0]["code"]),
                "operator": ("bench-operator", None)}
        for role, (login, org) in made.items():
            if session.scalar(select(Principal.id).where(Principal.login == login)) is None:
                create_user(session, login=login, password=PASSWORD, role=role, name=login, org_code=org)
        session.commit()
    engine.dispose()
    return {role: login for role, (login, _) in made.items()}


def log_in(base: str, login: str) -> Any:
    import httpx

    client = httpx.Client(base_url=base, timeout=60)
    csrf = client.get("/login").cookies["cm_csrf"]
    done = client.post("/login", data={"login": login, "password": PASSWORD, "csrf": csrf})
    if done.status_code != 303:
        raise RuntimeError(f"login of {login} answered {done.status_code}")
    return client


def make_catalogue(base: str, seed: dict[str, Any], size: int = 30) -> int:
    """A published catalogue of ``size`` new needs (through the API, as an operator would build one)."""
    import httpx

    op = {"Authorization": f"Bearer {seed['tokens']['operator']}"}
    leader = {"Authorization": f"Bearer {seed['tokens']['leaders'][0]['token']}"}
    with httpx.Client(base_url=base, timeout=300) as c:
        roots = [n for b in seed["need_bodies"] for n in b.get("nodes") or []] + ["锂电池", *seed["products"][:20]]
        for root in roots:  # the first that names a node of the generated graph
            chain = c.post("/api/v1/chains", headers=op, json={"code": f"bench{int(time.time())}",
                                                               "name": f"页面测速链{int(time.time())}", "root": root})
            if chain.status_code == 201:
                break
        else:
            raise RuntimeError(f"no chain could be defined: {chain.status_code} {chain.text[:300]}")
        cat = c.post("/api/v1/catalogues", headers=op, json={"chain": chain.json()["code"], "period": "2026Q4",
                                                             "title": "页面测速目录"}).json()
        for i in range(size):
            b = seed["need_bodies"][i % len(seed["need_bodies"])]
            need = c.post("/api/v1/needs", headers=leader,
                          json={k: v for k, v in b.items() if k in ("kind", "title", "description", "nodes")})
            if need.status_code != 201:
                raise RuntimeError(f"need: {need.status_code} {need.text[:300]}")
            c.post(f"/api/v1/catalogues/{cat['id']}/items", headers=op, json={"need": need.json()["id"]})
        c.post(f"/api/v1/catalogues/{cat['id']}/submit", headers=op)
        job = c.post(f"/api/v1/catalogues/{cat['id']}/publish", headers=op).json()["job"]
        deadline = time.monotonic() + 600
        while c.get(f"/api/v1/jobs/{job['id']}", headers=op).json()["status"] not in ("done", "failed"):
            if time.monotonic() > deadline:
                raise RuntimeError("the catalogue's publication job did not finish in 10 minutes")
            time.sleep(0.5)
        return int(cat["id"])


def timed(client: Any, path: str) -> float:
    t = time.perf_counter()
    r = client.get(path)
    took = (time.perf_counter() - t) * 1000
    if r.status_code != 200:
        raise RuntimeError(f"{path} answered {r.status_code}")
    return took


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000, help="firms (default: %(default)s)")
    ap.add_argument("--requests", type=int, default=200, help="requests per page (default: %(default)s)")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    args = ap.parse_args(argv)
    cli = find_cli()
    if cli is None:
        print("chainmatch CLI not found next to this Python or in .venv/bin")
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="chainmatch-pages-"))
    args.cache.mkdir(parents=True, exist_ok=True)
    env = server_env(cookie_secure="false", dispatch_webhooks="false")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, "
          f"{args.n:,} firms, {args.requests} requests per page, {args.workers} worker(s)")
    seed, env = seeded_sqlite(cli, env, args.cache, args.n, tmp, "pages.db")
    logins = add_web_users(env["CHAINMATCH_DATABASE_URL"], seed)
    proc, base, startup, _ = serve(cli, env, args.workers, tmp / "server.log")
    try:
        catalogue = make_catalogue(base, seed)
        need_id = seed["need_ids"][0]
        pages = {"SME feed (/feed)": (logins["sme"], "/feed"),
                 f"ranked list (/needs/{need_id})": (logins["leader"], f"/needs/{need_id}"),
                 f"catalogue (/catalogues/{catalogue})": (logins["operator"], f"/catalogues/{catalogue}")}
        clients = {name: log_in(base, login) for name, (login, _) in pages.items()}
        import httpx

        health = httpx.Client(base_url=base, timeout=60)
        times: dict[str, list[float]] = {name: [] for name in pages} | {"/health": []}
        for name, (_, path) in pages.items():  # one warm-up each: templates compile, caches fill
            timed(clients[name], path)
        for _ in range(args.requests):
            for name, (_, path) in pages.items():
                times[name].append(timed(clients[name], path))
                times["/health"].append(timed(health, "/health"))
    finally:
        stop(proc)
    print(f"server start-up {startup:.1f} s (index built)\n")
    print(f"{'page':<36} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, xs in times.items():
        print(f"{name:<36} {pct(xs, 50):8.1f} {pct(xs, 95):8.1f} {max(xs):8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
