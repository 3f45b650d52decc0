"""组阁揭榜: a team application counts only when every member firm has confirmed it."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.tokens import create_token
from app.models import Notification
from tests.app.challenges.helpers import URL, apply, org_id, published
from tests.app.conftest import Tokens

INVITES = "/api/v1/me/team-invitations"


def _member(session: Session, code: str) -> dict[str, str]:
    token, _ = create_token(session, role="sme", name=f"member-{code}", org_code=code)
    session.commit()
    return {"Authorization": f"Bearer {token}"}


def _events(session: Session, event: str) -> list[Notification]:
    session.expire_all()
    return list(session.scalars(select(Notification).where(Notification.event == event).order_by(Notification.id)))


def test_a_team_application_counts_once_every_member_accepts(client: TestClient, tokens: Tokens,
                                                            small: Session) -> None:
    ch = published(client, tokens, mode="team")
    made = apply(client, tokens, ch["id"], team=["100004", "100005"])
    assert made["status"] == "awaiting_team"
    assert made["team_answers"] == {"100004": "pending", "100005": "pending"}
    invited = _events(small, "application.team_invited")
    assert sorted(n.org_id for n in invited) == sorted([org_id(small, "100004"), org_id(small, "100005")])
    assert _events(small, "application.received") == []  # the poster hears of it only once it counts
    apps = f"{URL}/{ch['id']}/applications/{made['id']}"
    assert client.put(apps, json={"status": "shortlisted"}, headers=tokens.header("leader")).status_code == 409

    first, second = _member(small, "100004"), _member(small, "100005")
    listed = client.get(INVITES, headers=first).json()
    assert [a["id"] for a in listed["items"]] == [made["id"]] and listed["items"][0]["applicant"]["code"] == "100002"
    assert client.get(INVITES, headers=tokens.header("other_sme")).json()["total"] == 0  # 100003 is not named
    one = client.post(f"{INVITES}/{made['id']}", json={"accept": True}, headers=first)
    assert one.status_code == 200 and one.json()["status"] == "awaiting_team"
    assert one.json()["team_answers"] == {"100004": "accepted", "100005": "pending"}
    again = client.post(f"{INVITES}/{made['id']}", json={"accept": False}, headers=first)
    assert again.status_code == 409  # an answer is given once
    two = client.post(f"{INVITES}/{made['id']}", json={"accept": True}, headers=second)
    assert two.status_code == 200 and two.json()["status"] == "submitted"
    received = _events(small, "application.received")
    assert [n.org_id for n in received] == [org_id(small, "100006")]
    answered = _events(small, "application.team_answered")
    assert [n.org_id for n in answered] == [org_id(small, "100002")] * 2
    steps = [(s["action"], s["status"]) for s in two.json()["history"]]
    assert steps == [("apply", "awaiting_team"), ("team.accept", "awaiting_team"), ("team.accept", "submitted")]
    assert client.put(apps, json={"status": "shortlisted"}, headers=tokens.header("leader")).status_code == 200


def test_one_decline_ends_a_team_application(client: TestClient, tokens: Tokens, small: Session) -> None:
    ch = published(client, tokens, mode="team")
    made = apply(client, tokens, ch["id"], team=["100004", "100005"])
    member = _member(small, "100005")
    no = client.post(f"{INVITES}/{made['id']}", json={"accept": False}, headers=member)
    assert no.status_code == 200 and no.json()["status"] == "team_declined"
    late = client.post(f"{INVITES}/{made['id']}", json={"accept": True}, headers=_member(small, "100004"))
    assert late.status_code == 409
    assert _events(small, "application.received") == []
    mine = client.get("/api/v1/me/applications", headers=tokens.header("sme")).json()["items"]
    assert mine[0]["status"] == "team_declined" and mine[0]["team_answers"]["100005"] == "declined"


def test_only_named_members_answer(client: TestClient, tokens: Tokens, small: Session) -> None:
    ch = published(client, tokens, mode="team")
    made = apply(client, tokens, ch["id"], team=["100004"])
    url = f"{INVITES}/{made['id']}"
    # The applicant itself, a firm not named, staff and the poster cannot answer for a member.
    assert client.post(url, json={"accept": True}, headers=tokens.header("sme")).status_code == 404
    assert client.post(url, json={"accept": True}, headers=tokens.header("other_sme")).status_code == 404
    for role in ("leader", "operator", "admin"):
        assert client.post(url, json={"accept": True}, headers=tokens.header(role)).status_code == 403
    assert client.post(url, json={"accept": "maybe"}, headers=_member(small, "100004")).status_code == 422
    assert client.post(f"{INVITES}/999999", json={"accept": True},
                       headers=_member(small, "100004")).status_code == 404
    withdrawn = client.post(f"/api/v1/me/applications/{made['id']}/withdraw", headers=tokens.header("sme"))
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert client.post(url, json={"accept": True}, headers=_member(small, "100004")).status_code == 409
