"""Web pages: password login with CSRF, cookie flags, role workbenches, escaping of stored text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.auth.web_sessions import create_user
from app.models import AuditEntry, Enterprise, Need, Opportunity
from app.models._types import utcnow
from tests.app.conftest import Tokens, make_client

PASSWORD = "correct horse battery"


@pytest.fixture()
def web(migrated_url: str, session_factory: sessionmaker[Session], tokens: Tokens,
        small: Session) -> Iterator[TestClient]:
    create_user(small, login="leader1", password=PASSWORD, role="leader", name="链主用户", org_code="100006")
    create_user(small, login="sme1", password=PASSWORD, role="sme", name="<b>中小</b>", org_code="100002")
    small.commit()
    with make_client(migrated_url, session_factory, build_index=True, cookie_secure=False) as client:
        yield client


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def log_in(client: TestClient, login: str, password: str = PASSWORD) -> str:
    form = client.get("/login")
    resp = client.post("/login", data={"login": login, "password": password, "csrf": csrf_of(form.text)},
                       follow_redirects=False)
    assert resp.status_code == 303, resp.text
    cookie = resp.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    return client.get("/").text


def test_login_needs_password_and_csrf(web: TestClient, small: Session) -> None:
    assert web.get("/", follow_redirects=False).headers["location"] == "/login"
    form = web.get("/login")
    assert "登录" in form.text and "default-src 'none'" in form.headers["content-security-policy"]
    bad = web.post("/login", data={"login": "sme1", "password": "wrong password", "csrf": csrf_of(form.text)})
    assert bad.status_code == 401 and "用户名或密码错误" in bad.text
    forged = web.post("/login", data={"login": "sme1", "password": PASSWORD, "csrf": "forged"})
    assert forged.status_code == 403
    page = log_in(web, "sme1")
    assert "我的机会" in page
    assert "&lt;b&gt;中小&lt;/b&gt;" in page and "<b>中小</b>" not in page  # names are text, never markup
    out = web.post("/logout", data={"csrf": "wrong"})
    assert out.status_code == 403
    web.post("/logout", data={"csrf": csrf_of(page)}, follow_redirects=False)
    assert web.get("/", follow_redirects=False).status_code == 303
    actions = list(small.scalars(select(AuditEntry.action).where(AuditEntry.entity == "principal")))
    assert actions.count("session.login") == 1 and actions.count("session.logout") == 1


def test_workbenches_show_what_is_theirs(web: TestClient, small: Session) -> None:
    leader = small.scalar(select(Enterprise).where(Enterprise.code == "100006"))
    sme = small.scalar(select(Enterprise).where(Enterprise.code == "100002"))
    assert leader is not None and sme is not None
    need = Need(poster_org_id=leader.id, kind="procurement", title="采购碳酸锂<script>alert(1)</script>",
                description="电池级碳酸锂", scope="node", status="published",
                deadline=date.today() + timedelta(days=20),
                required_certifications=[])
    other = Need(poster_org_id=sme.id, kind="procurement", title="别家的需求", description="", scope="node",
                 status="draft", required_certifications=[])
    small.add_all([need, other])
    small.flush()
    small.add(Opportunity(need_id=need.id, enterprise_id=sme.id, score=0.8, explanation={"summary": "生产碳酸锂"},
                          delivered_at=utcnow()))
    small.commit()
    page = log_in(web, "sme1")
    assert "采购碳酸锂&lt;script&gt;" in page and "<script>" not in page and "生产碳酸锂" in page
    web.cookies.clear()
    log_in(web, "leader1")
    page = web.get("/needs").text
    assert "我的需求" in page and "采购碳酸锂" in page and "别家的需求" not in page
    detail = web.get(f"/needs/{need.id}")
    assert detail.status_code == 200 and "推荐企业" in detail.text and "100002" in detail.text
    assert web.get(f"/needs/{other.id}").status_code == 404


def test_sme_answers_from_the_web_page(web: TestClient, small: Session) -> None:
    leader = small.scalar(select(Enterprise).where(Enterprise.code == "100006"))
    sme = small.scalar(select(Enterprise).where(Enterprise.code == "100002"))
    assert leader is not None and sme is not None
    needs = [Need(poster_org_id=leader.id, kind="procurement", title=title, description="", scope="node",
                  status="published", published_at=utcnow(), deadline=date.today() + timedelta(days=20),
                  required_certifications=[]) for title in ("采购碳酸锂", "采购锂矿")]
    small.add_all(needs)
    small.flush()
    for n in needs:
        small.add(Opportunity(need_id=n.id, enterprise_id=sme.id, score=0.5, explanation={"summary": "匹配"},
                              delivered_at=utcnow()))
    small.commit()
    log_in(web, "sme1")
    page = web.get("/feed").text
    assert page.count("未响应") == 2
    detail = web.get(f"/needs/{needs[0].id}").text
    assert "表达意向" in detail and "不感兴趣" in detail
    bad = web.post(f"/feed/{needs[0].id}/interest", data={"csrf": "forged", "message": "x"})
    assert bad.status_code == 403 and "安全校验失败" in bad.text and "返回工作台" in bad.text
    web.post(f"/feed/{needs[0].id}/interest", data={"csrf": csrf_of(page), "message": "可供货"})
    web.post(f"/feed/{needs[1].id}/dismiss", data={"csrf": csrf_of(page)})
    page = web.get("/feed").text
    assert "已表达意向" in page and "采购锂矿" not in page
    again = web.post(f"/feed/{needs[0].id}/interest", data={"csrf": csrf_of(page), "message": "再次"})
    assert again.status_code == 409 and "操作冲突" in again.text and 'href="/"' in again.text
    opp = small.scalar(select(Opportunity).where(Opportunity.need_id == needs[0].id))
    assert opp is not None and opp.sme_message == "可供货"


def test_the_leaders_need_page_says_which_firms_also_make_its_products(web: TestClient, small: Session) -> None:
    leader = small.scalar(select(Enterprise).where(Enterprise.code == "100006"))
    assert leader is not None
    need = Need(poster_org_id=leader.id, kind="procurement", title="采购锂电池",
                description="我司为储能电池生产企业，采购锂电池", scope="node", status="draft",
                deadline=date.today() + timedelta(days=20), required_certifications=[])
    small.add(need)
    small.commit()
    log_in(web, "leader1")
    detail = web.get(f"/needs/{need.id}").text
    # 100001 (宁德新能) lists 锂电池 beside 储能电池, the poster's own product
    row = detail[detail.index('id="firm-100001"'):]
    assert "需求方自身的产品" in row[: row.index("</tr>")]
