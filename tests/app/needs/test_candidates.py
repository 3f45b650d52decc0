"""The poster's side over HTTP: ranked matches, decisions on candidates, interests, answers and contacts."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEntry, Notification, Opportunity
from tests.app.conftest import Tokens
from tests.app.needs.helpers import URL, org, post_need, published_need

ME = "/api/v1/me/opportunities"


def _events(session: Session, event: str) -> list[Notification]:
    return list(session.scalars(select(Notification).where(Notification.event == event).order_by(Notification.id)))


def test_matches_ranked_explained_filtered_and_paged(client: TestClient, tokens: Tokens) -> None:
    draft = post_need(client, tokens)  # a draft can be previewed before publishing
    url = f"{URL}/{draft['id']}/matches"
    full = client.get(url, headers=tokens.header("leader"))
    assert full.status_code == 200, full.text
    items = full.json()["items"]
    codes = [i["enterprise"]["code"] for i in items]
    assert codes[:2] == ["100003", "100002"] and "100006" not in codes
    assert "碳酸锂" in items[0]["explanation"]["summary"] and items[0]["candidate"] is None
    page = client.get(url, params={"limit": 1, "offset": 1}, headers=tokens.header("operator")).json()
    assert [i["enterprise"]["code"] for i in page["items"]] == ["100002"] and page["offset"] == 1
    tiers = client.get(url, params={"tiers": "provincial"}, headers=tokens.header("admin")).json()
    assert [i["enterprise"]["code"] for i in tiers["items"]] == ["100002"]
    regions = client.get(url, params={"regions": "山东省/济南市"}, headers=tokens.header("leader")).json()
    assert [i["enterprise"]["code"] for i in regions["items"]] == ["100002"]
    assert client.get(url, params={"kinds": "university"}, headers=tokens.header("leader")).json()["items"] == []
    for params, field in [({"kinds": "bank"}, "kinds"), ({"tiers": "gold"}, "tiers"), ({"limit": 0}, "limit"),
                          ({"offset": -1}, "offset"), ({"regions": "/"}, "regions")]:
        resp = client.get(url, params=params, headers=tokens.header("leader"))
        assert resp.status_code == 422 and field in resp.text, (params, resp.text)
    for role in ("sme", "integration"):
        assert client.get(url, headers=tokens.header(role)).status_code == 403
    # The need's own minimum tier still holds under a filter.
    strict = post_need(client, tokens, required_tier="little_giant")
    assert client.get(f"{URL}/{strict['id']}/matches", params={"tiers": "provincial"},
                      headers=tokens.header("leader")).json()["items"] == []


def test_decisions_on_candidates(client: TestClient, tokens: Tokens, small: Session) -> None:
    draft = post_need(client, tokens)
    assert client.put(f"{URL}/{draft['id']}/candidates/100002", json={"status": "invited"},
                      headers=tokens.header("leader")).status_code == 409
    pub = published_need(client, tokens, top_n=1)  # reaches 100003 only
    url = f"{URL}/{pub['id']}/candidates"
    short = client.put(f"{url}/100002", json={"status": "shortlisted"}, headers=tokens.header("leader"))
    assert short.status_code == 200 and short.json()["poster_status"] == "shortlisted"
    opp = small.scalar(select(Opportunity).where(Opportunity.need_id == pub["id"],
                                                 Opportunity.enterprise_id == org(small, "100002")))
    assert opp is not None and opp.delivered_at is None  # a decision does not put the need in the feed
    assert _events(small, "candidate.invited") == []  # shortlisting is the poster's own working list
    invited = client.put(f"{url}/{org(small, '100003')}", json={"status": "invited"}, headers=tokens.header("leader"))
    assert invited.status_code == 200 and invited.json()["enterprise"]["code"] == "100003"
    assert [n.org_id for n in _events(small, "candidate.invited")] == [org(small, "100003")]
    for bad, status in [({"status": "rejected"}, 422), ({"status": "rejected", "reason": "  "}, 422),
                        ({"status": "winner"}, 422), ({"status": "invited", "x": 1}, 422)]:
        resp = client.put(f"{url}/100003", json=bad, headers=tokens.header("leader"))
        assert resp.status_code == status, (bad, resp.text)
    assert "reason" in client.put(f"{url}/100003", json={"status": "rejected"}, headers=tokens.header("leader")).text
    rejected = client.put(f"{url}/100003", json={"status": "rejected", "reason": "产能不足"},
                          headers=tokens.header("leader"))
    assert rejected.json()["poster_reason"] == "产能不足"
    note = _events(small, "candidate.rejected")[0]
    assert note.org_id == org(small, "100003") and note.payload["reason"] == "产能不足"
    assert client.put(f"{url}/100003", json={"status": "selected"},
                      headers=tokens.header("leader")).json()["poster_status"] == "selected"
    assert [n.org_id for n in _events(small, "candidate.selected")] == [org(small, "100003")]
    stmt = select(AuditEntry.action).where(AuditEntry.entity == "opportunity").order_by(AuditEntry.id)
    audit = list(small.scalars(stmt))
    assert audit == ["candidate.shortlisted", "candidate.invited", "candidate.rejected", "candidate.selected"]
    assert client.put(f"{url}/nope", json={"status": "invited"}, headers=tokens.header("leader")).status_code == 404
    own = client.put(f"{url}/100006", json={"status": "invited"}, headers=tokens.header("leader"))
    assert own.status_code == 422 and "enterprise" in own.text
    for role in ("operator", "admin", "sme"):
        assert client.put(f"{url}/100002", json={"status": "invited"}, headers=tokens.header(role)).status_code == 403


def test_interest_answer_and_contacts_only_after_both_agree(client: TestClient, tokens: Tokens,
                                                            small: Session) -> None:
    pub = published_need(client, tokens, anonymous=True)
    nid = pub["id"]
    resp = client.post(f"{ME}/{nid}/interest", json={"message": "我司可月供50吨"}, headers=tokens.header("sme"))
    assert resp.status_code == 200, resp.text
    assert resp.json()["need"]["poster"] is None and resp.json()["poster_contact"] is None
    received = _events(small, "interest.received")
    assert [n.org_id for n in received] == [org(small, "100006")]
    assert received[0].payload["enterprise"]["code"] == "100002"
    interests = client.get(f"{URL}/{nid}/interests", headers=tokens.header("leader"))
    assert interests.status_code == 200 and interests.json()["total"] == 1
    item = interests.json()["items"][0]
    assert item["message"] == "我司可月供50吨" and item["contact"] is None and not item["agreed"]
    assert "0531-80000000" not in interests.text
    # Declining needs a reason; an unknown firm or a firm without interest is 404.
    bad = client.post(f"{URL}/{nid}/interests/100002/answer", json={"accept": False}, headers=tokens.header("leader"))
    assert bad.status_code == 422 and "message" in bad.text
    for key in ("100003", "nope"):
        assert client.post(f"{URL}/{nid}/interests/{key}/answer", json={"accept": True},
                           headers=tokens.header("leader")).status_code == 404
    assert client.post(f"{URL}/{nid}/interests/100002/answer", json={"accept": True},
                       headers=tokens.header("operator")).status_code == 403
    ok = client.post(f"{URL}/{nid}/interests/100002/answer", json={"accept": True, "message": "欢迎洽谈"},
                     headers=tokens.header("leader"))
    assert ok.status_code == 200, ok.text
    assert ok.json()["agreed"] and ok.json()["contact"]["phone"] == "0531-80000000"
    answered = _events(small, "interest.answered")
    assert [n.org_id for n in answered] == [org(small, "100002")] and answered[0].payload["accepted"] is True
    again = client.post(f"{URL}/{nid}/interests/100002/answer", json={"accept": True},
                        headers=tokens.header("leader"))
    assert again.status_code == 409
    # Both agreed, but the poster chose anonymity: the SME learns the answer, never who gave it (the poster has the
    # SME's contact and reaches out); another SME sees nothing either.
    mine = client.get(f"{ME}/{nid}", headers=tokens.header("sme"))
    assert mine.json()["agreed"] and mine.json()["poster_status"] == "invited"
    assert mine.json()["poster_reason"] == "欢迎洽谈"
    assert mine.json()["need"]["poster"] is None and mine.json()["poster_contact"] is None
    assert "100006" not in mine.text and "buyer@byd.example.cn" not in mine.text
    assert client.get(f"{URL}/{nid}", headers=tokens.header("sme")).json()["poster"] is None
    assert "poster" not in answered[0].payload
    theirs = client.get(f"{ME}/{nid}", headers=tokens.header("other_sme"))
    assert theirs.json()["need"]["poster"] is None and "buyer@byd.example.cn" not in theirs.text
    assert client.get(f"{URL}/{nid}", headers=tokens.header("other_sme")).json()["poster"] is None
    for role in ("sme", "integration"):
        assert client.get(f"{URL}/{nid}/interests", headers=tokens.header(role)).status_code == 403


def test_declined_interest_and_invitation_before_interest(client: TestClient, tokens: Tokens) -> None:
    pub = published_need(client, tokens)
    nid = pub["id"]
    client.post(f"{ME}/{nid}/interest", json={"message": "可供货"}, headers=tokens.header("other_sme"))
    no = client.post(f"{URL}/{nid}/interests/100003/answer", json={"accept": False, "message": "暂不需要"},
                     headers=tokens.header("leader"))
    assert no.status_code == 200 and no.json()["poster_status"] == "rejected" and no.json()["contact"] is None
    seen = client.get(f"{ME}/{nid}", headers=tokens.header("other_sme")).json()
    assert seen["poster_status"] == "rejected" and seen["poster_reason"] == "暂不需要"
    assert seen["poster_contact"] is None
    # The poster invites first; contacts appear only once the SME says yes too.
    client.put(f"{URL}/{nid}/candidates/100002", json={"status": "invited"}, headers=tokens.header("leader"))
    before = client.get(f"{ME}/{nid}", headers=tokens.header("sme")).json()
    assert before["poster_status"] == "invited" and not before["agreed"] and before["poster_contact"] is None
    after = client.post(f"{ME}/{nid}/interest", json={}, headers=tokens.header("sme")).json()
    assert after["agreed"] and after["poster_contact"]["email"] == "buyer@byd.example.cn"
    listed = client.get(f"{URL}/{nid}/interests", headers=tokens.header("leader")).json()["items"]
    contacts = {i["enterprise"]["code"]: i["contact"] for i in listed}
    assert contacts["100003"] is None and contacts["100002"]["phone"] == "0531-80000000"
