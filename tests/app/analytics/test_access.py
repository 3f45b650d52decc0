"""Operators limited to chains or regions see only their part of the analytics (the matrix covers every route and
kind of caller; these check what a limited operator's answers hold)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth.tokens import create_token
from app.models import Chain
from tests.app.analytics.helpers import ChainData

URL = "/api/v1/analytics"


def _token(session: Session, **limits: list[str]) -> dict[str, str]:
    secret, _ = create_token(session, role="operator", name=f"t-{sorted(limits.items())}", **limits)  # type: ignore[arg-type]
    session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_operator_limited_to_a_chain(client: TestClient, small: Session, data: ChainData) -> None:
    small.add(Chain(code="tc9", name="别的链", description="", root_node_id=data.nodes["测锂"].id))
    small.commit()
    h = _token(small, chains=["tc"])
    assert client.get(f"{URL}/chains/tc", headers=h).status_code == 200
    assert client.get(f"{URL}/chains/tc9", headers=h).status_code == 403
    listed = client.get(f"{URL}/chains", headers=h).json()["items"]
    assert [i["chain"]["code"] for i in listed] == ["tc"]
    # a leader's rate over all its products spans chains: it must name one of its own
    assert client.get(f"{URL}/leaders/TL/supply-rate", headers=h).status_code == 422
    assert client.get(f"{URL}/leaders/TL/supply-rate", params={"chain": "tc"}, headers=h).status_code == 200


def test_operator_limited_to_a_region(client: TestClient, small: Session, data: ChainData) -> None:
    h = _token(small, regions=["山东省/济南市"])
    page = client.get(f"{URL}/chains/tc", headers=h).json()
    assert page["scope"]["region"] == "山东省/济南市"
    nodes = {n["node"]: n for n in page["nodes"]}
    assert nodes["测正极"]["single_source"]["code"] == "TA"  # TB (青岛) is outside its part
    assert client.get(f"{URL}/chains/tc", params={"region": "山东省"}, headers=h).status_code == 403
    assert client.get(f"{URL}/chains/tc", params={"region": "山东省/济南市/历下区"}, headers=h).status_code == 200
    assert client.get(f"{URL}/chains", params={"region": "广东省"}, headers=h).status_code == 403
    # a leader in its region, and a firm outside it
    assert client.get(f"{URL}/leaders/TL/supply-rate", headers=h).status_code == 200
    assert client.get(f"{URL}/leaders/TB/supply-rate", headers=h).status_code == 403


@pytest.mark.parametrize("name", ["report", "weak-links"])
def test_operator_with_two_regions_names_one(client: TestClient, small: Session, data: ChainData, name: str) -> None:
    h = _token(small, regions=["山东省/济南市", "山东省/青岛市"])
    resp = client.get(f"{URL}/chains/tc/{name}", headers=h)
    assert resp.status_code == 422 and "region" in resp.text
    assert client.get(f"{URL}/chains/tc/{name}", params={"region": "山东省/青岛市"}, headers=h).status_code == 200
