"""Read the database into the plain records the matching engine takes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.chains.repository import ChainRepository
from app.models import Capability, ChainNode, Enterprise, Industry
from graph import NodeSpec
from matching import EnterpriseRecord


def load_graph_parts(session: Session) -> tuple[list[NodeSpec], list[tuple[str, str, str]]]:
    nodes = [NodeSpec(name, tuple(aliases or ())) for name, aliases in
             session.execute(select(ChainNode.name, ChainNode.aliases))]
    return nodes, ChainRepository(session).all_edges()


def industry_paths(session: Session) -> dict[int, str]:
    """Each industry's codes from broad to narrow ("110000/110100/110101"), as the engine's industry evidence wants."""
    rows = {id_: (code, parent) for id_, code, parent in session.execute(
        select(Industry.id, Industry.code, Industry.parent_id)).all()}
    paths: dict[int, str] = {}
    for id_ in rows:
        parts: list[str] = []
        cur: int | None = id_
        seen: set[int] = set()
        while cur is not None and cur in rows and cur not in seen:
            seen.add(cur)
            parts.append(rows[cur][0])
            cur = rows[cur][1]
        paths[id_] = "/".join(reversed(parts))
    return paths


def load_records(session: Session, ids: Sequence[int] | None = None) -> list[EnterpriseRecord]:
    ent = select(Enterprise.id, Enterprise.code, Enterprise.name, Enterprise.kind, Enterprise.tier,
                 Enterprise.province, Enterprise.city, Enterprise.district, Enterprise.description,
                 Enterprise.industry_id)
    caps = select(Capability.enterprise_id, Capability.product, Capability.revenue_share)
    if ids is not None:
        ent = ent.where(Enterprise.id.in_(list(ids)))
        caps = caps.where(Capability.enterprise_id.in_(list(ids)))
    products: dict[int, list[tuple[str, float]]] = defaultdict(list)
    for eid, product, share in session.execute(caps.order_by(Capability.enterprise_id, Capability.id)):
        products[eid].append((product, float(share) if share is not None else 0.001))
    paths = industry_paths(session)
    out = []
    for id_, code, name, kind, tier, prov, city, dist, desc, ind in session.execute(ent.order_by(Enterprise.id)):
        region = "/".join(p for p in (prov, city, dist) if p)
        out.append(EnterpriseRecord(id=id_, code=code, name=name, kind=kind, tier=tier, region=region,
                                    description=desc or "", products=tuple(products.get(id_, ())),
                                    industry=paths.get(ind, "") if ind is not None else ""))
    return out
