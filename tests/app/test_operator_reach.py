"""Issue #8, hole 6: an operator limited to regions or chains stays inside them on every route.

The leader's firm 100006 sits in Qingdao; firm 100001 is made a second chain leader, in Jinan, where the SME 100002
is too. The Jinan operator reaches the Jinan firms' needs and nothing of Qingdao's; the chain operator reaches the
needs filed in its chain's catalogues only.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.auth.tokens import create_token
from app.auth.web_sessions import create_user
from app.catalogues.tabular import COLUMNS
from app.models import Catalogue, Enterprise, Need, Principal
from tests.app.catalogues.helpers import create_need
from tests.app.challenges.helpers import URL as CHALLENGES
from tests.app.challenges.helpers import apply, post_challenge
from tests.app.conftest import Tokens, make_client
from tests.app.needs.helpers import URL as NEEDS
from tests.app.needs.helpers import post_need

CATALOGUES = "/api/v1/catalogues"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Place:
    jinan_op: dict[str, str]
    jinan_leader: dict[str, str]


@pytest.fixture()
def place(tokens: Tokens, small: Session) -> Place:
    for code, city, kind in (("100006", "青岛市", "leader"), ("100001", "济南市", "leader")):
        firm = small.scalar(select(Enterprise).where(Enterprise.code == code))
        assert firm is not None
        firm.province, firm.city, firm.kind = "山东省", city, kind
    op = create_token(small, role="operator", name="济南工信", regions=["山东省/济南市"])[0]
    leader = create_token(small, role="leader", name="宁德采购", org_code="100001")[0]
    small.commit()
    return Place(jinan_op=bearer(op), jinan_leader=bearer(leader))


def test_draft_needs_of_other_regions_are_not_listed_read_or_changed(client: TestClient, tokens: Tokens,
                                                                     place: Place) -> None:
    qingdao = post_need(client, tokens, title="青岛草稿")
    jinan = client.post(NEEDS, json={"kind": "procurement", "title": "济南草稿", "nodes": ["碳酸锂"]},
                        headers=place.jinan_leader).json()
    listed = client.get(NEEDS, headers=place.jinan_op).json()
    assert [n["title"] for n in listed["items"]] == ["济南草稿"] and listed["total"] == 1
    assert client.get(NEEDS, params={"status": "draft"}, headers=tokens.header("operator")).json()["total"] == 2
    for method, path in (("GET", ""), ("PATCH", ""), ("POST", "/publish"), ("GET", "/matches"),
                         ("GET", "/interests"), ("GET", "/versions")):
        resp = client.request(method, f"{NEEDS}/{qingdao['id']}{path}", json={"title": "改"} if method == "PATCH"
                              else None, headers=place.jinan_op)
        assert resp.status_code == 404, (method, path, resp.text)
    assert client.get(f"{NEEDS}/{jinan['id']}/matches", headers=place.jinan_op).status_code == 200
    assert client.post(f"{NEEDS}/{jinan['id']}/publish", headers=place.jinan_op).status_code == 200
    # Published, Qingdao's need is public reading, but it is still not the Jinan office's to manage.
    client.post(f"{NEEDS}/{qingdao['id']}/publish", headers=tokens.header("leader"))
    assert client.get(f"{NEEDS}/{qingdao['id']}", headers=place.jinan_op).json()["budget_min"] == 1_000_000
    for method, path in (("POST", "/close"), ("GET", "/matches"), ("GET", "/interests")):
        assert client.request(method, f"{NEEDS}/{qingdao['id']}{path}", headers=place.jinan_op).status_code == 403


def test_challenges_and_applications_of_other_regions(client: TestClient, tokens: Tokens, place: Place) -> None:
    qingdao = post_challenge(client, tokens, title="青岛攻关")
    jinan = client.post(CHALLENGES, json={"title": "济南攻关", "deadline": "2999-01-01", "nodes": ["碳酸锂"]},
                        headers=place.jinan_leader).json()
    assert [c["title"] for c in client.get(CHALLENGES, headers=place.jinan_op).json()["items"]] == ["济南攻关"]
    assert client.get(f"{CHALLENGES}/{qingdao['id']}", headers=place.jinan_op).status_code == 404
    assert client.post(f"{CHALLENGES}/{qingdao['id']}/publish", headers=place.jinan_op).status_code == 404
    assert client.post(f"{CHALLENGES}/{jinan['id']}/publish", headers=place.jinan_op).status_code == 200
    client.post(f"{CHALLENGES}/{qingdao['id']}/publish", headers=tokens.header("leader"))
    for cid in (qingdao["id"], jinan["id"]):
        apply(client, tokens, cid)
    seen = client.get(f"{CHALLENGES}/{qingdao['id']}", headers=place.jinan_op).json()
    assert seen["delivered_to"] is None  # read as anyone reads it, not as its manager
    assert client.get(f"{CHALLENGES}/{qingdao['id']}/applications", headers=place.jinan_op).status_code == 403
    assert client.post(f"{CHALLENGES}/{qingdao['id']}/close", headers=place.jinan_op).status_code == 403
    assert client.get(f"{CHALLENGES}/{jinan['id']}/applications", headers=place.jinan_op).json()["total"] == 1


def test_offers_are_ranked_only_for_needs_in_reach(client: TestClient, tokens: Tokens, place: Place) -> None:
    client.post("/api/v1/offers", json={"kind": "result", "title": "碳酸锂提纯技术", "nodes": ["碳酸锂"]},
                headers=tokens.header("sme"))
    qingdao = post_need(client, tokens)
    jinan = client.post(NEEDS, json={"kind": "procurement", "title": "济南采购碳酸锂", "nodes": ["碳酸锂"]},
                        headers=place.jinan_leader).json()
    ranked = "/api/v1/offers/matches"
    assert client.get(ranked, params={"need": qingdao["id"]}, headers=place.jinan_op).status_code == 404
    client.post(f"{NEEDS}/{qingdao['id']}/publish", headers=tokens.header("leader"))
    assert client.get(ranked, params={"need": qingdao["id"]}, headers=place.jinan_op).status_code == 403
    assert client.get(ranked, params={"need": jinan["id"]}, headers=place.jinan_op).status_code == 200


def _prefix(token: str) -> str:
    return token.split("_")[1]


def test_tokens_only_of_firms_in_reach_and_never_without_expiry(client: TestClient, tokens: Tokens,
                                                                place: Place) -> None:
    listed = {t["prefix"]: t["org"] for t in client.get("/api/v1/tokens", headers=place.jinan_op).json()}
    assert set(listed.values()) == {"100001", "100002"}  # the Jinan leader's and the Jinan SME's
    assert client.delete(f"/api/v1/tokens/{_prefix(tokens.other_sme)}", headers=place.jinan_op).status_code == 404
    assert client.delete(f"/api/v1/tokens/{_prefix(tokens.leader)}", headers=place.jinan_op).status_code == 404
    assert client.delete(f"/api/v1/tokens/{_prefix(tokens.sme)}", headers=place.jinan_op).status_code == 200
    issue = "/api/v1/tokens"
    assert client.post(issue, json={"role": "sme", "org": "100003", "name": "x"},
                       headers=place.jinan_op).status_code == 403
    assert client.post(issue, json={"role": "integration", "name": "x"}, headers=place.jinan_op).status_code == 403
    made = client.post(issue, json={"role": "sme", "org": "100002", "name": "济南中小"}, headers=place.jinan_op)
    assert made.status_code == 201 and made.json()["expires_at"] is not None
    for caller in (place.jinan_op, tokens.header("operator")):
        for days in (0, 366):
            never = client.post(issue, json={"role": "sme", "org": "100002", "name": "x", "days": days},
                                headers=caller)
            assert never.status_code == 422 and "days" in never.text
    forever = client.post(issue, json={"role": "integration", "name": "x", "days": 0},
                          headers=tokens.header("operator"))
    assert forever.status_code == 422
    admin = client.post(issue, json={"role": "integration", "name": "x", "days": 0}, headers=tokens.header("admin"))
    assert admin.status_code == 201 and admin.json()["expires_at"] is None
    # An operator limited to chains issues no firm tokens at all: a firm's token acts in every chain.
    assert client.get(issue, headers=tokens.header("op_chain")).json() == []
    assert client.post(issue, json={"role": "sme", "org": "100002", "name": "x"},
                       headers=tokens.header("op_chain")).status_code == 403


def _chain_operator(client: TestClient, tokens: Tokens) -> dict[str, str]:
    for code, root in (("libattery", "锂电池"), ("cathode", "正极材料")):
        assert client.post("/api/v1/chains", json={"code": code, "name": code, "root": root},
                           headers=tokens.header("admin")).status_code == 201
    made = client.post("/api/v1/tokens", json={"role": "operator", "name": "锂电池链长办", "chains": ["libattery"]},
                       headers=tokens.header("admin"))
    return bearer(made.json()["token"])


def test_catalogues_of_other_chains(client: TestClient, tokens: Tokens, small: Session) -> None:
    op = _chain_operator(client, tokens)
    admin = tokens.header("admin")
    draft = client.post(CATALOGUES, json={"chain": "cathode", "period": "2026Q4", "title": "正极目录"},
                        headers=admin).json()
    mine = client.post(CATALOGUES, json={"chain": "libattery", "period": "2026Q4", "title": "锂电目录"},
                       headers=op).json()
    need = create_need(small, title="正极草稿需求")
    own = create_need(small, title="锂电草稿需求")
    small.commit()
    client.post(f"{CATALOGUES}/{draft['id']}/items", json={"need": need.id}, headers=admin)
    client.post(f"{CATALOGUES}/{mine['id']}/items", json={"need": own.id}, headers=admin)
    assert [c["title"] for c in client.get(CATALOGUES, headers=op).json()["items"]] == ["锂电目录"]
    for method, path in (("GET", ""), ("GET", "/history"), ("GET", "/export?format=csv"), ("PATCH", ""),
                         ("POST", "/submit"), ("POST", "/items")):
        body = {"top_n": 3} if method == "PATCH" else {"need": own.id} if path == "/items" else None
        resp = client.request(method, f"{CATALOGUES}/{draft['id']}{path}", json=body, headers=op)
        assert resp.status_code == 404, (method, path, resp.text)
    upload = client.post(f"{CATALOGUES}/{draft['id']}/import", headers=op,
                         files={"file": ("x.csv", ",".join(COLUMNS).encode(), "text/csv")})
    assert upload.status_code == 404
    # The need filed in the other chain's catalogue is out of reach too; the one in its own chain is its to manage.
    assert client.get(f"{NEEDS}/{need.id}", headers=op).status_code == 404
    assert client.patch(f"{NEEDS}/{own.id}", json={"quantity": "10吨"}, headers=op).status_code == 200
    # Published, the other chain's catalogue is public reading, but its history is still the staff's of that chain.
    for action in ("submit", "publish"):
        client.post(f"{CATALOGUES}/{draft['id']}/{action}", headers=admin)
    assert client.get(f"{CATALOGUES}/{draft['id']}", headers=op).status_code == 200
    assert client.get(f"{CATALOGUES}/{draft['id']}/history", headers=op).status_code == 403
    assert client.post(f"{CATALOGUES}/{draft['id']}/close", headers=op).status_code == 403


def _csv(*rows: dict[str, str]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([row.get(c, "") for c in COLUMNS])
    return buf.getvalue().encode("utf-8-sig")


def test_imports_file_needs_only_for_chain_leaders_in_reach(client: TestClient, tokens: Tokens, small: Session,
                                                            place: Place) -> None:
    made = client.post(CATALOGUES, json={"chain": _any_chain(client, tokens), "period": "2026Q4", "title": "济南目录"},
                       headers=place.jinan_op)
    assert made.status_code == 201, made.text
    url = f"{CATALOGUES}/{made.json()['id']}/import"

    def row(poster: str) -> dict[str, str]:
        return {"需求类型": "大宗物资采购", "需求名称": f"{poster}的采购", "发布单位": poster, "产业链环节": "碳酸锂"}

    bad = client.post(url, headers=place.jinan_op, files={"file": ("目录.csv", _csv(
        row("100001"), row("100006"), row("100002")), "text/csv")})
    assert bad.status_code == 422
    assert {(d["row"], d["column"]) for d in bad.json()["error"]["details"]} == {(3, "发布单位"), (4, "发布单位")}
    assert small.scalar(select(Need.id).where(Need.catalogue_id == made.json()["id"])) is None
    good = client.post(url, headers=place.jinan_op, files={"file": ("目录.csv", _csv(row("100001")), "text/csv")})
    assert good.status_code == 201 and good.json()["imported"] == 1


def _any_chain(client: TestClient, tokens: Tokens) -> str:
    client.post("/api/v1/chains", json={"code": "libattery", "name": "锂电池", "root": "锂电池"},
                headers=tokens.header("admin"))
    return "libattery"


def test_publishing_or_reading_a_catalogue_stays_within_the_regions(client: TestClient, tokens: Tokens,
                                                                    small: Session, place: Place) -> None:
    op = tokens.header("operator")
    made = client.post(CATALOGUES, json={"chain": _any_chain(client, tokens), "period": "2026Q4", "title": "全省目录"},
                       headers=op).json()
    base = f"{CATALOGUES}/{made['id']}"
    qingdao = create_need(small, title="青岛草稿")
    jinan = create_need(small, poster="100001", title="济南草稿")
    small.commit()
    for need in (qingdao, jinan):
        assert client.post(f"{base}/items", json={"need": need.id}, headers=op).status_code == 201
    detail = client.get(base, headers=place.jinan_op).json()
    assert [i["title"] for i in detail["items"]] == ["济南草稿"]
    history = client.get(f"{base}/history", headers=place.jinan_op).json()
    assert [e["detail"].get("title") for e in history if e["action"] == "item_added"] == ["济南草稿"]
    export = client.get(f"{base}/export", params={"format": "csv"}, headers=place.jinan_op).content.decode("utf-8-sig")
    assert "济南草稿" in export and "青岛草稿" not in export
    assert client.delete(f"{base}/items/{qingdao.id}", headers=place.jinan_op).status_code == 404
    assert client.post(f"{base}/submit", headers=place.jinan_op).status_code == 200
    # Publishing would publish Qingdao's draft, which this office may not publish by itself.
    refused = client.post(f"{base}/publish", headers=place.jinan_op)
    assert refused.status_code == 403
    small.expire_all()
    assert small.get(Catalogue, made["id"]).status == "in_review"  # type: ignore[union-attr]
    assert client.post(f"{base}/publish", headers=op).status_code == 202


@pytest.fixture()
def web(migrated_url: str, session_factory: sessionmaker[Session], tokens: Tokens, small: Session,
        place: Place) -> Iterator[TestClient]:
    user = create_user(small, login="jinan", password="correct horse battery", role="operator", name="济南工信")
    small.get(Principal, user.id).regions = ["山东省/济南市"]  # type: ignore[union-attr]
    small.commit()
    with make_client(migrated_url, session_factory, build_index=True, cookie_secure=False) as c:
        yield c


def test_web_workbench_lists_only_needs_in_reach(web: TestClient, tokens: Tokens, place: Place) -> None:
    qingdao = post_need(web, tokens, title="青岛草稿需求")
    web.post(NEEDS, json={"kind": "procurement", "title": "济南草稿需求", "nodes": ["碳酸锂"]},
             headers=place.jinan_leader)
    form = web.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf is not None
    web.post("/login", data={"login": "jinan", "password": "correct horse battery", "csrf": csrf.group(1)})
    page = web.get("/needs").text  # the operator's list of needs (the home page shows catalogues and jobs)
    assert "济南草稿需求" in page and "青岛草稿需求" not in page
    assert web.get(f"/needs/{qingdao['id']}").status_code == 404
