"""Catalogues over HTTP: creation rules, who sees what, items, the state flow and its history, publication."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.background import job_registry
from app.jobs.runner import run_once
from app.models import AuditEntry, Need, NeedVersion, Notification, Opportunity
from tests.app.catalogues.helpers import create_chain, create_need
from tests.app.conftest import Tokens

URL = "/api/v1/catalogues"


def make(client: TestClient, tokens: Tokens, chain: str, period: str = "2026Q4", **extra: object) -> dict:  # type: ignore[type-arg]
    body: dict[str, object] = {"chain": chain, "period": period, "title": "锂电池产业链供需目录"}
    body.update(extra)
    resp = client.post(URL, json=body,
                       headers=tokens.header("operator"))
    assert resp.status_code == 201, resp.text
    return resp.json()


def test_create_rules_and_bad_input(client: TestClient, tokens: Tokens, small: Session) -> None:
    chain = create_chain(small)
    made = make(client, tokens, chain.code)
    assert made["status"] == "draft" and made["top_n"] == 50 and made["chain"]["code"] == chain.code
    assert made["items"] == [] and made["counts"]["items"] == 0
    by_id = make(client, tokens, str(chain.id), period="2026H2", top_n=5)
    assert by_id["period"] == "2026H2" and by_id["top_n"] == 5
    again = client.post(URL, json={"chain": chain.code, "period": "2026Q4", "title": "重复"},
                        headers=tokens.header("admin"))
    assert again.status_code == 409
    cases: list[tuple[dict[str, object], str]] = [
        ({"chain": "nope"}, "chain"), ({"period": "2026Q5"}, "period"), ({"period": "26Q1"}, "period"),
        ({"top_n": 0}, "top_n"), ({"top_n": 501}, "top_n"), ({"title": ""}, "title"), ({"extra": 1}, "extra")]
    for body, field in cases:
        resp = client.post(URL, json={"chain": chain.code, "period": "2027Q1", "title": "t", **body},
                           headers=tokens.header("operator"))
        assert resp.status_code == 422 and field in resp.text, (body, resp.text)
    for role in ("leader", "sme", "integration"):
        assert client.post(URL, json={"chain": chain.code, "period": "2027Q1", "title": "t"},
                           headers=tokens.header(role)).status_code == 403
    assert client.post(URL, json={"chain": chain.code, "period": "2027Q1", "title": "t"}).status_code == 401


def test_drafts_are_private_to_operators(client: TestClient, tokens: Tokens, small: Session) -> None:
    chain = create_chain(small)
    cat = make(client, tokens, chain.code)
    for role in ("operator", "admin"):
        assert client.get(f"{URL}/{cat['id']}", headers=tokens.header(role)).status_code == 200
    for role in ("leader", "sme", "integration"):
        assert client.get(f"{URL}/{cat['id']}", headers=tokens.header(role)).status_code == 404
        assert client.get(f"{URL}/{cat['id']}/export", headers=tokens.header(role)).status_code == 404
        listed = client.get(URL, params={"chain": chain.code}, headers=tokens.header(role)).json()
        assert listed["total"] == 0
    ops = client.get(URL, params={"chain": chain.code, "status": "draft"}, headers=tokens.header("operator")).json()
    assert [c["id"] for c in ops["items"]] == [cat["id"]]
    assert client.get(URL, params={"chain": "nope"}, headers=tokens.header("operator")).status_code == 422
    assert client.get(URL, params={"period": "2026Q9"}, headers=tokens.header("operator")).status_code == 422
    assert client.get(f"{URL}/999999", headers=tokens.header("operator")).status_code == 404


def test_items_rules(client: TestClient, tokens: Tokens, small: Session) -> None:
    cat = make(client, tokens, create_chain(small).code)
    items = f"{URL}/{cat['id']}/items"
    own = create_need(small, title="采购六氟磷酸锂", nodes=("六氟磷酸锂",))
    foreign_draft = create_need(small, poster="100001", title="宁德草稿")
    foreign_pub = create_need(small, poster="100001", title="宁德已发布", status="published")
    closed = create_need(small, title="已关闭", status="closed")
    # The leader adds its own need; another firm's draft is unknown to it, another firm's published need is not its.
    added = client.post(items, json={"need": own.id}, headers=tokens.header("leader"))
    assert added.status_code == 201, added.text
    assert [i["need_id"] for i in added.json()["items"]] == [own.id]
    assert client.post(items, json={"need": foreign_draft.id}, headers=tokens.header("leader")).status_code == 422
    assert client.post(items, json={"need": foreign_pub.id}, headers=tokens.header("leader")).status_code == 403
    assert client.post(items, json={"need": own.id}, headers=tokens.header("sme")).status_code == 403
    op = tokens.header("operator")
    assert client.post(items, json={"need": foreign_pub.id}, headers=op).status_code == 201
    assert client.post(items, json={"need": own.id}, headers=op).status_code == 409  # already in it
    assert client.post(items, json={"need": closed.id}, headers=op).status_code == 409
    assert client.post(items, json={"need": 9_999_999}, headers=op).status_code == 422
    other = make(client, tokens, create_chain(small).code)
    assert client.post(f"{URL}/{other['id']}/items", json={"need": own.id}, headers=op).status_code == 409
    # Removing: the leader only its own.
    assert client.delete(f"{items}/{foreign_pub.id}", headers=tokens.header("leader")).status_code == 403
    assert client.delete(f"{items}/{foreign_pub.id}", headers=op).status_code == 204
    assert client.delete(f"{items}/{foreign_pub.id}", headers=op).status_code == 404
    body = client.get(f"{URL}/{cat['id']}", headers=op).json()
    assert body["counts"]["items"] == 1 and body["counts"]["by_kind"] == {"procurement": 1}
    audited = small.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action.in_(["catalogue.item_add", "catalogue.item_remove"])))
    assert audited == 3


def test_state_flow_history_and_locking(client: TestClient, tokens: Tokens, small: Session) -> None:
    cat = make(client, tokens, create_chain(small).code)
    base, op = f"{URL}/{cat['id']}", tokens.header("operator")
    assert client.post(f"{base}/publish", headers=op).status_code == 409  # draft: not reviewed
    assert client.post(f"{base}/close", headers=op).status_code == 409
    assert client.post(f"{base}/submit", headers=op).json()["status"] == "in_review"
    assert client.post(f"{base}/submit", headers=op).status_code == 409
    empty = client.post(f"{base}/publish", headers=op)
    assert empty.status_code == 409 and "empty" in empty.text
    assert client.post(f"{base}/reopen", headers=op).json()["status"] == "draft"
    need = create_need(small)
    assert client.post(f"{base}/items", json={"need": need.id}, headers=op).status_code == 201
    assert client.post(f"{base}/submit", headers=tokens.header("leader")).status_code == 403
    assert client.post(f"{base}/submit", headers=op).status_code == 200
    published = client.post(f"{base}/publish", headers=op)
    assert published.status_code == 202, published.text
    assert published.json()["job"]["status"] == "queued" and published.json()["catalogue"]["status"] == "published"
    # Locked once published.
    extra = create_need(small, title="追加")
    assert client.post(f"{base}/items", json={"need": extra.id}, headers=op).status_code == 409
    assert client.delete(f"{base}/items/{need.id}", headers=op).status_code == 409
    assert client.post(f"{base}/publish", headers=op).status_code == 409
    assert client.post(f"{base}/reopen", headers=op).status_code == 409
    assert client.post(f"{base}/close", headers=op).json()["status"] == "closed"
    history = client.get(f"{base}/history", headers=op).json()
    assert [h["action"] for h in history] == ["create", "submit", "reopen", "item_added", "submit", "publish",
                                              "close"]
    assert history[-1]["from_status"] == "published" and history[-1]["to_status"] == "closed"
    assert all(h["principal_id"] for h in history)
    assert client.get(f"{base}/history", headers=tokens.header("sme")).status_code == 403


def test_publication_runs_as_a_job(client: TestClient, tokens: Tokens, small: Session,
                                   session_factory: sessionmaker[Session]) -> None:
    cat = make(client, tokens, create_chain(small).code, top_n=5)
    base, op = f"{URL}/{cat['id']}", tokens.header("operator")
    needs = [create_need(small, title="采购碳酸锂"),
             create_need(small, title="采购电解液", nodes=("电解液",), anonymous=True, budget_min=100.0,
                         budget_max=300.0)]
    for n in needs:
        assert client.post(f"{base}/items", json={"need": n.id}, headers=op).status_code == 201
    client.post(f"{base}/submit", headers=op)
    job = client.post(f"{base}/publish", headers=op).json()["job"]
    # Nothing is delivered inside the request.
    assert small.scalar(select(func.count()).select_from(Opportunity)) == 0
    assert client.get(f"/api/v1/jobs/{job['id']}", headers=tokens.header("admin")).json()["status"] == "queued"
    for role in ("leader", "sme", "integration"):
        assert client.get(f"/api/v1/jobs/{job['id']}", headers=tokens.header(role)).status_code == 404
    assert run_once(session_factory, job_registry(), index=client.app.state.index, batch_size=1) == 1  # type: ignore[attr-defined]
    done = client.get(f"/api/v1/jobs/{job['id']}", headers=op).json()
    assert done["status"] == "done" and done["done"] == done["total"] == 2, done
    assert done["result"]["published"] == 2 and done["result"]["reached"] > 0
    small.expire_all()
    for n in needs:
        need = small.get(Need, n.id)
        assert need is not None and need.status == "published" and need.published_at is not None
        assert small.scalar(select(func.count()).select_from(NeedVersion).where(NeedVersion.need_id == n.id)) == 1
    reached = small.scalar(select(func.count()).select_from(Opportunity)) or 0
    assert reached == done["result"]["reached"]
    events = dict(small.execute(select(Notification.event, func.count()).group_by(Notification.event)).all())
    assert events["opportunity.new"] == reached and events["catalogue.published"] == 2  # operator + the leader
    # Now public; the anonymous need's poster is hidden from others, not from the poster itself.
    seen = client.get(base, headers=tokens.header("sme")).json()
    assert seen["counts"]["delivered"] == reached
    posters = {i["title"]: i["poster"] for i in seen["items"]}
    assert posters["采购电解液"] is None and posters["采购碳酸锂"]["code"] == "100006"
    mine = client.get(base, headers=tokens.header("leader")).json()
    assert all(i["poster"] for i in mine["items"])
    assert client.get(base + "/history", headers=op).json()[-1]["action"] == "delivered"
    assert client.get(URL, headers=tokens.header("sme")).json()["total"] == 1


def test_a_leader_adding_to_a_draft_sees_only_its_own_items(client: TestClient, tokens: Tokens,
                                                              small: Session) -> None:
    cat = make(client, tokens, create_chain(small).code)
    other = create_need(small, poster="100001", title="宁德的草稿")
    mine = create_need(small, title="比亚的需求")
    assert client.post(f"{URL}/{cat['id']}/items", json={"need": other.id},
                       headers=tokens.header("operator")).status_code == 201
    added = client.post(f"{URL}/{cat['id']}/items", json={"need": mine.id}, headers=tokens.header("leader"))
    assert [i["title"] for i in added.json()["items"]] == ["比亚的需求"]
    # Published but not yet delivered by the job: other firms' items are still drafts and stay hidden.
    client.post(f"{URL}/{cat['id']}/submit", headers=tokens.header("operator"))
    client.post(f"{URL}/{cat['id']}/publish", headers=tokens.header("operator"))
    assert client.get(f"{URL}/{cat['id']}", headers=tokens.header("sme")).json()["items"] == []


def test_title_and_reach_change_until_publication(client: TestClient, tokens: Tokens, small: Session) -> None:
    from tests.app.catalogues.helpers import create_chain

    made = client.post("/api/v1/catalogues", json={"chain": create_chain(small).code, "period": "2027Q1",
                                                   "title": "草稿目录"}, headers=tokens.header("operator")).json()
    url = f"/api/v1/catalogues/{made['id']}"
    changed = client.patch(url, json={"title": "2027年第一季度目录", "top_n": 80}, headers=tokens.header("operator"))
    assert changed.status_code == 200 and changed.json()["title"] == "2027年第一季度目录"
    assert changed.json()["top_n"] == 80
    for body, field in [({"top_n": 0}, "top_n"), ({"title": ""}, "title"), ({"title": None}, "title"),
                        ({"status": "published"}, "status")]:
        resp = client.patch(url, json=body, headers=tokens.header("operator"))
        assert resp.status_code == 422 and field in resp.text, (body, resp.text)
    history = client.get(f"{url}/history", headers=tokens.header("operator")).json()
    assert [e["action"] for e in history][-1] == "edit"
    assert client.patch(url, json={"top_n": 5}, headers=tokens.header("leader")).status_code == 403
