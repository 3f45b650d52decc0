"""A quarter's worth of illustrative activity for the demo: leaders' needs in a published chain catalogue.

Everything here goes through the same services as the API (needs, catalogues, the publication job), so the
demo shows what a real quarter produces: SMEs' feeds, matches with reasons, notifications.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.background import job_registry
from app.catalogues import service as catalogues
from app.catalogues.schemas import CatalogueCreate
from app.jobs.runner import run_once
from app.match_index.holder import IndexHolder
from app.models import Enterprise, Principal
from app.needs import service as needs
from app.needs.schemas import NeedCreate

# (poster code, need) — posters are the demo's chain leaders; texts are what a purchasing department would write.
NEEDS: list[tuple[str, dict[str, Any]]] = [
    ("300750", {"kind": "procurement", "title": "采购电池级碳酸锂", "nodes": ["碳酸锂"], "quantity": "每月800吨",
                "description": "用于磷酸铁锂及三元正极材料生产，要求纯度≥99.5%，具备稳定月供能力。",
                "budget_min": 20000, "budget_max": 40000, "delivery_region": "山东省/济南市"}),
    ("300750", {"kind": "cooperation", "title": "湿法隔膜涂覆工艺联合开发", "nodes": ["隔膜"],
                "description": "面向高镍动力电池，联合开发陶瓷涂覆湿法隔膜，欢迎省内专精特新企业参与。",
                "required_tier": "innovative"}),
    ("002594", {"kind": "procurement", "title": "为动力电池产线寻找上游材料供应商", "nodes": ["锂电池"],
                "scope": "upstream", "description": "正极、负极、电解液、隔膜等主材均可洽谈，优先省内配套。"}),
    ("002594", {"kind": "procurement", "title": "采购人造石墨负极材料", "nodes": ["负极材料"],
                "quantity": "年需求2万吨", "description": "快充型人造石墨负极，需通过IATF 16949认证。",
                "required_certifications": ["IATF 16949"]}),
    ("002460", {"kind": "technology", "title": "六氟磷酸锂低成本合成技术攻关", "nodes": ["六氟磷酸锂"],
                "description": "征集六氟磷酸锂连续化合成及提纯工艺方案，揭榜挂帅，成果归属另议。"}),
]


def _poster(session: Session, code: str) -> Principal:
    org_id = session.scalar(select(Enterprise.id).where(Enterprise.code == code))
    if org_id is None:
        raise ValueError(f"demo poster {code} is not in the database")
    principal = Principal(name=f"demo {code}", role="leader", org_id=org_id, regions=[], chains=[])
    session.add(principal)
    session.flush()
    return principal


def seed_quarter(factory: sessionmaker[Session], *, chain: str = "libattery", period: str = "2026Q4") -> int:
    """Post the needs, file them in the chain's catalogue, publish it and run the delivery job; returns items."""
    deadline = date.today() + timedelta(days=45)
    with factory() as session, session.begin():
        operator = Principal(name="demo operator", role="operator", regions=[], chains=[])
        session.add(operator)
        session.flush()
        catalogue = catalogues.create(session=session, principal=operator, data=CatalogueCreate(
            chain=chain, period=period, title=f"{period[:4]}年第{period[-1]}季度锂电池产业链供需目录", top_n=20))
        posters: dict[str, Principal] = {}
        for code, spec in NEEDS:
            poster = posters.get(code) or posters.setdefault(code, _poster(session, code))
            need = needs.create(session=session, principal=poster,
                                data=NeedCreate.model_validate({"deadline": deadline, **spec}))
            catalogues.add_item(session=session, catalogue_id=catalogue.id, need_id=need.id, principal=operator)
        catalogues.transition(session=session, catalogue_id=catalogue.id, action="submit", principal=operator)
        catalogues.publish(session=session, catalogue_id=catalogue.id, principal=operator)
    holder = IndexHolder(factory)
    holder.build()
    run_once(factory, job_registry(), index=holder)
    return len(NEEDS)
