"""The hand-made chain, stored before the client starts so the match index holds its firms, and a quarter's worth
of deliveries on it:

2026Q4: N1 (catalogue item, 测正极) delivered to TA (seen +2 h, interested +5 h, invited +24 h), TB (never seen),
TC (广东, seen +1 h); N2 (测负极, a plain need) delivered to TD (seen +4 h). 2026Q3: N3 (测电池) to TA (seen +10 h).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.models import AuditEntry, Catalogue, Need, NeedNode, Opportunity
from tests.app.analytics.helpers import ChainData, build
from tests.app.conftest import Tokens, make_client


@pytest.fixture()
def data(small: Session, tokens: Tokens) -> ChainData:
    return build(small)


@pytest.fixture()
def client(migrated_url: str, session_factory: sessionmaker[Session], data: ChainData) -> Iterator[TestClient]:
    # Every change is seen at once: the tests change data between calls.
    with make_client(migrated_url, session_factory, build_index=True, analytics_max_age_seconds=0) as c:
        yield c


Q4, Q3 = datetime(2026, 10, 15, 8), datetime(2026, 8, 1, 8)


def _need(session: Session, data: ChainData, node: str, at: datetime, catalogue_id: int | None = None) -> Need:
    need = Need(poster_org_id=data.firms["TL"].id, kind="procurement", title=f"采购{node}", status="published",
                version=1, required_certifications=[], published_at=at, catalogue_id=catalogue_id)
    session.add(need)
    session.flush()
    session.add(NeedNode(need_id=need.id, node_id=data.nodes[node].id))
    return need


def _deliver(session: Session, need: Need, firm_id: int, at: datetime, *, seen: float | None = None,
             interest: float | None = None, invite: float | None = None) -> None:
    opp = Opportunity(need_id=need.id, enterprise_id=firm_id, score=1.0, explanation={}, need_version=1,
                      delivered_at=at, seen_at=at + timedelta(hours=seen) if seen is not None else None,
                      sme_status="interested" if interest is not None else "none",
                      poster_status="invited" if invite is not None else "none")
    session.add(opp)
    session.flush()
    for action, hours in (("opportunity.interest", interest), ("candidate.invited", invite)):
        if hours is not None:
            session.add(AuditEntry(action=action, entity="opportunity", entity_id=str(opp.id), before={}, after={},
                                   at=at + timedelta(hours=hours)))


@pytest.fixture()
def quarters(small: Session, data: ChainData) -> ChainData:
    f = {k: v.id for k, v in data.firms.items()}
    cat = Catalogue(chain_id=data.chain.id, period="2026Q4", title="目录", status="published", top_n=5,
                    published_at=Q4)
    small.add(cat)
    small.flush()
    n1 = _need(small, data, "测正极", Q4, cat.id)
    _deliver(small, n1, f["TA"], Q4, seen=2, interest=5, invite=24)
    _deliver(small, n1, f["TB"], Q4)
    _deliver(small, n1, f["TC"], Q4, seen=1)
    n2 = _need(small, data, "测负极", Q4 + timedelta(days=3))
    _deliver(small, n2, f["TD"], Q4 + timedelta(days=3), seen=4)
    n3 = _need(small, data, "测电池", Q3)
    _deliver(small, n3, f["TA"], Q3, seen=10)
    small.commit()
    return data
