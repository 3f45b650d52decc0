"""Challenges over HTTP: posting, reading, visibility, editing drafts, publication and closing, bad input."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from app.models import AuditEntry, Need, Opportunity
from app.models._types import utcnow
from tests.app.challenges.helpers import URL, challenge_body, future, org_id, post_challenge, published
from tests.app.conftest import Tokens


def _counts(session: Session) -> tuple[int, int]:
    session.expire_all()
    return (session.scalar(select(func.count()).select_from(Need)) or 0,
            session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def test_post_and_read_with_draft_visibility(light_client: TestClient, tokens: Tokens, small: Session) -> None:
    made = post_challenge(light_client, tokens, nodes=["碳酸锂", "氢氧化锂"], mode="team", max_winners=3)
    assert made["status"] == "draft" and made["mode"] == "team" and made["max_winners"] == 3
    assert [n["name"] for n in made["nodes"]] == ["氢氧化锂", "碳酸锂"] and made["poster"]["code"] == "100006"
    assert made["prize_amount"] == 2_000_000 and made["ip_terms"] == "成果归双方共有"
    need = small.get(Need, made["id"])
    assert need is not None and need.kind == "technology" and need.created_by is not None
    one = f"{URL}/{made['id']}"
    for role in ("leader", "operator", "admin"):
        assert light_client.get(one, headers=tokens.header(role)).status_code == 200
    for role in ("sme", "other_sme", "integration"):
        assert light_client.get(one, headers=tokens.header(role)).status_code == 404  # a draft is private
        assert light_client.get(URL, headers=tokens.header(role)).json()["total"] == 0
    assert light_client.get(URL, headers=tokens.header("leader")).json()["total"] == 1
    audit = small.scalars(select(AuditEntry).where(AuditEntry.entity == "challenge")).all()
    assert [a.action for a in audit] == ["challenge.create"] and audit[0].after["nodes"] == ["氢氧化锂", "碳酸锂"]


def test_list_filters_and_pages(client: TestClient, tokens: Tokens) -> None:
    published(client, tokens, mode="competitive")
    published(client, tokens, mode="directed", title="隔膜涂覆", nodes=["隔膜"])
    post_challenge(client, tokens, mode="team")
    h = tokens.header("sme")
    assert client.get(URL, headers=h).json()["total"] == 2
    assert [c["mode"] for c in client.get(URL, params={"mode": "directed"}, headers=h).json()["items"]] == ["directed"]
    assert client.get(URL, params={"status": "draft"}, headers=h).json()["total"] == 0
    assert client.get(URL, params={"status": "draft"}, headers=tokens.header("operator")).json()["total"] == 1
    page = client.get(URL, params={"limit": 1, "offset": 1}, headers=tokens.header("leader")).json()
    assert page["total"] == 3 and len(page["items"]) == 1
    for params, field in [({"mode": "x"}, "mode"), ({"status": "open"}, "status"), ({"limit": 0}, "limit"),
                          ({"offset": -1}, "offset")]:
        resp = client.get(URL, params=params, headers=h)
        assert resp.status_code == 422 and field in resp.text, resp.text
    assert client.get(f"{URL}/999999", headers=h).status_code == 404
    assert client.get(f"{URL}/abc", headers=h).status_code == 422


def test_bad_input_is_422_naming_the_field_and_changes_nothing(light_client: TestClient, tokens: Tokens,
                                                              small: Session) -> None:
    before = _counts(small)
    today = utcnow().date().isoformat()
    yesterday = (utcnow().date() - timedelta(days=1)).isoformat()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"nodes": ["不存在的节点"]}, "nodes"), ({"nodes": [99999]}, "nodes"), ({"deadline": yesterday}, "deadline"),
        ({"deadline": today}, "deadline"), ({"deadline": "soon"}, "deadline"), ({"prize_amount": -1}, "prize_amount"),
        ({"max_winners": 0}, "max_winners"), ({"max_winners": 4}, "max_winners"), ({"mode": "lottery"}, "mode"),
        ({"title": ""}, "title"), ({"colour": "red"}, "colour"), ({"description": "长" * 10_001}, "description")]
    for override, field in cases:
        resp = light_client.post(URL, json=challenge_body(**override), headers=tokens.header("leader"))
        assert resp.status_code == 422, (override, resp.text)
        assert resp.json()["error"]["details"][0]["field"].endswith(field), resp.text
    missing = {k: v for k, v in challenge_body().items() if k != "deadline"}
    assert light_client.post(URL, json=missing, headers=tokens.header("leader")).status_code == 422
    for role in ("sme", "operator", "admin"):
        assert light_client.post(URL, json=challenge_body(), headers=tokens.header(role)).status_code == 403
    assert _counts(small) == before


def test_edit_drafts_only_by_the_poster(client: TestClient, tokens: Tokens, small: Session) -> None:
    made = post_challenge(client, tokens)
    one = f"{URL}/{made['id']}"
    resp = client.patch(one, json={"nodes": ["氢氧化锂"], "prize_amount": 500_000, "anonymous": True,
                                   "deadline": future(60)}, headers=tokens.header("leader"))
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert [n["name"] for n in body["nodes"]] == ["氢氧化锂"] and body["prize_amount"] == 500_000
    assert body["anonymous"] is True and body["deadline"] == future(60)
    entry = small.scalars(select(AuditEntry).where(AuditEntry.action == "challenge.update")).one()
    assert entry.before["nodes"] == ["碳酸锂"] and entry.after["nodes"] == ["氢氧化锂"]
    assert entry.before["prize_amount"] == 2_000_000 and "title" not in entry.after
    before = _counts(small)
    for change, field in [({"title": None}, "title"), ({"nodes": ["无此节点"]}, "nodes"),
                          ({"deadline": "2000-01-01"}, "deadline"), ({"max_winners": 9}, "max_winners"),
                          ({"poster_org_id": 1}, "poster_org_id")]:
        resp = client.patch(one, json=change, headers=tokens.header("leader"))
        assert resp.status_code == 422 and field in resp.text, resp.text
    assert client.patch(one, json={"title": "x"}, headers=tokens.header("operator")).status_code == 403
    assert client.patch(one, json={"title": "x"}, headers=tokens.header("sme")).status_code == 404
    assert _counts(small) == before
    assert client.get(one, headers=tokens.header("leader")).json()["nodes"][0]["name"] == "氢氧化锂"
    client.post(f"{one}/publish", headers=tokens.header("leader"))
    resp = client.patch(one, json={"title": "改标题"}, headers=tokens.header("leader"))
    assert resp.status_code == 409 and "published" in resp.json()["error"]["message"]
    assert client.patch(one, json={"title": "x"}, headers=tokens.header("sme")).status_code == 403


def test_publish_delivers_to_fitting_solvers_then_close(client: TestClient, tokens: Tokens, small: Session) -> None:
    made = post_challenge(client, tokens)
    resp = client.post(f"{URL}/{made['id']}/publish", headers=tokens.header("operator"))
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["status"] == "published" and body["published_at"] and body["delivered_to"] >= 1
    reached = set(small.scalars(select(Opportunity.enterprise_id).where(Opportunity.need_id == made["id"])))
    assert org_id(small, "100002") in reached and org_id(small, "100006") not in reached
    assert client.get(f"{URL}/{made['id']}", headers=tokens.header("sme")).json()["delivered_to"] is None
    again = client.post(f"{URL}/{made['id']}/publish", headers=tokens.header("leader"))
    assert again.status_code == 409
    assert client.post(f"{URL}/{made['id']}/close", headers=tokens.header("sme")).status_code == 403
    closed = client.post(f"{URL}/{made['id']}/close", headers=tokens.header("leader"))
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert client.post(f"{URL}/{made['id']}/close", headers=tokens.header("leader")).status_code == 409
    assert client.get(f"{URL}/{made['id']}", headers=tokens.header("sme")).status_code == 200
    actions = small.scalars(select(AuditEntry.action).where(AuditEntry.entity == "challenge",
                                                            AuditEntry.entity_id == str(made["id"]))
                            .order_by(AuditEntry.id)).all()
    assert list(actions) == ["challenge.create", "challenge.publish", "challenge.close"]


def test_a_challenge_past_its_deadline_cannot_be_published(client: TestClient, tokens: Tokens,
                                                           small: Session) -> None:
    made = post_challenge(client, tokens)
    need = small.get(Need, made["id"])
    assert need is not None
    need.deadline = utcnow().date() - timedelta(days=1)
    small.commit()
    resp = client.post(f"{URL}/{made['id']}/publish", headers=tokens.header("leader"))
    assert resp.status_code == 409 and "deadline" in resp.text
    assert client.get(f"{URL}/{made['id']}", headers=tokens.header("leader")).json()["status"] == "draft"


def test_anonymous_poster_is_hidden_from_solvers(client: TestClient, tokens: Tokens) -> None:
    made = published(client, tokens, anonymous=True)
    one = f"{URL}/{made['id']}"
    assert client.get(one, headers=tokens.header("sme")).json()["poster"] is None
    assert client.get(URL, headers=tokens.header("other_sme")).json()["items"][0]["poster"] is None
    assert client.get(one, headers=tokens.header("operator")).json()["poster"]["code"] == "100006"
    assert client.get(one, headers=tokens.header("leader")).json()["poster"]["code"] == "100006"


def test_a_page_of_challenges_costs_the_same_statements_for_one_or_many(client: TestClient, tokens: Tokens,
                                                                         connection: Connection) -> None:
    def listed() -> tuple[list[dict[str, Any]], int]:
        statements = [0]

        def count(*_: object) -> None:
            statements[0] += 1

        event.listen(connection, "before_cursor_execute", count)
        page = client.get(URL, headers=tokens.header("operator")).json()["items"]
        event.remove(connection, "before_cursor_execute", count)
        return page, statements[0]

    published(client, tokens)
    _, for_one = listed()
    post_challenge(client, tokens)
    published(client, tokens)
    page, for_three = listed()
    assert len(page) == 3 and for_three == for_one
    for item in page:
        alone = client.get(f"{URL}/{item['id']}", headers=tokens.header("operator")).json()
        assert item["delivered_to"] == alone["delivered_to"]
    assert sorted(i["delivered_to"] > 0 for i in page) == [False, True, True]  # the draft reached nobody yet
