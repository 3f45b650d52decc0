"""The dispatcher against a real HTTP receiver on 127.0.0.1: fan-out, signatures, retries, failure, the thread."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.auth.tokens import create_token
from app.models import Enterprise, Notification, WebhookDelivery
from app.models._types import utcnow
from app.notifications.outbox import emit
from app.webhooks.dispatcher import Dispatcher, backoff
from app.webhooks.fanout import fan_out
from app.webhooks.sender import blocked_reason
from app.webhooks.signing import verify
from tests.app.catalogues.helpers import create_need
from tests.app.conftest import Tokens
from tests.app.webhooks.receiver import Receiver, closed_port_url

URL = "/api/v1/webhooks"


def local(factory: sessionmaker[Session], **settings: Any) -> Dispatcher:
    """A dispatcher that may call the receiver on 127.0.0.1 (private addresses are refused by default)."""
    return Dispatcher(factory, allow_private=True, **settings)


def org(session: Session, code: str) -> int:
    found = session.scalar(select(Enterprise.id).where(Enterprise.code == code))
    assert found is not None
    return found


def hook(client: TestClient, tokens: Tokens, role: str, url: str, events: list[str] | None = None) -> dict:  # type: ignore[type-arg]
    resp = client.post(URL, json={"url": url, "events": events or []}, headers=header(tokens, role))
    assert resp.status_code == 201, resp.text
    return resp.json()  # type: ignore[no-any-return]


def header(tokens: Tokens, role: str) -> dict[str, str]:
    # The fixture's integration token may only read; a machine client that manages hooks has the webhooks scope.
    if role == "integration":
        return {"Authorization": f"Bearer {tokens.integration_hooks}"}  # type: ignore[attr-defined]
    return tokens.header(role)


def log(client: TestClient, tokens: Tokens, role: str, hook_id: int) -> list[dict]:  # type: ignore[type-arg]
    resp = client.get(f"{URL}/{hook_id}/deliveries", headers=header(tokens, role))
    assert resp.status_code == 200, resp.text
    return resp.json()["items"]  # type: ignore[no-any-return]


def test_delivers_signed_json_to_the_orgs_hook_once(client: TestClient, tokens: Tokens, small: Session,
                                                    session_factory: sessionmaker[Session],
                                                    receiver: Receiver) -> None:
    made = hook(client, tokens, "sme", receiver.url)
    # The need must exist and be visible to the hook's owner: that is checked again when delivering.
    need = create_need(small, title="碳酸锂采购", status="published", published_at=utcnow())
    payload = {"need_id": need.id, "title": "碳酸锂采购"}
    mine = emit(small, event="opportunity.new", org_id=org(small, "100002"), payload=payload)
    emit(small, event="opportunity.new", org_id=org(small, "100003"), payload={"need_id": need.id})
    small.commit()
    report = local(session_factory, timeout=2).run_once()
    assert (report.dispatched, report.queued, report.delivered, report.errors) == (2, 1, 1, 0)
    assert len(receiver.requests) == 1
    got = receiver.requests[0]
    h = got.headers
    assert got.path == "/hook" and h["content-type"].startswith("application/json")
    assert h["x-chainmatch-event"] == "opportunity.new"
    assert h["x-chainmatch-signature"].startswith("sha256=")
    assert verify(made["secret"], h["x-chainmatch-timestamp"], got.body, h["x-chainmatch-signature"])
    assert not verify("whsec_wrong", h["x-chainmatch-timestamp"], got.body, h["x-chainmatch-signature"])
    assert not verify(made["secret"], str(int(h["x-chainmatch-timestamp"]) + 1), got.body,
                      h["x-chainmatch-signature"])
    body = json.loads(got.body)
    assert body == {"id": mine.id, "event": "opportunity.new", "created_at": body["created_at"],
                    "payload": {"need_id": need.id, "title": "碳酸锂采购"}}
    assert body["created_at"].endswith("Z")
    entries = log(client, tokens, "sme", made["id"])
    assert len(entries) == 1 and str(entries[0]["id"]) == h["x-chainmatch-delivery"]
    assert entries[0] | {"id": 0, "delivered_at": None, "created_at": None} == {
        "id": 0, "notification_id": mine.id, "event": "opportunity.new", "status": "delivered", "attempts": 1,
        "next_attempt_at": None, "last_status_code": 200, "last_error": "", "delivered_at": None, "created_at": None}
    assert entries[0]["delivered_at"]
    # Nothing is fanned out or sent twice.
    again = local(session_factory, timeout=2).run_once()
    assert (again.dispatched, again.queued, again.delivered) == (0, 0, 0) and len(receiver.requests) == 1
    small.expire_all()
    assert all(n.dispatched for n in small.scalars(select(Notification)))


def test_who_receives_what(client: TestClient, tokens: Tokens, small: Session,
                           session_factory: sessionmaker[Session], receiver: Receiver) -> None:
    token, rec = create_token(small, role="integration", name="t-int-hooks", scopes=["read", "webhooks"])
    small.commit()
    tokens.integration_hooks = token  # type: ignore[attr-defined]
    leader = hook(client, tokens, "leader", receiver.url + "?who=leader", ["interest.received"])
    integration = hook(client, tokens, "integration", receiver.url + "?who=integration")
    admin = hook(client, tokens, "admin", receiver.url + "?who=admin")
    operator = hook(client, tokens, "operator", receiver.url + "?who=operator")
    leader_org, integ = org(small, "100006"), rec.principal_id
    emit(small, event="interest.received", org_id=leader_org, payload={"n": 1})
    emit(small, event="need.updated", org_id=leader_org, payload={"n": 2})  # not in the leader's event list
    emit(small, event="catalogue.published", principal_id=integ, payload={"n": 3})
    emit(small, event="opportunity.new", org_id=org(small, "100002"), payload={"n": 4})
    small.commit()
    local(session_factory, timeout=2).run_once()
    seen: dict[str, list[int]] = {}
    for r in receiver.requests:
        seen.setdefault(r.path.split("=")[1], []).append(json.loads(r.body)["payload"]["n"])
    assert {k: sorted(v) for k, v in seen.items()} == {"leader": [1], "integration": [3], "admin": [1, 2, 3, 4]}
    assert len(log(client, tokens, "admin", admin["id"])) == 4
    assert len(log(client, tokens, "leader", leader["id"])) == 1
    assert len(log(client, tokens, "integration", integration["id"])) == 1
    assert log(client, tokens, "operator", operator["id"]) == []


def test_a_hook_gets_nothing_from_before_it_existed(client: TestClient, tokens: Tokens, small: Session,
                                                    session_factory: sessionmaker[Session],
                                                    receiver: Receiver) -> None:
    note = emit(small, event="opportunity.new", org_id=org(small, "100002"), payload={})
    small.flush()
    note.created_at = utcnow() - timedelta(minutes=1)
    small.commit()
    hook(client, tokens, "sme", receiver.url)
    assert local(session_factory, timeout=2).run_once().queued == 0 and receiver.requests == []


def test_retries_with_exponential_backoff_then_delivers(client: TestClient, tokens: Tokens, small: Session,
                                                        session_factory: sessionmaker[Session],
                                                        receiver: Receiver) -> None:
    made = hook(client, tokens, "sme", receiver.url)
    receiver.statuses = [500, 503]
    emit(small, event="opportunity.new", org_id=org(small, "100002"), payload={})
    small.commit()
    d = local(session_factory, timeout=2)
    t0 = utcnow()
    assert d.run_once(t0).retrying == 1
    [entry] = log(client, tokens, "sme", made["id"])
    assert (entry["status"], entry["attempts"], entry["last_status_code"]) == ("pending", 1, 500)
    assert entry["last_error"].startswith("HTTP 500") and "服务暂不可用" in entry["last_error"]
    assert entry["next_attempt_at"].startswith((t0 + timedelta(seconds=30)).isoformat()[:19])
    assert d.run_once(t0 + timedelta(seconds=29)).retrying == 0 and len(receiver.requests) == 1  # not due yet
    t1 = t0 + timedelta(seconds=30)
    assert d.run_once(t1).retrying == 1 and len(receiver.requests) == 2
    [entry] = log(client, tokens, "sme", made["id"])
    assert (entry["attempts"], entry["last_status_code"]) == (2, 503)
    assert entry["next_attempt_at"].startswith((t1 + timedelta(seconds=60)).isoformat()[:19])
    assert d.run_once(t1 + timedelta(seconds=59)).delivered == 0
    assert d.run_once(t1 + timedelta(seconds=60)).delivered == 1 and len(receiver.requests) == 3
    [entry] = log(client, tokens, "sme", made["id"])
    assert (entry["status"], entry["attempts"], entry["last_status_code"], entry["last_error"]) == (
        "delivered", 3, 200, "")
    # Every attempt of one delivery carries the same delivery id, so a receiver can drop repeats.
    assert len({r.headers["x-chainmatch-delivery"] for r in receiver.requests}) == 1
    assert [backoff(n) for n in (1, 2, 3, 7)] == [timedelta(seconds=s) for s in (30, 60, 120, 1920)]


def test_fails_after_max_attempts(client: TestClient, tokens: Tokens, small: Session,
                                  session_factory: sessionmaker[Session], receiver: Receiver) -> None:
    made = hook(client, tokens, "sme", receiver.url)
    receiver.statuses = [500] * 20
    emit(small, event="opportunity.new", org_id=org(small, "100002"), payload={})
    small.commit()
    d = local(session_factory, timeout=2)
    now = utcnow()
    for _ in range(8):
        d.run_once(now)
        now += timedelta(days=1)
    [entry] = log(client, tokens, "sme", made["id"])
    assert (entry["status"], entry["attempts"], entry["next_attempt_at"]) == ("failed", 8, None)
    assert len(receiver.requests) == 8
    d.run_once(now + timedelta(days=30))
    assert len(receiver.requests) == 8
    failed = client.get(f"{URL}/{made['id']}/deliveries", params={"status": "failed"}, headers=tokens.header("sme"))
    assert failed.json()["total"] == 1
    # The owner fixes the receiver and asks for the delivery again; others cannot, and only failed ones go back.
    retry = f"{URL}/{made['id']}/deliveries/{entry['id']}/retry"
    assert client.post(retry, headers=tokens.header("other_sme")).status_code == 404
    assert client.post(f"{URL}/{made['id']}/deliveries/999999/retry", headers=tokens.header("sme")).status_code == 404
    again = client.post(retry, headers=tokens.header("sme"))
    assert again.status_code == 200 and (again.json()["status"], again.json()["attempts"]) == ("pending", 0)
    assert client.post(retry, headers=tokens.header("sme")).status_code == 409
    receiver.statuses = []
    assert d.run_once(utcnow() + timedelta(seconds=1)).delivered == 1 and len(receiver.requests) == 9


def test_connection_errors_and_timeouts_are_retried(client: TestClient, tokens: Tokens, small: Session,
                                                    session_factory: sessionmaker[Session],
                                                    receiver: Receiver) -> None:
    refused = hook(client, tokens, "sme", closed_port_url())
    receiver.delay = 1.0
    slow = hook(client, tokens, "other_sme", receiver.url)
    emit(small, event="opportunity.new", org_id=org(small, "100002"), payload={})
    emit(small, event="opportunity.new", org_id=org(small, "100003"), payload={})
    small.commit()
    report = local(session_factory, timeout=0.2, max_attempts=2).run_once()
    assert (report.retrying, report.errors) == (2, 0)
    [a] = log(client, tokens, "sme", refused["id"])
    [b] = log(client, tokens, "other_sme", slow["id"])
    assert a["last_error"].startswith("connection error") and a["last_status_code"] is None
    assert b["last_error"].startswith("timeout") and b["attempts"] == 1
    report = local(session_factory, timeout=0.2, max_attempts=2).run_once(utcnow() + timedelta(minutes=5))
    assert report.failed == 2


def test_deleted_hook_is_not_called_and_run_once_never_raises(client: TestClient, tokens: Tokens, small: Session,
                                                              session_factory: sessionmaker[Session],
                                                              receiver: Receiver) -> None:
    made = hook(client, tokens, "sme", receiver.url)
    emit(small, event="opportunity.new", org_id=org(small, "100002"), payload={})
    small.commit()
    d = local(session_factory, timeout=2)
    assert fan_out(small, now=utcnow() + timedelta(hours=1), batch=10) == (1, 1)  # queued, not yet due
    small.commit()
    assert client.delete(f"{URL}/{made['id']}", headers=tokens.header("sme")).status_code == 204
    assert d.run_once(utcnow() + timedelta(hours=2)).delivered == 0 and receiver.requests == []
    assert small.scalar(select(WebhookDelivery.id)) is None

    def broken() -> Session:
        raise RuntimeError("database is gone")

    report = local(broken, timeout=2).run_once()  # type: ignore[arg-type]
    assert report.errors >= 2


def test_a_delivery_is_claimed_by_one_dispatcher_only(client: TestClient, tokens: Tokens, small: Session,
                                                      session_factory: sessionmaker[Session],
                                                      receiver: Receiver) -> None:
    hook(client, tokens, "sme", receiver.url)
    emit(small, event="opportunity.new", org_id=org(small, "100002"), payload={})
    small.commit()
    first, second = Dispatcher(session_factory), Dispatcher(session_factory)
    now = utcnow()
    fan_out(small, now=now, batch=10)
    small.commit()
    delivery_id = small.scalar(select(WebhookDelivery.id))
    assert delivery_id is not None
    assert first._claim(delivery_id, now) is not None
    assert second._claim(delivery_id, now) is None  # leased by the first
    assert second._claim(delivery_id, now + first.lease) is not None  # the first died: the lease ran out


def test_background_thread_delivers_and_stops(client: TestClient, tokens: Tokens, small: Session,
                                              session_factory: sessionmaker[Session], receiver: Receiver) -> None:
    hook(client, tokens, "sme", receiver.url)
    emit(small, event="opportunity.new", org_id=org(small, "100002"), payload={})
    small.commit()
    d = local(session_factory, interval=0.05, timeout=2)
    d.start()
    try:
        assert receiver.wait_for(1)
    finally:
        d.stop()
    assert not d.running


def test_private_addresses_are_refused_unless_allowed(client: TestClient, tokens: Tokens, small: Session,
                                                     session_factory: sessionmaker[Session],
                                                     receiver: Receiver) -> None:
    made = hook(client, tokens, "sme", receiver.url)
    emit(small, event="opportunity.new", org_id=org(small, "100002"), payload={})
    small.commit()
    assert Dispatcher(session_factory, timeout=2).run_once().retrying == 1
    assert receiver.requests == []
    [entry] = log(client, tokens, "sme", made["id"])
    assert entry["last_error"].startswith("blocked: 127.0.0.1") and entry["attempts"] == 1
    assert blocked_reason("http://10.1.2.3/x") and blocked_reason("http://[::1]:8080/x")
    assert blocked_reason("https://169.254.169.254/latest/meta-data")
