"""Applications to challenges over HTTP: applying alone and as a team, deciding, history, notices, withdrawal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.tokens import create_token
from app.models import Application, AuditEntry, Need, Notification
from app.models._types import utcnow
from tests.app.challenges.helpers import URL, apply, org_id, post_challenge, published
from tests.app.conftest import Tokens

MINE = "/api/v1/me/applications"


def _sme_header(session: Session, code: str) -> dict[str, str]:
    token, _ = create_token(session, role="sme", name=f"t-{code}", org_code=code)
    session.commit()
    return {"Authorization": f"Bearer {token}"}


def _counts(session: Session) -> tuple[int, int, int]:
    session.expire_all()
    return tuple(session.scalar(select(func.count()).select_from(t)) or 0  # type: ignore[return-value]
                 for t in (Application, AuditEntry, Notification))


def test_full_flow_alone_and_as_a_team(client: TestClient, tokens: Tokens, small: Session) -> None:
    ch = published(client, tokens, max_winners=2)
    apps = f"{URL}/{ch['id']}/applications"
    alone = apply(client, tokens, ch["id"])
    assert alone["status"] == "submitted" and alone["team"] == [] and alone["applicant"]["code"] == "100002"
    team = apply(client, tokens, ch["id"], role="other_sme", team=["100004", "100003", "100004"])
    assert team["team"] == ["100004"]  # the applicant itself and repeats are dropped
    assert team["status"] == "awaiting_team" and team["team_answers"] == {"100004": "pending"}
    member = _sme_header(small, "100004")
    confirmed = client.post(f"/api/v1/me/team-invitations/{team['id']}", json={"accept": True}, headers=member)
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "submitted", confirmed.text
    third = client.post(apps, json={"proposal": "电解液企业方案"}, headers=member)
    assert third.status_code == 201, third.text
    received = small.scalars(select(Notification).where(Notification.event == "application.received")).all()
    assert len(received) == 3 and {n.org_id for n in received} == {org_id(small, "100006")}

    listed = client.get(apps, headers=tokens.header("leader")).json()
    assert listed["total"] == 3 and [a["applicant"]["code"] for a in listed["items"]] == ["100002", "100003", "100004"]
    assert client.get(apps, headers=tokens.header("operator")).json()["total"] == 3
    assert client.get(apps, headers=tokens.header("sme")).status_code == 403

    def decide(app_id: int, status: str, reason: str = "") -> int:
        resp = client.put(f"{apps}/{app_id}", json={"status": status, "reason": reason},
                          headers=tokens.header("leader"))
        return resp.status_code

    assert decide(alone["id"], "shortlisted") == 200
    assert decide(alone["id"], "selected") == 200
    assert decide(team["id"], "selected") == 200
    before = _counts(small)
    assert decide(third.json()["id"], "selected") == 409  # max_winners is 2
    assert decide(third.json()["id"], "rejected") == 422  # a rejection needs a reason
    assert decide(alone["id"], "rejected", "x") == 409  # selected is final
    assert _counts(small) == before
    assert decide(third.json()["id"], "rejected", "技术路线与需求不符") == 200
    assert client.get(apps, params={"status": "selected"}, headers=tokens.header("leader")).json()["total"] == 2

    mine = client.get(MINE, headers=_sme_header(small, "100004")).json()["items"]
    assert len(mine) == 1 and mine[0]["status"] == "rejected" and mine[0]["reason"] == "技术路线与需求不符"
    assert mine[0]["challenge_title"] == ch["title"]
    own = client.get(MINE, headers=tokens.header("sme")).json()["items"]
    assert [a["id"] for a in own] == [alone["id"]]  # an applicant sees only its own
    steps = own[0]["history"]
    assert [(s["action"], s["status"]) for s in steps] == [("apply", "submitted"), ("decide", "shortlisted"),
                                                           ("decide", "selected")]
    assert steps[1]["role"] == "leader" and steps[1]["at"] and steps[1]["by"]
    updates = small.scalars(select(Notification).where(Notification.event == "application.updated")).all()
    assert [(n.org_id, n.payload["status"]) for n in updates if n.payload["status"] != "submitted"] == [
        (org_id(small, "100002"), "shortlisted"), (org_id(small, "100002"), "selected"),
        (org_id(small, "100003"), "selected"), (org_id(small, "100004"), "rejected")]
    audit = small.scalars(select(AuditEntry).where(AuditEntry.entity == "application",
                                                   AuditEntry.entity_id == str(alone["id"]))
                          .order_by(AuditEntry.id)).all()
    assert [a.action for a in audit] == ["application.create", "application.decide", "application.decide"]
    assert audit[2].before == {"status": "shortlisted"} and audit[2].after == {"status": "selected"}


@pytest.mark.parametrize("winners", [1, 3])
def test_at_most_max_winners_are_selected(client: TestClient, tokens: Tokens, small: Session, winners: int) -> None:
    ch = published(client, tokens, max_winners=winners)
    headers = [tokens.header("sme"), tokens.header("other_sme")] + [_sme_header(small, c)
                                                                     for c in ("100004", "100005")]
    ids = []
    for h in headers:
        resp = client.post(f"{URL}/{ch['id']}/applications", json={"proposal": "方案"}, headers=h)
        assert resp.status_code == 201, resp.text
        ids.append(resp.json()["id"])
    statuses = [client.put(f"{URL}/{ch['id']}/applications/{i}", json={"status": "selected"},
                           headers=tokens.header("leader")).status_code for i in ids]
    assert statuses == [200] * winners + [409] * (4 - winners)


def test_bad_applications_change_nothing(client: TestClient, tokens: Tokens, small: Session) -> None:
    team_ch = published(client, tokens, mode="team")
    draft = post_challenge(client, tokens)
    url = f"{URL}/{team_ch['id']}/applications"
    before = _counts(small)
    for body, field in [({"proposal": "方案"}, "team"), ({"proposal": "方案", "team": ["100002"]}, "team"),
                        ({"proposal": "方案", "team": ["NOPE1"]}, "team"),
                        ({"proposal": "方案", "team": ["100006"]}, "team"),
                        ({"proposal": "长" * 10_001, "team": ["100004"]}, "proposal"),
                        ({"proposal": "", "team": ["100004"]}, "proposal"), ({"team": ["100004"]}, "proposal"),
                        ({"proposal": "方案", "team": ["100004"], "budget": 1}, "budget")]:
        resp = client.post(url, json=body, headers=tokens.header("sme"))
        assert resp.status_code == 422, (body, resp.text)
        assert resp.json()["error"]["details"][0]["field"].endswith(field), resp.text
    assert client.post(f"{URL}/{draft['id']}/applications", json={"proposal": "方案"},
                       headers=tokens.header("sme")).status_code == 404  # a draft is private
    for role in ("leader", "operator", "admin"):
        assert client.post(url, json={"proposal": "方案", "team": ["100004"]},
                           headers=tokens.header(role)).status_code == 403
    assert _counts(small) == before
    ok = client.post(url, json={"proposal": "组阁方案", "team": ["100004", "100005"]}, headers=tokens.header("sme"))
    assert ok.status_code == 201 and ok.json()["team"] == ["100004", "100005"]
    again = client.post(url, json={"proposal": "再来", "team": ["100004"]}, headers=tokens.header("sme"))
    assert again.status_code == 409 and "already" in again.text


def test_closed_or_expired_challenges_take_no_applications(client: TestClient, tokens: Tokens,
                                                          small: Session) -> None:
    ch = published(client, tokens)
    need = small.get(Need, ch["id"])
    assert need is not None
    need.deadline = utcnow().date() - timedelta(days=1)
    small.commit()
    resp = client.post(f"{URL}/{ch['id']}/applications", json={"proposal": "方案"}, headers=tokens.header("sme"))
    assert resp.status_code == 409 and "deadline" in resp.text
    closed = published(client, tokens)
    client.post(f"{URL}/{closed['id']}/close", headers=tokens.header("leader"))
    resp = client.post(f"{URL}/{closed['id']}/applications", json={"proposal": "方案"}, headers=tokens.header("sme"))
    assert resp.status_code == 409 and "closed" in resp.text
    assert small.scalar(select(func.count()).select_from(Application)) == 0


def test_directed_commissions_only_take_firms_they_reached(client: TestClient, tokens: Tokens,
                                                          small: Session) -> None:
    ch = published(client, tokens, mode="directed")
    url = f"{URL}/{ch['id']}/applications"
    bank = client.post(url, json={"proposal": "方案"}, headers=_sme_header(small, "100009"))  # a bank: not reached
    assert bank.status_code == 403 and "定向委托" in bank.text
    assert client.post(url, json={"proposal": "方案"}, headers=tokens.header("sme")).status_code == 201


def test_withdraw_own_application(client: TestClient, tokens: Tokens, small: Session) -> None:
    ch = published(client, tokens)
    made = apply(client, tokens, ch["id"])
    url = f"{MINE}/{made['id']}/withdraw"
    assert client.post(url, headers=tokens.header("other_sme")).status_code == 404
    assert client.post(url, headers=tokens.header("leader")).status_code == 403
    resp = client.post(url, headers=tokens.header("sme"))
    assert resp.status_code == 200 and resp.json()["status"] == "withdrawn"
    assert resp.json()["history"][-1]["action"] == "withdraw"
    assert client.post(url, headers=tokens.header("sme")).status_code == 409
    decided = client.put(f"{URL}/{ch['id']}/applications/{made['id']}", json={"status": "shortlisted"},
                         headers=tokens.header("leader"))
    assert decided.status_code == 409
    note = small.scalars(select(Notification).where(Notification.event == "application.updated")).one()
    assert note.org_id == org_id(small, "100006") and note.payload["status"] == "withdrawn"


def test_decisions_need_the_right_challenge_and_poster(client: TestClient, tokens: Tokens) -> None:
    ch, other = published(client, tokens), published(client, tokens)
    made = apply(client, tokens, ch["id"])
    wrong = client.put(f"{URL}/{other['id']}/applications/{made['id']}", json={"status": "shortlisted"},
                       headers=tokens.header("leader"))
    assert wrong.status_code == 404
    for role in ("operator", "admin", "sme"):
        resp = client.put(f"{URL}/{ch['id']}/applications/{made['id']}", json={"status": "shortlisted"},
                          headers=tokens.header(role))
        assert resp.status_code == 403
    resp = client.put(f"{URL}/{ch['id']}/applications/{made['id']}", json={"status": "won"},
                      headers=tokens.header("leader"))
    assert resp.status_code == 422 and "status" in resp.text
    assert client.get(MINE, headers=tokens.header("leader")).status_code == 403
