"""What the access policy costs: the needs list, the challenges list and a catalogue's items, per kind of caller.

    python -m bench.access_speed [--needs 20000] [--items 2000] [--database-url URL] [--repeat 7]

The demo chain data (app/demo_data/chainkg) is imported into a fresh database (SQLite in a temp dir unless
--database-url names an empty one); its firms get Shandong cities, one in eight becomes a chain leader, and --needs
needs (a third drafts, a fifth challenges, half filed in the catalogues of four chains) are written directly.
For each caller the services the routes call are timed (median of --repeat runs, after one warm-up) and their SQL
statements counted: needs.service.search (200 per page), challenges.service.search (200), catalogues.service.items
(one catalogue of --items needs). The reference is the admin, whose rules are all `true`: compare the ratios.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.catalogues import service as catalogues
from app.challenges import service as challenges
from app.core.db import make_engine, make_sessionmaker
from app.core.migrations import upgrade
from app.imports.chainkg import import_chainkg
from app.models import Catalogue, Chain, Challenge, Enterprise, Need, Principal
from app.needs import service as needs
from bench.common.cli import REPO
from graph.chainkg import read_chainkg

CITIES = ["济南市", "青岛市", "淄博市", "枣庄市", "东营市", "烟台市", "潍坊市", "济宁市", "泰安市", "威海市", "日照市",
          "临沂市", "德州市", "聊城市", "滨州市", "菏泽市"]
CHAINS = ["c0", "c1", "c2", "c3"]


def prepare(session: Session, n_needs: int, n_items: int) -> tuple[int, dict[str, Principal]]:
    import_chainkg(session, read_chainkg(REPO / "app" / "demo_data" / "chainkg"))
    firms = list(session.scalars(select(Enterprise).order_by(Enterprise.id)))
    for i, f in enumerate(firms):
        f.province, f.city = "山东省", CITIES[i % len(CITIES)]
        f.kind = "leader" if i % 8 == 0 else "sme"
    leaders = [f for f in firms if f.kind == "leader"]
    chains = [Chain(code=c, name=f"链{c}", description="") for c in CHAINS]
    session.add_all(chains)
    session.flush()
    cats = [Catalogue(chain_id=c.id, period="2026Q4", title=c.code, status="draft", top_n=50) for c in chains]
    session.add_all(cats)
    session.flush()
    rows = []
    for i in range(n_needs):
        status = "draft" if i % 3 == 0 else "published"
        cat = cats[0].id if i < n_items else (cats[i % 4].id if i % 2 else None)
        rows.append(Need(poster_org_id=leaders[i % len(leaders)].id, kind="technology" if i % 5 == 0 else "procurement",
                         title=f"需求{i}", description="", scope="node", status=status, version=1,
                         required_certifications=[], anonymous=i % 4 == 0, catalogue_id=cat,
                         delivery_region="", published_at=None if status == "draft" else firms[0].created_at))
    session.add_all(rows)
    session.flush()
    session.add_all([Challenge(need_id=n.id, mode="competitive", ip_terms="", max_winners=1)
                     for n in rows if n.kind == "technology"])
    callers = {
        "admin": Principal(name="admin", role="admin", regions=[], chains=[]),
        "operator": Principal(name="op", role="operator", regions=[], chains=[]),
        "op_region": Principal(name="op-r", role="operator", regions=["山东省/济南市"], chains=[]),
        "op_chain": Principal(name="op-c", role="operator", regions=[], chains=["c0"]),
        "op_both": Principal(name="op-rc", role="operator", regions=["山东省/济南市", "山东省/青岛市"], chains=["c0"]),
        "leader": Principal(name="leader", role="leader", org_id=leaders[0].id, regions=[], chains=[]),
        "sme": Principal(name="sme", role="sme", org_id=firms[1].id, regions=[], chains=[]),
    }
    session.add_all(callers.values())
    session.commit()
    return cats[0].id, callers


def measure(session: Session, call: Callable[[], object], repeat: int) -> tuple[float, int]:
    statements = [0]

    def count(*_: object) -> None:
        statements[0] += 1

    engine = session.get_bind()
    call()  # warm-up
    times = []
    for _ in range(repeat):
        session.expire_all()
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    event.listen(engine, "before_cursor_execute", count)
    session.expire_all()
    call()
    event.remove(engine, "before_cursor_execute", count)
    return statistics.median(times) * 1000, statements[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--needs", type=int, default=20_000)
    ap.add_argument("--items", type=int, default=2_000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--database-url")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/access.db"
        upgrade(url)
        factory = make_sessionmaker(make_engine(url))
        with factory() as session:
            started = time.perf_counter()
            cat_id, callers = prepare(session, args.needs, args.items)
            print(f"{url.split(':')[0]}: {args.needs} needs, catalogue of {args.items}, "
                  f"prepared in {time.perf_counter() - started:.1f} s")
            catalogue = session.get(Catalogue, cat_id)
            assert catalogue is not None
            routes: dict[str, Callable[[Principal], object]] = {
                "GET /needs": lambda p: needs.search(session=session, principal=p, kind=None, status=None, q=None,
                                                     limit=200, offset=0),
                "GET /challenges": lambda p: challenges.search(session=session, principal=p, mode=None,
                                                               status=None, limit=200, offset=0),
                "catalogue items": lambda p: catalogues.items(session, catalogue, p),
            }
            print(f"{'caller':10} " + " ".join(f"{r:>32}" for r in routes))
            base: dict[str, float] = {}
            for name, principal in callers.items():
                cells = []
                for route, call in routes.items():
                    ms, statements = measure(session, lambda c=call, p=principal: c(p), args.repeat)
                    base.setdefault(route, ms)
                    cells.append(f"{ms:8.1f} ms {ms / base[route]:5.2f}x {statements:3d} SQL")
                print(f"{name:10} " + " ".join(f"{c:>32}" for c in cells))


if __name__ == "__main__":
    main()
