"""The SME feed over HTTP: what is delivered, ranking, filters, seen marks, changes, interest and dismissal."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from app.models import Catalogue, Chain, Need, Notification, Opportunity
from tests.app.conftest import Tokens
from tests.app.needs.helpers import URL, org, post_need, published_need

ME = "/api/v1/me/opportunities"


def _feed(client: TestClient, tokens: Tokens, role: str = "sme", **params: object) -> dict:  # type: ignore[type-arg]
    resp = client.get(ME, params=params, headers=tokens.header(role))
    assert resp.status_code == 200, resp.text
    return resp.json()  # type: ignore[no-any-return]


def _titles(body: dict) -> list[str]:  # type: ignore[type-arg]
    return [i["need"]["title"] for i in body["items"]]


def test_feed_shows_delivered_published_needs_ranked_and_marks_them_seen(client: TestClient, tokens: Tokens,
                                                                         small: Session) -> None:
    published_need(client, tokens, title="采购碳酸锂")
    published_need(client, tokens, title="隔膜采购", description="湿法隔膜", nodes=["隔膜"], kind="cooperation")
    post_need(client, tokens, title="未发布草稿")
    # 100002 makes 碳酸锂: it is reached by the first need for sure; the draft never shows.
    first = _feed(client, tokens)
    assert "采购碳酸锂" in _titles(first) and "未发布草稿" not in _titles(first)
    scores = [i["score"] for i in first["items"]]
    assert scores == sorted(scores, reverse=True) and all(i["is_new"] for i in first["items"])
    top = first["items"][0]
    assert top["need"]["title"] == "采购碳酸锂" and "碳酸锂" in top["reason"]["summary"]
    assert top["need"]["budget_min"] == 1_000_000 and top["delivered"] and top["delivered_version"] == 1
    again = _feed(client, tokens)
    assert not any(i["is_new"] for i in again["items"])
    # Feeds are per firm: 100003's is its own and was not marked seen by 100002's reading.
    other = _feed(client, tokens, "other_sme")
    assert other["items"] and all(i["is_new"] for i in other["items"])
    assert small.scalar(select(func.count()).select_from(Opportunity).where(
        Opportunity.enterprise_id == org(small, "100002"), Opportunity.seen_at.is_(None))) == 0
    for role in ("leader", "operator", "admin", "integration"):
        assert client.get(ME, headers=tokens.header(role)).status_code == 403


def test_feed_filters_and_pages(client: TestClient, tokens: Tokens, small: Session) -> None:
    soon = (date.today() + timedelta(days=5)).isoformat()
    a = published_need(client, tokens, title="近期碳酸锂", deadline=soon)
    published_need(client, tokens, title="合作研发碳酸锂", kind="cooperation")
    chain = Chain(code="li", name="锂电池链")
    small.add(chain)
    small.flush()
    catalogue = Catalogue(chain_id=chain.id, period="2026Q4", title="锂电池链供需目录", status="published")
    small.add(catalogue)
    small.flush()
    need = small.get(Need, a["id"])
    assert need is not None
    need.catalogue_id = catalogue.id
    small.commit()
    assert _titles(_feed(client, tokens, kind="cooperation")) == ["合作研发碳酸锂"]
    assert _titles(_feed(client, tokens, chain="li")) == ["近期碳酸锂"]
    assert _titles(_feed(client, tokens, deadline_before=(date.today() + timedelta(days=6)).isoformat())) == [
        "近期碳酸锂"]
    assert _titles(_feed(client, tokens, deadline_before=date.today().isoformat())) == []
    full = _feed(client, tokens)
    page = _feed(client, tokens, limit=1, offset=1)
    assert page["total"] == full["total"] == 2 and _titles(page) == _titles(full)[1:2]
    for params, field in [({"kind": "lease"}, "kind"), ({"chain": "nope"}, "chain"), ({"limit": 0}, "limit"),
                          ({"limit": 201}, "limit"), ({"offset": -1}, "offset"),
                          ({"deadline_before": "soon"}, "deadline_before")]:
        resp = client.get(ME, params=params, headers=tokens.header("sme"))
        assert resp.status_code == 422 and field in resp.text, (params, resp.text)


def test_closed_needs_leave_the_feed_but_stay_readable(client: TestClient, tokens: Tokens) -> None:
    pub = published_need(client, tokens)
    client.post(f"{URL}/{pub['id']}/close", headers=tokens.header("leader"))
    assert _feed(client, tokens)["items"] == []
    item = client.get(f"{ME}/{pub['id']}", headers=tokens.header("sme")).json()
    assert item["need"]["status"] == "closed" and item["need"]["budget_max"] is None
    resp = client.post(f"{ME}/{pub['id']}/interest", json={"message": "还来得及吗"}, headers=tokens.header("sme"))
    assert resp.status_code == 409 and "closed" in resp.text


def test_dismissed_needs_never_come_back(client: TestClient, tokens: Tokens, small: Session) -> None:
    pub = published_need(client, tokens)
    nid = pub["id"]
    resp = client.post(f"{ME}/{nid}/dismiss", headers=tokens.header("sme"))
    assert resp.status_code == 200 and resp.json()["sme_status"] == "dismissed"
    assert _feed(client, tokens)["items"] == []
    assert client.post(f"{ME}/{nid}/dismiss", headers=tokens.header("sme")).status_code == 409
    late = client.post(f"{ME}/{nid}/interest", json={"message": "想参与"}, headers=tokens.header("sme"))
    assert late.status_code == 409 and "dismissed" in late.text
    # A new version is not delivered again to a firm that dismissed it.
    client.patch(f"{URL}/{nid}", json={"quantity": "800吨"}, headers=tokens.header("leader"))
    assert _feed(client, tokens)["items"] == []
    assert small.scalar(select(func.count()).select_from(Notification).where(
        Notification.event == "need.updated", Notification.org_id == org(small, "100002"))) == 0


def test_interest_rules(client: TestClient, tokens: Tokens, small: Session) -> None:
    pub = published_need(client, tokens, top_n=1)  # reaches 100003, not 100002
    nid = pub["id"]
    assert _feed(client, tokens)["items"] == []
    # 100002 may still find it and say it is interested: a row without delivery keeps the answer.
    seen = client.get(f"{ME}/{nid}", headers=tokens.header("sme"))
    assert seen.status_code == 200 and not seen.json()["delivered"] and seen.json()["score"] is None
    for body, field in [({"message": "长" * 501}, "message"), ({"message": 5}, "message"), ({"note": "x"}, "note")]:
        resp = client.post(f"{ME}/{nid}/interest", json=body, headers=tokens.header("sme"))
        assert resp.status_code == 422 and field in resp.text, (body, resp.text)
    sme_id = org(small, "100002")
    assert small.scalar(select(func.count()).select_from(Opportunity).where(Opportunity.enterprise_id == sme_id)) == 0
    ok = client.post(f"{ME}/{nid}/interest", json={"message": "有现货"}, headers=tokens.header("sme"))
    assert ok.status_code == 200 and ok.json()["sme_status"] == "interested" and not ok.json()["delivered"]
    dup = client.post(f"{ME}/{nid}/interest", json={"message": "再说一次"}, headers=tokens.header("sme"))
    assert dup.status_code == 409
    row = small.scalar(select(Opportunity).where(Opportunity.need_id == nid, Opportunity.enterprise_id == sme_id))
    assert row is not None and row.sme_message == "有现货" and row.delivered_at is None
    assert _feed(client, tokens)["items"] == []  # interest alone does not make a delivery
    # Drafts and unknown needs do not exist for SMEs.
    draft = post_need(client, tokens)
    for path in (f"{ME}/{draft['id']}", f"{ME}/999999"):
        assert client.get(path, headers=tokens.header("sme")).status_code == 404
    for action in ("interest", "dismiss"):
        assert client.post(f"{ME}/{draft['id']}/{action}", json={}, headers=tokens.header("sme")).status_code == 404


def test_changes_since_delivery_are_shown(client: TestClient, tokens: Tokens, small: Session) -> None:
    pub = published_need(client, tokens, anonymous=True)
    nid = pub["id"]
    client.patch(f"{URL}/{nid}", json={"deadline": (date.today() + timedelta(days=60)).isoformat()},
                 headers=tokens.header("leader"))
    client.patch(f"{URL}/{nid}", json={"nodes": ["碳酸锂", "氢氧化锂"], "budget_min": 500_000},
                 headers=tokens.header("leader"))
    item = client.get(f"{ME}/{nid}", headers=tokens.header("sme")).json()
    assert item["need"]["version"] == 3 and item["delivered_version"] == 1
    assert item["changed_fields"] == ["deadline", "budget_min", "nodes"]
    assert item["need"]["poster"] is None and item["poster_contact"] is None
    listed = client.get(ME, headers=tokens.header("sme"))
    assert listed.json()["items"][0]["changed_fields"] == ["deadline", "budget_min", "nodes"]
    assert "100006" not in listed.text and "比亚汽车" not in listed.text and "buyer@" not in listed.text
    notes = small.scalars(select(Notification).where(Notification.event == "need.updated",
                                                     Notification.org_id == org(small, "100002"))).all()
    assert [n.payload["version"] for n in notes] == [2, 3]


def test_changes_of_a_whole_page_are_read_in_one_query(client: TestClient, tokens: Tokens, small: Session) -> None:
    # At scale a feed page held a query per need edited since delivery; now one for the page.
    ids = [published_need(client, tokens, title=f"采购碳酸锂{i}")["id"] for i in range(3)]
    for nid in ids:
        resp = client.patch(f"{URL}/{nid}", json={"quantity": "每月50吨"}, headers=tokens.header("leader"))
        assert resp.status_code == 200, resp.text
    client.patch(f"{URL}/{ids[0]}", json={"budget_min": 10}, headers=tokens.header("leader"))
    seen: list[str] = []

    def grab(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append(statement)

    bind = small.connection()
    event.listen(bind, "before_cursor_execute", grab)
    try:
        body = _feed(client, tokens)
    finally:
        event.remove(bind, "before_cursor_execute", grab)
    changed = {i["need"]["id"]: i["changed_fields"] for i in body["items"] if i["need"]["id"] in ids}
    assert changed == {ids[0]: ["quantity", "budget_min"], ids[1]: ["quantity"], ids[2]: ["quantity"]}
    assert len([s for s in seen if "need_versions" in s]) == 1, seen
