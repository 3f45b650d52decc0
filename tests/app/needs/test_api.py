"""Needs over HTTP: posting, bad input, visibility and private fields, publishing, versions, closing."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.tokens import create_token
from app.models import AuditEntry, Need, NeedVersion, Notification, Opportunity
from tests.app.conftest import Tokens
from tests.app.needs.helpers import URL, need_body, org, post_need, published_need


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _events(session: Session, event: str) -> list[Notification]:
    return list(session.scalars(select(Notification).where(Notification.event == event).order_by(Notification.id)))


def test_leader_posts_a_draft(client: TestClient, tokens: Tokens, small: Session) -> None:
    lithium = client.get("/api/v1/nodes/氢氧化锂", headers=tokens.header("leader")).json()["id"]
    need = post_need(client, tokens, nodes=["碳酸锂", lithium, str(lithium)], anonymous=True)
    assert need["status"] == "draft" and need["version"] == 1 and need["published_at"] is None
    assert {n["name"] for n in need["nodes"]} == {"碳酸锂", "氢氧化锂"}
    assert need["poster"]["code"] == "100006" and need["budget_max"] == 2_000_000
    entry = small.scalar(select(AuditEntry).where(AuditEntry.action == "need.create"))
    assert entry is not None and entry.entity_id == str(need["id"]) and entry.after["title"] == "采购电池级碳酸锂"


def test_only_members_of_a_chain_leader_firm_post(client: TestClient, tokens: Tokens, small: Session) -> None:
    for role in ("admin", "operator", "sme", "integration"):
        assert client.post(URL, json=need_body(), headers=tokens.header(role)).status_code == 403
    # A leader token of a firm that is not a chain leader cannot post either.
    token, _ = create_token(small, role="leader", name="not-a-chain-leader", org_code="100001")
    small.commit()
    resp = client.post(URL, json=need_body(), headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 403, resp.text
    assert _count(small, Need) == 0


def test_bad_input_is_422_naming_the_field_and_writes_nothing(client: TestClient, tokens: Tokens,
                                                              small: Session) -> None:
    past = (date.today() - timedelta(days=2)).isoformat()
    cases = [
        (need_body(deadline=past), "deadline", "past"),
        (need_body(budget_min=5, budget_max=1), "budget_min", "greater than budget_max"),
        (need_body(nodes=["碳酸锂", "不存在的节点", 999999]), "nodes", "不存在的节点, 999999"),
        (need_body(kind="lease"), "kind", ""),
        (need_body(scope="downstream"), "scope", ""),
        (need_body(title=""), "title", ""),
        (need_body(budget_min=-1), "budget_min", ""),
        (need_body(required_tier="gold"), "required_tier", ""),
        (need_body(required_certifications=[""]), "required_certifications", ""),
        (need_body(colour="red"), "colour", ""),
        (need_body(deadline="tomorrow"), "deadline", ""),
        ({k: v for k, v in need_body().items() if k != "title"}, "title", ""),
    ]
    for body, field, reason in cases:
        resp = client.post(URL, json=body, headers=tokens.header("leader"))
        assert resp.status_code == 422, (field, resp.text)
        assert field in resp.text and reason in resp.text, (field, resp.text)
    assert _count(small, Need) == 0 and _count(small, AuditEntry) == 0


def test_drafts_are_private_and_published_needs_are_readable(client: TestClient, tokens: Tokens,
                                                             small: Session) -> None:
    draft = post_need(client, tokens, title="草稿需求")
    pub = published_need(client, tokens, title="公开需求")
    other_leader, _ = create_token(small, role="leader", name="other-leader", org_code="100001")
    small.commit()
    for headers in (tokens.header("sme"), tokens.header("integration"), {"Authorization": f"Bearer {other_leader}"}):
        assert client.get(f"{URL}/{draft['id']}", headers=headers).status_code == 404
        assert client.get(f"{URL}/{draft['id']}/versions", headers=headers).status_code == 404
        seen = client.get(f"{URL}/{pub['id']}", headers=headers)
        assert seen.status_code == 200 and seen.json()["budget_min"] == 1_000_000
    for role in ("admin", "operator", "leader"):
        body = client.get(f"{URL}/{draft['id']}", headers=tokens.header(role)).json()
        assert body["budget_min"] == 1_000_000 and body["poster"]["code"] == "100006"
    assert client.get(f"{URL}/999999", headers=tokens.header("admin")).status_code == 404

    def titles(role: str, **params: object) -> list[str]:
        resp = client.get(URL, params=params, headers=tokens.header(role))
        assert resp.status_code == 200, resp.text
        return [n["title"] for n in resp.json()["items"]]

    assert titles("sme") == ["公开需求"] and titles("integration") == ["公开需求"]
    assert titles("sme", status="draft") == []
    assert titles("leader") == ["公开需求", "草稿需求"] and titles("operator", status="draft") == ["草稿需求"]
    assert titles("leader", q="草稿") == ["草稿需求"] and titles("leader", kind="technology") == []
    assert client.get(URL, headers={"Authorization": f"Bearer {other_leader}"}).json()["total"] == 0
    page = client.get(URL, params={"limit": 1, "offset": 1}, headers=tokens.header("admin")).json()
    assert page["total"] == 2 and [n["title"] for n in page["items"]] == ["草稿需求"]
    for params in ({"limit": 0}, {"limit": 201}, {"offset": -1}, {"status": "open"}, {"kind": "x"}):
        resp = client.get(URL, params=params, headers=tokens.header("leader"))
        assert resp.status_code == 422 and next(iter(params)) in resp.text
    # Once closed, the budget is private again.
    client.post(f"{URL}/{pub['id']}/close", headers=tokens.header("leader"))
    closed = client.get(f"{URL}/{pub['id']}", headers=tokens.header("sme")).json()
    assert closed["status"] == "closed" and closed["budget_min"] is None and closed["budget_max"] is None
    versions = client.get(f"{URL}/{pub['id']}/versions", headers=tokens.header("sme")).json()
    assert versions[0]["snapshot"]["budget_min"] is None


def test_anonymous_poster_hidden_from_everyone_but_the_poster_and_staff(client: TestClient, tokens: Tokens) -> None:
    pub = published_need(client, tokens, anonymous=True)
    assert pub["poster"]["code"] == "100006"
    for role in ("sme", "other_sme", "integration"):
        assert client.get(f"{URL}/{pub['id']}", headers=tokens.header(role)).json()["poster"] is None
        listed = client.get(URL, headers=tokens.header(role))
        assert listed.json()["items"][0]["poster"] is None
        assert "100006" not in listed.text and "比亚汽车" not in listed.text
    for role in ("admin", "operator", "leader"):
        assert client.get(f"{URL}/{pub['id']}", headers=tokens.header(role)).json()["poster"]["code"] == "100006"


def test_publish_delivers_and_state_changes_are_guarded(client: TestClient, tokens: Tokens, small: Session) -> None:
    draft = post_need(client, tokens)
    resp = client.post(f"{URL}/{draft['id']}/publish", headers=tokens.header("operator"))
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["status"] == "published" and body["published_at"] and body["delivered"] >= 2
    reached = {n.org_id for n in _events(small, "opportunity.new")}
    assert {org(small, "100002"), org(small, "100003")} <= reached
    assert org(small, "100006") not in reached  # never delivered to the poster itself
    assert _count(small, Opportunity) == body["delivered"]
    assert [v.version for v in small.scalars(select(NeedVersion))] == [1]
    again = client.post(f"{URL}/{draft['id']}/publish", headers=tokens.header("leader"))
    assert again.status_code == 409 and "draft" in again.json()["error"]["message"]
    assert client.post(f"{URL}/{draft['id']}/close", headers=tokens.header("leader")).status_code == 200
    for method, path, body_ in (("POST", "publish", None), ("POST", "close", None), ("PATCH", "", {"title": "x"})):
        resp = client.request(method, f"{URL}/{draft['id']}/{path}".rstrip("/"), json=body_,
                              headers=tokens.header("leader"))
        assert resp.status_code == 409, (path, resp.text)
    assert client.get(f"{URL}/{draft['id']}", headers=tokens.header("leader")).json()["title"] == "采购电池级碳酸锂"
    # top_n is bounded; SMEs may not publish or close.
    other = post_need(client, tokens)
    for top_n in (0, 201, "x"):
        resp = client.post(f"{URL}/{other['id']}/publish", json={"top_n": top_n}, headers=tokens.header("leader"))
        assert resp.status_code == 422 and "top_n" in resp.text
    one = client.post(f"{URL}/{other['id']}/publish", json={"top_n": 1}, headers=tokens.header("leader")).json()
    assert one["delivered"] == 1
    assert client.post(f"{URL}/{other['id']}/close", headers=tokens.header("sme")).status_code == 403


def test_publishing_a_draft_whose_deadline_passed_is_a_conflict(client: TestClient, tokens: Tokens,
                                                                small: Session) -> None:
    draft = post_need(client, tokens)
    row = small.get(Need, draft["id"])
    assert row is not None
    row.deadline = date.today() - timedelta(days=1)
    small.commit()
    resp = client.post(f"{URL}/{draft['id']}/publish", headers=tokens.header("leader"))
    assert resp.status_code == 409 and "deadline" in resp.text
    assert client.get(f"{URL}/{draft['id']}", headers=tokens.header("leader")).json()["status"] == "draft"


def test_editing_a_draft_changes_it_in_place(client: TestClient, tokens: Tokens, small: Session) -> None:
    draft = post_need(client, tokens)
    change = {"title": "采购氢氧化锂", "nodes": ["氢氧化锂"], "budget_max": None}
    resp = client.patch(f"{URL}/{draft['id']}", json=change, headers=tokens.header("leader"))
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["title"] == "采购氢氧化锂" and [n["name"] for n in body["nodes"]] == ["氢氧化锂"]
    assert body["version"] == 1 and body["budget_max"] is None and _count(small, NeedVersion) == 0
    entry = small.scalar(select(AuditEntry).where(AuditEntry.action == "need.update"))
    assert entry is not None and entry.before["title"] == "采购电池级碳酸锂" and entry.after["title"] == "采购氢氧化锂"
    assert client.patch(f"{URL}/{draft['id']}", json={"title": "运营修改"},
                        headers=tokens.header("operator")).status_code == 200
    for bad, field in [({"budget_min": 3_000_000, "budget_max": 2_000_000}, "budget_min"),
                       ({"title": None}, "title"),
                       ({"deadline": "2000-01-01"}, "deadline"), ({"nodes": ["无此节点"]}, "nodes"),
                       ({"version": 9}, "version"), ({"status": "published"}, "status")]:
        resp = client.patch(f"{URL}/{draft['id']}", json=bad, headers=tokens.header("leader"))
        assert resp.status_code == 422 and field in resp.text, (bad, resp.text)
    assert client.get(f"{URL}/{draft['id']}", headers=tokens.header("leader")).json()["title"] == "运营修改"


def test_editing_a_published_need_makes_a_version_and_tells_engaged_firms(client: TestClient, tokens: Tokens,
                                                                         small: Session) -> None:
    pub = published_need(client, tokens)
    url = f"{URL}/{pub['id']}"
    # 100003 dismisses it and must not be told about changes; 100002 stays engaged.
    assert client.post(f"/api/v1/me/opportunities/{pub['id']}/dismiss",
                       headers=tokens.header("other_sme")).status_code == 200
    engaged = {o.enterprise_id for o in small.scalars(select(Opportunity)) if o.sme_status != "dismissed"}
    resp = client.patch(url, json={"budget_max": 2_500_000, "quantity": "600吨", "title": pub["title"]},
                        headers=tokens.header("leader"))
    assert resp.status_code == 200 and resp.json()["version"] == 2
    notes = _events(small, "need.updated")
    assert {n.org_id for n in notes} == engaged and org(small, "100003") not in engaged
    assert notes[0].payload["changed_fields"] == ["quantity", "budget_max"] and notes[0].payload["version"] == 2
    versions = client.get(f"{url}/versions", headers=tokens.header("sme")).json()
    assert [(v["version"], v["changed_fields"]) for v in versions] == [(1, []), (2, ["quantity", "budget_max"])]
    assert versions[1]["snapshot"]["quantity"] == "600吨" and versions[0]["snapshot"]["quantity"] == "500吨"
    # A patch that changes nothing makes no version; a bad one changes nothing at all.
    assert client.patch(url, json={"quantity": "600吨"}, headers=tokens.header("leader")).json()["version"] == 2
    bad = client.patch(url, json={"budget_min": 9_000_000, "title": "改名"}, headers=tokens.header("leader"))
    assert bad.status_code == 422 and "budget_min" in bad.text
    after = client.get(url, headers=tokens.header("leader")).json()
    assert after["version"] == 2 and after["title"] == pub["title"] and _count(small, NeedVersion) == 2
    # Others may read but not edit.
    for role in ("sme", "other_sme", "integration"):
        assert client.patch(url, json={"title": "x"}, headers=tokens.header(role)).status_code == 403
