"""Seeding of bench/load.py: after `chainmatch import chainkg`, make the data a mixed load needs, through the services.

Run as a child process with the app on its path:  python bench/_load_seed.py URL LEADERS NEEDS_PER_LEADER SMES
Prints one JSON line: tokens (operator, leaders, SMEs) and the texts, nodes and need ids the load draws from.

What it does, in the order a real quarter would: spread regions and tiers over the imported firms (the chainkg
data has neither), make some firms chain leaders (an operator's profile edit), let each leader post needs written
like real ones (../shared/bench/realistic_needs.jsonl, on chain nodes that exist) and publish them, so each is
delivered to the 50 best-fitting firms; then the SMEs that received the most become the load's SME users.
"""

from __future__ import annotations

import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NEEDS_FILE = REPO.parent / "shared" / "bench" / "realistic_needs.jsonl"
PROVINCES = {"山东省": ["济南市", "青岛市", "烟台市", "潍坊市"], "江苏省": ["南京市", "苏州市"],
             "广东省": ["深圳市", "广州市"], "浙江省": ["杭州市", "宁波市"]}
KINDS = ("procurement", "cooperation", "technology")


def spread_regions_and_tiers(session) -> None:  # type: ignore[no-untyped-def]
    """Deterministic by id: ~70 % of firms get no tier, 20 % innovative, 8 % provincial, 2 % little giants."""
    from sqlalchemy import case, update

    from app.models import Enterprise

    cities = [(p, c) for p, cs in PROVINCES.items() for c in cs]
    k = Enterprise.id % 100
    session.execute(update(Enterprise).values(
        tier=case((k < 70, "none"), (k < 90, "innovative"), (k < 98, "provincial"), else_="little_giant"),
        province=case(*[(Enterprise.id % len(cities) == i, p) for i, (p, _) in enumerate(cities)]),
        city=case(*[(Enterprise.id % len(cities) == i, c) for i, (_, c) in enumerate(cities)])))


def realistic_needs(session) -> list[dict]:  # type: ignore[no-untyped-def]
    """realistic_needs.jsonl entries whose target nodes all exist here, as NeedCreate bodies (without deadline)."""
    from sqlalchemy import select

    from app.models import ChainNode

    rows = [json.loads(line) for line in NEEDS_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    names = {t for r in rows for t in r["targets"]}
    known = set(session.scalars(select(ChainNode.name).where(ChainNode.name.in_(names))))
    out = []
    for i, r in enumerate(rows):
        nodes = [t for t in r["targets"] if t in known]
        if nodes:
            title = r["text"].split("：")[0].split("\n")[0].strip("【】")[:60] or nodes[0]
            out.append({"kind": KINDS[i % 3], "title": title, "description": r["text"][:5000], "nodes": nodes})
    return out


def seed(url: str, n_leaders: int, needs_per_leader: int, n_smes: int) -> dict:
    from sqlalchemy import func, select

    from app.auth.tokens import create_token
    from app.core.db import make_engine, make_sessionmaker
    from app.enterprises import service as enterprises
    from app.enterprises.schemas import EnterpriseWrite
    from app.match_index.holder import IndexHolder
    from app.models import Capability, Enterprise, Opportunity, Principal
    from app.needs import service as needs
    from app.needs.schemas import NeedCreate

    rng = random.Random(11)
    factory = make_sessionmaker(make_engine(url))
    tokens: dict[str, list] = {"leaders": [], "smes": []}
    with factory() as session, session.begin():
        spread_regions_and_tiers(session)
        token, rec = create_token(session, role="operator", name="load operator")
        tokens["operator"] = token
        operator = session.get(Principal, rec.principal_id)
        # Leaders: firms with many products, spread over the id range.
        rich = list(session.scalars(select(Capability.enterprise_id).group_by(Capability.enterprise_id)
                                    .having(func.count() >= 6).order_by(Capability.enterprise_id)))
        leader_ids = [rich[i * len(rich) // n_leaders] for i in range(n_leaders)]
        for ent in session.scalars(select(Enterprise).where(Enterprise.id.in_(leader_ids))):
            enterprises.update(session=session, enterprise=ent, data=EnterpriseWrite(kind="leader"), principal=operator)
            token, rec = create_token(session, role="leader", name=f"load leader {ent.code}", org_code=ent.code)
            tokens["leaders"].append({"token": token, "code": ent.code, "principal_id": rec.principal_id})
        bodies = realistic_needs(session)
    holder = IndexHolder(factory)
    holder.build()
    need_ids: list[int] = []
    deadline = date.today() + timedelta(days=90)
    with factory() as session, session.begin():
        for leader in tokens["leaders"]:
            poster = session.get(Principal, leader["principal_id"])
            for body in rng.sample(bodies, min(needs_per_leader, len(bodies))):
                need = needs.create(session=session, principal=poster,
                                    data=NeedCreate.model_validate({**body, "deadline": deadline}))
                needs.publish(session=session, holder=holder, need=need, principal=poster, top_n=50)
                need_ids.append(need.id)
    with factory() as session, session.begin():
        busiest = session.execute(
            select(Enterprise.code).join(Opportunity, Opportunity.enterprise_id == Enterprise.id)
            .where(Enterprise.kind == "sme").group_by(Enterprise.code)
            .order_by(func.count().desc(), Enterprise.code).limit(n_smes)).scalars().all()
        for code in busiest:
            token, _ = create_token(session, role="sme", name=f"load sme {code}", org_code=code)
            tokens["smes"].append({"token": token, "code": code})
        names = list(session.scalars(select(Enterprise.name).order_by(Enterprise.id).limit(2000)))
        products = list(session.scalars(select(Capability.product).group_by(Capability.product)
                                        .order_by(func.count().desc()).limit(300)))
    analyze(factory)
    # Firm names are "<real short name><number>": people search for the real name part.
    firm_words = sorted({n.rstrip("0123456789") for n in names if len(n.rstrip("0123456789")) >= 2})
    return {"tokens": tokens, "need_ids": need_ids, "need_bodies": bodies, "products": products,
            "firm_words": firm_words[:500], "provinces": list(PROVINCES)}


def analyze(factory) -> None:  # type: ignore[no-untyped-def]
    """On PostgreSQL, gather the planner's statistics of what the seeding wrote (opportunities, notifications,
    needs, tokens...), as autovacuum would on a server where it runs: on the shared benchmark server it is off, and
    with no statistics the SME feed's count and page walked every published need (~1 ms of the database's CPU each,
    against ~0.05 ms through the opportunities' (enterprise_id, delivered_at) index once analyzed)."""
    from sqlalchemy import text

    with factory() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("ANALYZE"))
            session.commit()


if __name__ == "__main__":
    url, leaders, per_leader, smes = sys.argv[1], *map(int, sys.argv[2:5])
    print(json.dumps(seed(url, leaders, per_leader, smes), ensure_ascii=False))
