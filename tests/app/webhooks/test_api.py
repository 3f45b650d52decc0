"""Webhook subscriptions over HTTP: create (secret shown once), list own, read, delete, validation, privacy."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.tokens import create_token
from app.models import AuditEntry, Webhook
from tests.app.conftest import Tokens

URL = "/api/v1/webhooks"
TARGET = "http://127.0.0.1:9/hook"


def test_create_list_get_delete(client: TestClient, tokens: Tokens, small: Session) -> None:
    sme = tokens.header("sme")
    made = client.post(URL, json={"url": TARGET, "events": ["need.updated", "opportunity.new", "need.updated"]},
                       headers=sme)
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["secret"].startswith("whsec_") and len(body["secret"]) > 30
    assert body["events"] == ["opportunity.new", "need.updated"]  # deduplicated, in the catalogue's order
    assert body["org_id"] is not None and body["active"] is True
    got = client.get(f"{URL}/{body['id']}", headers=sme).json()
    assert "secret" not in got and got["url"] == TARGET
    listed = client.get(URL, headers=sme).json()
    assert listed["total"] == 1 and "secret" not in listed["items"][0]
    assert client.get(URL, headers=tokens.header("other_sme")).json()["total"] == 0
    assert client.get(URL, headers=tokens.header("admin")).json()["total"] == 0  # admins list their own
    # Someone else's hook does not exist for them; admins may look at and remove any.
    for role in ("other_sme", "leader", "operator"):
        assert client.get(f"{URL}/{body['id']}", headers=tokens.header(role)).status_code == 404
        assert client.delete(f"{URL}/{body['id']}", headers=tokens.header(role)).status_code == 404
        assert client.get(f"{URL}/{body['id']}/deliveries", headers=tokens.header(role)).status_code == 404
    assert client.get(f"{URL}/{body['id']}", headers=tokens.header("admin")).status_code == 200
    assert client.delete(f"{URL}/{body['id']}", headers=sme).status_code == 204
    assert client.get(f"{URL}/{body['id']}", headers=sme).status_code == 404
    assert client.delete(f"{URL}/{body['id']}", headers=sme).status_code == 404
    audit = list(small.scalars(select(AuditEntry).where(AuditEntry.entity == "webhook").order_by(AuditEntry.id)))
    assert [a.action for a in audit] == ["create", "delete"]
    assert all("secret" not in a.after and "secret" not in a.before for a in audit)
    assert body["secret"] not in str([(a.before, a.after) for a in audit])


def test_org_and_principal_scoping_of_new_hooks(client: TestClient, tokens: Tokens, small: Session) -> None:
    token, _ = create_token(small, role="integration", name="hooks", scopes=["webhooks"])
    small.commit()
    leader = client.post(URL, json={"url": TARGET}, headers=tokens.header("leader")).json()
    integ = client.post(URL, json={"url": TARGET}, headers={"Authorization": f"Bearer {token}"})
    assert integ.status_code == 201, integ.text
    assert leader["org_id"] is not None and integ.json()["org_id"] is None
    assert leader["events"] == []
    # A read-only machine token may not manage hooks.
    assert client.post(URL, json={"url": TARGET}, headers=tokens.header("integration")).status_code == 403


def test_bad_input_is_422_naming_the_field(client: TestClient, tokens: Tokens, small: Session) -> None:
    h = tokens.header("sme")
    cases = [
        ({"url": "ftp://127.0.0.1/x"}, "url", "http or https"),
        ({"url": "javascript:alert(1)"}, "url", "http or https"),
        ({"url": "http://"}, "url", "host"),
        ({"url": "http://127.0.0.1:99999/x"}, "url", "malformed"),
        ({"url": "http://127.0.0.1/a b"}, "url", "spaces"),
        ({"url": "http://127.0.0.1/" + "a" * 500}, "url", "500"),
        ({"url": ""}, "url", ""),
        ({"url": TARGET, "events": ["opportunity.new", "nope.event"]}, "events", "nope.event"),
        ({"url": TARGET, "events": "opportunity.new"}, "events", ""),
        ({"url": TARGET, "secret": "mine"}, "secret", "xtra"),
        ({}, "url", "required"),
    ]
    for body, field, reason in cases:
        resp = client.post(URL, json=body, headers=h)
        assert resp.status_code == 422, (body, resp.text)
        details = resp.json()["error"]["details"]
        assert any(field in d["field"] and reason in d["reason"] for d in details), (body, details)
    assert small.scalar(select(Webhook.id)) is None  # nothing was written
    for path in (f"{URL}/0", f"{URL}/x", f"{URL}/99999999999"):
        assert client.get(path, headers=h).status_code == 422
    made = client.post(URL, json={"url": TARGET}, headers=h).json()
    bad = client.get(f"{URL}/{made['id']}/deliveries", params={"status": "lost"}, headers=h)
    assert bad.status_code == 422 and "status" in bad.text


def test_conflicts(client: TestClient, tokens: Tokens) -> None:
    h = tokens.header("sme")
    assert client.post(URL, json={"url": TARGET}, headers=h).status_code == 201
    dup = client.post(URL, json={"url": TARGET, "events": ["need.updated"]}, headers=h)
    assert dup.status_code == 409 and dup.json()["error"]["code"] == "conflict"
    # The same url is fine for another principal.
    assert client.post(URL, json={"url": TARGET}, headers=tokens.header("other_sme")).status_code == 201
    for n in range(19):
        assert client.post(URL, json={"url": f"{TARGET}/{n}"}, headers=h).status_code == 201
    too_many = client.post(URL, json={"url": f"{TARGET}/20"}, headers=h)
    assert too_many.status_code == 409 and "20" in too_many.json()["error"]["message"]
    page = client.get(URL, params={"limit": 5, "offset": 5}, headers=h).json()
    assert page["total"] == 20 and len(page["items"]) == 5
