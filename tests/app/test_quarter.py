"""One quarter end to end: a chain catalogue is built, filled, published to the SMEs that fit, answered and decided,
with notifications in the app and signed webhooks delivered to a real receiver on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.background import job_registry
from app.jobs.runner import run_once
from app.webhooks.dispatcher import Dispatcher
from app.webhooks.signing import verify
from tests.app.conftest import Tokens, make_client
from tests.app.webhooks.receiver import Receiver, receiver  # noqa: F401 - a fixture

API = "/api/v1"


@pytest.fixture()
def client(migrated_url: str, session_factory: sessionmaker[Session], tokens: Tokens) -> Iterator[TestClient]:
    """The shared client, except that hooks may point at this machine, where the test receiver listens."""
    with make_client(migrated_url, session_factory, build_index=True, webhook_allow_private=True) as c:
        yield c


def ok(resp, status: int = 200) -> dict:  # type: ignore[no-untyped-def, type-arg]
    assert resp.status_code == status, resp.text
    return resp.json()  # type: ignore[no-any-return]


def test_a_quarter(client: TestClient, tokens: Tokens, small: Session, session_factory: sessionmaker[Session],
                   receiver: Receiver) -> None:  # noqa: F811
    op, leader, sme = tokens.header("operator"), tokens.header("leader"), tokens.header("sme")
    deadline = (date.today() + timedelta(days=30)).isoformat()

    # The SME's systems listen for its events.
    hook = ok(client.post(f"{API}/webhooks", json={"url": receiver.url, "events": []}, headers=sme), 201)

    # The operator defines the chain and opens the quarter's catalogue.
    ok(client.post(f"{API}/chains", json={"code": "libattery", "name": "锂电池", "root": "锂电池"}, headers=op), 201)
    catalogue = ok(client.post(f"{API}/catalogues", json={"chain": "libattery", "period": "2026Q4",
                                                          "title": "2026年第四季度锂电池产业链供需目录", "top_n": 5},
                               headers=op), 201)

    # The chain leader posts two needs and files them into the catalogue.
    lithium = ok(client.post(f"{API}/needs", json={
        "kind": "procurement", "title": "采购电池级碳酸锂", "description": "年需求500吨，纯度99.5%以上",
        "nodes": ["碳酸锂"], "quantity": "500吨", "budget_min": 3000, "budget_max": 5000, "deadline": deadline,
        "delivery_region": "山东省/济南市"}, headers=leader), 201)
    separator = ok(client.post(f"{API}/needs", json={
        "kind": "cooperation", "title": "动力电池隔膜联合开发", "description": "寻找湿法隔膜配套企业",
        "nodes": ["隔膜"], "deadline": deadline}, headers=leader), 201)
    for need in (lithium, separator):
        ok(client.post(f"{API}/catalogues/{catalogue['id']}/items", json={"need": need["id"]}, headers=leader), 201)

    # Review, publish: the targeted delivery runs as a job, not in the request.
    ok(client.post(f"{API}/catalogues/{catalogue['id']}/submit", headers=op))
    accepted = ok(client.post(f"{API}/catalogues/{catalogue['id']}/publish", headers=op), 202)
    job_id = accepted["job"]["id"]
    assert ok(client.get(f"{API}/jobs/{job_id}", headers=op))["status"] == "queued"
    assert ok(client.get(f"{API}/me/opportunities", headers=sme))["items"] == []
    run_once(session_factory, job_registry(), index=client.app.state.index)  # type: ignore[attr-defined]
    job = ok(client.get(f"{API}/jobs/{job_id}", headers=op))
    assert job["status"] == "done" and job["done"] == job["total"] == 2

    # The lithium maker finds the carbonate need in its feed, with the reason, and answers it.
    feed = ok(client.get(f"{API}/me/opportunities", headers=sme))["items"]
    item = next(i for i in feed if i["need"]["id"] == lithium["id"])
    assert item["is_new"] and item["delivered"] and "碳酸锂" in json.dumps(item["reason"], ensure_ascii=False)
    assert item["poster_contact"] is None
    ok(client.post(f"{API}/me/opportunities/{lithium['id']}/interest", json={"message": "可月供50吨"}, headers=sme))
    again = client.post(f"{API}/me/opportunities/{lithium['id']}/interest", json={"message": "x"}, headers=sme)
    assert again.status_code == 409

    # The leader sees the interest, shortlists and selects the firm; both sides now see each other's contacts.
    interests = ok(client.get(f"{API}/needs/{lithium['id']}/interests", headers=leader))["items"]
    mine = next(i for i in interests if i["enterprise"]["code"] == "100002")
    assert mine["message"] == "可月供50吨" and mine["contact"] is None
    ok(client.put(f"{API}/needs/{lithium['id']}/candidates/100002", json={"status": "shortlisted"}, headers=leader))
    ok(client.put(f"{API}/needs/{lithium['id']}/candidates/100002", json={"status": "selected"}, headers=leader))
    interests = ok(client.get(f"{API}/needs/{lithium['id']}/interests", headers=leader))["items"]
    assert next(i for i in interests if i["enterprise"]["code"] == "100002")["contact"]["phone"] == "0531-80000000"
    seen = ok(client.get(f"{API}/me/opportunities/{lithium['id']}", headers=sme))
    assert seen["agreed"] and seen["poster_status"] == "selected"
    assert seen["poster_contact"]["email"] == "buyer@byd.example.cn"

    # Notifications arrived in the app for both sides ...
    sme_events = {n["event"] for n in ok(client.get(f"{API}/me/notifications", headers=sme))["items"]}
    assert {"opportunity.new", "candidate.selected"} <= sme_events
    leader_events = {n["event"] for n in ok(client.get(f"{API}/me/notifications", headers=leader))["items"]}
    assert {"interest.received", "catalogue.published"} <= leader_events

    # ... and, signed, at the SME's webhook.
    Dispatcher(session_factory, allow_private=True).run_once()
    got = {json.loads(r.body)["event"]: r for r in receiver.requests}
    assert {"opportunity.new", "candidate.selected"} <= set(got)
    sample = got["candidate.selected"]
    assert verify(hook["secret"], sample.headers["x-chainmatch-timestamp"], sample.body,
                  sample.headers["x-chainmatch-signature"])
    log = ok(client.get(f"{API}/webhooks/{hook['id']}/deliveries", headers=sme))["items"]
    assert log and all(d["status"] == "delivered" for d in log)

    # The quarter ends.
    assert ok(client.post(f"{API}/catalogues/{catalogue['id']}/close", headers=op))["status"] == "closed"
    history = [e["action"] for e in ok(client.get(f"{API}/catalogues/{catalogue['id']}/history", headers=op))]
    assert history == ["create", "item_added", "item_added", "submit", "publish", "delivered", "close"]
