"""Quarter results on hand-made deliveries: counts, rates and response times, by region and tier, against the
quarter before.

The deliveries are those of the ``quarters`` fixture (conftest.py).
"""

from __future__ import annotations

from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.analytics.quarter import bounds, previous
from app.analytics.reports import freeze_ended
from app.auth.tokens import create_token
from app.models import Need, Opportunity, QuarterReport
from app.models._types import utcnow
from tests.app.analytics.helpers import ChainData
from tests.app.conftest import Tokens

URL = "/api/v1/analytics/quarters"


def test_quarter_bounds() -> None:
    assert bounds("2026Q4") == (datetime(2026, 10, 1), datetime(2027, 1, 1))
    assert bounds("2026Q1") == (datetime(2026, 1, 1), datetime(2026, 4, 1))
    assert previous("2026Q1") == "2025Q4" and previous("2026Q3") == "2026Q2"


def test_quarter_in_a_region(client: TestClient, tokens: Tokens, quarters: ChainData) -> None:
    resp = client.get(f"{URL}/2026Q4", params={"chain": "tc", "region": "山东省"}, headers=tokens.header("operator"))
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["previous_period"] == "2026Q3"
    cur, prev = body["current"], body["previous"]
    assert (cur["items_published"], cur["catalogue_items"], cur["catalogues"]) == (2, 1, 1)
    assert cur["by_kind"] == {"procurement": 2}
    assert (cur["deliveries"], cur["firms_reached"], cur["seen"], cur["interested"], cur["invited"],
            cur["selected"]) == (3, 3, 2, 1, 1, 0)  # TC is in 广东
    assert cur["seen_rate"] == pytest.approx(2 / 3, abs=1e-4)
    assert (cur["median_hours_to_seen"], cur["median_hours_to_interest"], cur["median_hours_to_invite"]) == (3, 5, 24)
    assert (prev["items_published"], prev["deliveries"], prev["seen"], prev["median_hours_to_seen"]) == (1, 1, 1, 10)
    assert body["change"]["items_published"] == 1 and body["change"]["deliveries"] == 2
    tiers = {p["key"]: p["current"] for p in body["by_tier"]}
    assert set(tiers) == {"none", "provincial", "innovative"} and tiers["provincial"]["interested"] == 1
    regions = {p["key"]: (p["current"]["deliveries"], p["previous"]["deliveries"]) for p in body["by_region"]}
    assert regions == {"山东省/济南市": (2, 1), "山东省/青岛市": (1, 0)}
    assert body["by_chain"] == []  # one chain was asked for


def test_quarter_everywhere_with_a_tier(client: TestClient, tokens: Tokens, quarters: ChainData) -> None:
    body = client.get(f"{URL}/2026Q4", params={"min_tier": "provincial"}, headers=tokens.header("admin")).json()
    cur = body["current"]
    # TA (provincial) and TC (little giant) only; with no region every published need counts
    assert (cur["items_published"], cur["deliveries"], cur["seen"], cur["median_hours_to_seen"]) == (2, 2, 2, 1.5)
    assert [p["key"] for p in body["by_tier"]] == ["provincial", "little_giant"]
    assert [p["key"] for p in body["by_chain"]] == ["tc"]
    assert {p["key"] for p in body["by_region"]} == {"山东省", "广东省"}


def test_quarter_reach(client: TestClient, tokens: Tokens, small: Session, quarters: ChainData) -> None:
    shandong, _ = create_token(small, role="operator", name="t-sd", regions=["山东省/青岛市"])
    small.commit()
    body = client.get(f"{URL}/2026Q4", params={"chain": "tc"}, headers={"Authorization": f"Bearer {shandong}"}).json()
    # its only region: TB alone, reached by N1
    assert body["scope"]["region"] == "山东省/青岛市"
    assert (body["current"]["items_published"], body["current"]["deliveries"]) == (1, 1)
    far = client.get(f"{URL}/2026Q4", params={"region": "广东省"}, headers={"Authorization": f"Bearer {shandong}"})
    assert far.status_code == 403
    # op_chain reaches no chain of these: naming one is refused, naming none asks for one of its own
    assert client.get(f"{URL}/2026Q4", params={"chain": "tc"}, headers=tokens.header("op_chain")).status_code == 403
    resp = client.get(f"{URL}/2026Q4", headers=tokens.header("op_chain"))
    assert resp.status_code == 422 and "chain" in resp.text


def test_freeze_a_quarter_and_compare_with_it(client: TestClient, tokens: Tokens, small: Session,
                                              quarters: ChainData) -> None:
    h = tokens.header("operator")
    made = client.post(f"{URL}/2026Q3/freeze", params={"chain": "tc", "region": "山东省"}, headers=h)
    assert made.status_code == 201, made.text
    frozen = made.json()
    assert frozen["results"]["current"]["deliveries"] == 1 and frozen["results"]["scope"]["region"] == "山东省"
    again = client.post(f"{URL}/2026Q3/freeze", params={"chain": "tc", "region": "山东省"}, headers=h)
    assert again.status_code == 409
    # a late answer to the Q3 need changes the live figures, not the frozen ones Q4 is compared with
    opp = small.scalar(select(Opportunity).join(Need, Need.id == Opportunity.need_id)
                       .where(Need.published_at < datetime(2026, 10, 1)))
    assert opp is not None
    opp.sme_status = "interested"
    small.commit()
    q4 = client.get(f"{URL}/2026Q4", params={"chain": "tc", "region": "山东省"}, headers=h).json()
    assert q4["previous_frozen_at"] is not None and q4["previous"]["interested"] == 0
    assert {p["key"]: p["previous"]["deliveries"] for p in q4["by_region"]}["山东省/济南市"] == 1
    live = client.get(f"{URL}/2026Q4", params={"chain": "tc"}, headers=h).json()  # another scope: computed now
    assert live["previous_frozen_at"] is None and live["previous"]["interested"] == 1
    stored = client.get(f"{URL}/2026Q3/frozen", params={"chain": "tc", "region": "山东省"}, headers=h)
    assert stored.status_code == 200 and stored.json()["frozen_at"] == frozen["frozen_at"]
    assert client.get(f"{URL}/2026Q3/frozen", params={"chain": "tc"}, headers=h).status_code == 404


def test_a_quarter_is_frozen_only_once_it_ended(client: TestClient, tokens: Tokens, quarters: ChainData) -> None:
    now = utcnow()
    current = f"{now.year}Q{(now.month - 1) // 3 + 1}"
    resp = client.post(f"{URL}/{current}/freeze", headers=tokens.header("admin"))
    assert resp.status_code == 409 and "has not ended" in resp.text


def test_the_job_freezes_the_quarter_just_ended(session: Session, small: Session, quarters: ChainData) -> None:
    made = freeze_ended(small)
    small.commit()
    assert made == 2  # every chain (only "tc" here) and all chains together, everywhere, every tier
    assert freeze_ended(small) == 0  # never redone
    now = utcnow()
    period = previous(f"{now.year}Q{(now.month - 1) // 3 + 1}")
    found = small.scalars(select(QuarterReport).where(QuarterReport.period == period)).all()
    assert sorted(r.chain_code for r in found) == ["", "tc"] and all(r.frozen_by is None for r in found)
