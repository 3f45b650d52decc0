"""The in-app inbox over HTTP: what each principal sees, filters, pages, marking read one by one or all at once."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.authn import authenticate
from app.models import AuditEntry, Enterprise, Notification
from app.models._types import utcnow
from app.notifications.outbox import emit
from tests.app.conftest import Tokens

URL = "/api/v1/me/notifications"


def org(session: Session, code: str) -> int:
    found = session.scalar(select(Enterprise.id).where(Enterprise.code == code))
    assert found is not None
    return found


def seed(session: Session, tokens: Tokens) -> dict[str, Notification]:
    """Notes for the SME's firm, for another firm, and addressed to the SME's and the operator's principals."""
    sme_org, other_org = org(session, "100002"), org(session, "100003")
    sme_p, op_p = authenticate(session, tokens.sme).id, authenticate(session, tokens.operator).id
    base = utcnow() - timedelta(hours=1)
    made = {
        "old": emit(session, event="opportunity.new", org_id=sme_org, payload={"need_id": 1}),
        "mid": emit(session, event="interest.answered", org_id=sme_org, payload={"need_id": 1}),
        "mine": emit(session, event="candidate.invited", principal_id=sme_p, payload={"need_id": 2}),
        "other": emit(session, event="opportunity.new", org_id=other_org, payload={"need_id": 3}),
        "op": emit(session, event="catalogue.published", principal_id=op_p, payload={"catalogue_id": 1}),
    }
    session.flush()
    for i, note in enumerate(made.values()):
        note.created_at = base + timedelta(minutes=i)
    session.commit()
    return made


def ids(resp) -> list[int]:  # type: ignore[no-untyped-def]
    assert resp.status_code == 200, resp.text
    return [i["id"] for i in resp.json()["items"]]


def test_each_principal_sees_its_own_newest_first(client: TestClient, tokens: Tokens, small: Session) -> None:
    n = seed(small, tokens)
    assert ids(client.get(URL, headers=tokens.header("sme"))) == [n["mine"].id, n["mid"].id, n["old"].id]
    assert ids(client.get(URL, headers=tokens.header("other_sme"))) == [n["other"].id]
    assert ids(client.get(URL, headers=tokens.header("operator"))) == [n["op"].id]
    # Admins get what is addressed to them, not everyone's inbox; the leader's firm has nothing yet.
    for role in ("admin", "leader", "integration"):
        assert ids(client.get(URL, headers=tokens.header(role))) == []
    first = client.get(URL, headers=tokens.header("sme")).json()["items"][0]
    assert first["event"] == "candidate.invited" and first["payload"] == {"need_id": 2} and first["read_at"] is None


def test_filters_and_pages(client: TestClient, tokens: Tokens, small: Session) -> None:
    n = seed(small, tokens)
    h = tokens.header("sme")
    assert ids(client.get(URL, params={"event": "opportunity.new"}, headers=h)) == [n["old"].id]
    page = client.get(URL, params={"limit": 2, "offset": 1}, headers=h).json()
    assert [i["id"] for i in page["items"]] == [n["mid"].id, n["old"].id] and page["total"] == 3
    assert page["limit"] == 2 and page["offset"] == 1
    client.post(f"{URL}/{n['mid'].id}/read", headers=h)
    assert ids(client.get(URL, params={"unread": "true"}, headers=h)) == [n["mine"].id, n["old"].id]
    assert ids(client.get(URL, params={"unread": "false"}, headers=h)) == [n["mid"].id]
    for params, field in [({"event": "no.such"}, "event"), ({"limit": 0}, "limit"), ({"limit": 201}, "limit"),
                          ({"offset": -1}, "offset"), ({"unread": "maybe"}, "unread")]:
        resp = client.get(URL, params=params, headers=h)
        assert resp.status_code == 422 and field in resp.text, (params, resp.text)


def test_mark_one_read(client: TestClient, tokens: Tokens, small: Session) -> None:
    n = seed(small, tokens)
    h = tokens.header("sme")
    first = client.post(f"{URL}/{n['old'].id}/read", headers=h)
    assert first.status_code == 200 and first.json()["read_at"] is not None
    again = client.post(f"{URL}/{n['old'].id}/read", headers=h)
    assert again.json()["read_at"] == first.json()["read_at"]  # idempotent: the first reading counts
    assert client.post(f"{URL}/{n['mine'].id}/read", headers=h).status_code == 200
    # Another firm's or principal's notification does not exist for this caller.
    for note, role in [("other", "sme"), ("old", "other_sme"), ("mine", "admin"), ("op", "sme")]:
        resp = client.post(f"{URL}/{n[note].id}/read", headers=tokens.header(role))
        assert resp.status_code == 404, (note, role)
    assert client.post(f"{URL}/999999/read", headers=h).status_code == 404
    assert client.post(f"{URL}/0/read", headers=h).status_code == 422
    small.expire_all()
    assert small.get(Notification, n["other"].id).read_at is None  # type: ignore[union-attr]
    audit = small.scalars(select(AuditEntry).where(AuditEntry.entity == "notification")).all()
    assert len(audit) == 2 and all(a.action == "read" for a in audit)


def test_read_all(client: TestClient, tokens: Tokens, small: Session) -> None:
    n = seed(small, tokens)
    h = tokens.header("sme")
    only = client.post(f"{URL}/read-all", params={"event": "interest.answered"}, headers=h)
    assert only.status_code == 200 and only.json() == {"updated": 1}
    assert client.post(f"{URL}/read-all", headers=h).json() == {"updated": 2}
    assert client.post(f"{URL}/read-all", headers=h).json() == {"updated": 0}
    assert ids(client.get(URL, params={"unread": "true"}, headers=h)) == []
    assert client.post(f"{URL}/read-all", params={"event": "bogus"}, headers=h).status_code == 422
    # Nobody else's inbox was touched.
    assert ids(client.get(URL, params={"unread": "true"}, headers=tokens.header("other_sme"))) == [n["other"].id]
    assert ids(client.get(URL, params={"unread": "true"}, headers=tokens.header("operator"))) == [n["op"].id]
