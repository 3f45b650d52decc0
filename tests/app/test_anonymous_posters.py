"""Issue #8, hole 5: an anonymous poster stays unknown to other firms on every route, payload, webhook and export.

Only the posting firm's members and staff who manage the need learn who posted it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.models import Catalogue, Notification
from app.models._types import utcnow
from app.webhooks.dispatcher import Dispatcher
from tests.app.catalogues.helpers import create_chain, create_need
from tests.app.challenges.helpers import URL as CHALLENGES
from tests.app.challenges.helpers import apply, published
from tests.app.conftest import Tokens, make_client
from tests.app.needs.helpers import URL as NEEDS
from tests.app.needs.helpers import org, published_need

POSTER_TRACES = ("100006", "比亚汽车", "buyer@byd.example.cn", "t-leader")


def traces(text: str) -> list[str]:
    return [t for t in POSTER_TRACES if t in text]


def test_application_history_does_not_name_an_anonymous_poster(client: TestClient, tokens: Tokens,
                                                               small: Session) -> None:
    hidden = published(client, tokens, anonymous=True)
    shown = published(client, tokens)
    for challenge in (hidden, shown):
        made = apply(client, tokens, challenge["id"])
        decided = client.put(f"{CHALLENGES}/{challenge['id']}/applications/{made['id']}",
                             json={"status": "shortlisted"}, headers=tokens.header("leader"))
        assert decided.status_code == 200, decided.text
    mine = client.get("/api/v1/me/applications", headers=tokens.header("sme"))
    assert mine.status_code == 200
    steps = {a["challenge_id"]: a["history"] for a in mine.json()["items"]}
    # The applicant's own step keeps who took it; the poster's step says what happened, not who did it.
    own, theirs = steps[hidden["id"]]
    assert own["action"] == "apply" and own["org_id"] == org(small, "100002") and own["by_name"] == "t-sme"
    assert theirs["action"] == "decide" and theirs["status"] == "shortlisted"
    assert not {"by", "by_name", "org_id"} & set(theirs)
    assert steps[shown["id"]][1]["by_name"] == "t-leader"  # a poster that did not hide is named as before
    hidden_part = json.dumps([a for a in mine.json()["items"] if a["challenge_id"] == hidden["id"]],
                             ensure_ascii=False)
    assert traces(hidden_part) == []
    # Withdrawing answers with the same redacted history; the poster and staff still see who decided.
    app_id = next(a["id"] for a in mine.json()["items"] if a["challenge_id"] == hidden["id"])
    withdrawn = client.post(f"/api/v1/me/applications/{app_id}/withdraw", headers=tokens.header("sme"))
    assert withdrawn.status_code == 200 and traces(withdrawn.text) == []
    for role in ("leader", "operator", "admin"):
        listed = client.get(f"{CHALLENGES}/{hidden['id']}/applications", headers=tokens.header(role)).json()
        assert listed["items"][0]["history"][1]["by_name"] == "t-leader"


@pytest.fixture()
def local_hooks(migrated_url: str, session_factory: sessionmaker[Session], tokens: Tokens) -> Iterator[TestClient]:
    """A client whose webhooks may point at this machine: the deliveries below go to a mock transport anyway."""
    with make_client(migrated_url, session_factory, build_index=True, webhook_allow_private=True) as c:
        yield c


def test_answer_notification_and_webhook_do_not_name_an_anonymous_poster(
        local_hooks: TestClient, tokens: Tokens, small: Session, session_factory: sessionmaker[Session]) -> None:
    client = local_hooks
    sent: list[bytes] = []
    hook = client.post("/api/v1/webhooks", json={"url": "http://127.0.0.1:9/hook"}, headers=tokens.header("sme"))
    assert hook.status_code == 201, hook.text
    hidden = published_need(client, tokens, anonymous=True)["id"]
    shown = published_need(client, tokens, title="采购氢氧化锂")["id"]
    for nid in (hidden, shown):
        assert client.post(f"/api/v1/me/opportunities/{nid}/interest", json={"message": "可供货"},
                           headers=tokens.header("sme")).status_code == 200
        assert client.post(f"{NEEDS}/{nid}/interests/100002/answer", json={"accept": True, "message": "欢迎"},
                           headers=tokens.header("leader")).status_code == 200
    answers = {n.payload["need_id"]: n for n in small.scalars(
        select(Notification).where(Notification.event == "interest.answered"))}
    assert "poster" not in answers[hidden].payload and traces(json.dumps(answers[hidden].payload)) == []
    assert answers[shown].payload["poster"]["code"] == "100006"  # both agreed on a need that names its poster
    inbox = client.get("/api/v1/me/notifications", params={"event": "interest.answered"},
                       headers=tokens.header("sme")).json()["items"]
    assert traces(json.dumps([i for i in inbox if i["payload"]["need_id"] == hidden], ensure_ascii=False)) == []

    def receive(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        return httpx.Response(204)

    Dispatcher(session_factory, allow_private=True,
               transport=httpx.MockTransport(receive)).run_once(utcnow() + timedelta(seconds=1))
    bodies = [json.loads(b) for b in sent]
    answered = {b["payload"]["need_id"]: b for b in bodies if b["event"] == "interest.answered"}
    assert set(answered) == {hidden, shown}
    assert traces(json.dumps(answered[hidden], ensure_ascii=False)) == []


def test_feed_shows_no_contact_of_an_anonymous_poster_even_after_agreement(client: TestClient,
                                                                            tokens: Tokens) -> None:
    nid = published_need(client, tokens, anonymous=True)["id"]
    client.post(f"/api/v1/me/opportunities/{nid}/interest", json={}, headers=tokens.header("sme"))
    client.put(f"{NEEDS}/{nid}/candidates/100002", json={"status": "selected"}, headers=tokens.header("leader"))
    item = client.get(f"/api/v1/me/opportunities/{nid}", headers=tokens.header("sme"))
    assert item.json()["agreed"] and item.json()["poster_contact"] is None and item.json()["need"]["poster"] is None
    feed = client.get("/api/v1/me/opportunities", headers=tokens.header("sme"))
    assert traces(item.text) == [] and traces(feed.text) == []
    # The poster still reaches the firm: it sees the SME's contact once both agreed.
    interests = client.get(f"{NEEDS}/{nid}/interests", headers=tokens.header("leader")).json()
    assert interests["items"][0]["contact"]["phone"] == "0531-80000000"


def test_catalogue_items_and_export_follow_the_needs_budget_and_poster_rules(client: TestClient, tokens: Tokens,
                                                                             small: Session) -> None:
    chain = create_chain(small)
    cat = Catalogue(chain_id=chain.id, period="2026Q4", title="预算目录", status="published", top_n=3,
                    published_at=utcnow())
    small.add(cat)
    small.flush()
    open_need = create_need(small, title="在办采购", status="published", budget_min=100.0, budget_max=200.0,
                            anonymous=True)
    closed = create_need(small, title="已结采购", status="closed", published_at=utcnow(), budget_min=300.0,
                         budget_max=400.0)
    open_need.catalogue_id = closed.catalogue_id = cat.id
    small.commit()
    url = f"/api/v1/catalogues/{cat.id}"
    budgets = {i["title"]: (i["budget_min"], i["budget_max"], i["poster"])
               for i in client.get(url, headers=tokens.header("sme")).json()["items"]}
    # Once closed, a need's budget is the poster's and staff's again, in the catalogue as on the need itself.
    assert budgets["已结采购"][:2] == (None, None) and budgets["在办采购"] == (100.0, 200.0, None)
    assert client.get(f"{NEEDS}/{closed.id}", headers=tokens.header("sme")).json()["budget_min"] is None
    rows = {r["需求名称"]: r for r in csv.DictReader(io.StringIO(
        client.get(f"{url}/export", params={"format": "csv"}, headers=tokens.header("sme")).content
        .decode("utf-8-sig")))}
    assert rows["已结采购"]["预算下限(万元)"] == rows["已结采购"]["预算上限(万元)"] == ""
    assert rows["在办采购"]["预算下限(万元)"] == "100" and rows["在办采购"]["发布单位"] == "匿名"
    staff = {i["title"]: i["budget_min"] for i in client.get(url, headers=tokens.header("operator")).json()["items"]}
    assert staff == {"在办采购": 100.0, "已结采购": 300.0}
