"""The operators' analytics pages: the same figures and rules as the API, in Chinese, drawn without scripts."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session, sessionmaker

from app.auth.web_sessions import create_user
from app.models import Need
from tests.app.analytics.helpers import ChainData
from tests.app.conftest import make_client

PASSWORD = "correct horse battery"


@pytest.fixture()
def web(migrated_url: str, session_factory: sessionmaker[Session], small: Session,
        data: ChainData) -> Iterator[TestClient]:
    create_user(small, login="op1", password=PASSWORD, role="operator", name="省工信厅")
    jinan = create_user(small, login="op2", password=PASSWORD, role="operator", name="济南市工信局")
    jinan.regions = ["山东省/济南市"]
    create_user(small, login="sme1", password=PASSWORD, role="sme", name="中小", org_code="TA")
    small.commit()
    with make_client(migrated_url, session_factory, build_index=True, cookie_secure=False,
                     analytics_max_age_seconds=0) as client:
        yield client


def log_in(client: TestClient, login: str) -> str:
    form = client.get("/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf
    resp = client.post("/login", data={"login": login, "password": PASSWORD, "csrf": csrf.group(1)},
                       follow_redirects=False)
    assert resp.status_code == 303
    page = client.get("/").text
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return found.group(1)


def test_overview_and_chain_page(web: TestClient) -> None:
    assert web.get("/analytics", follow_redirects=False).headers["location"] == "/login"
    log_in(web, "op1")
    overview = web.get("/analytics", params={"region": "山东省"})
    assert overview.status_code == 200 and "测试电池链" in overview.text and "66.7%" in overview.text
    page = web.get("/analytics/chains/tc", params={"region": "山东省"})
    assert page.status_code == 200
    html = page.text
    main = html[html.index("<main"):]
    assert "<svg" in main and "<script" not in main  # the graph is drawn by the server, not by a script
    assert "本地 0 家" in html and "#dc2626" in html  # 测负极: no local supplier, drawn red
    assert "短板清单" in html and "本地无供应商" in html and "企业填报" in html
    report = web.get("/analytics/chains/tc/report", params={"region": "山东省"})
    assert report.status_code == 200 and load_workbook(io.BytesIO(report.content)).sheetnames[0] == "概况"


def test_weak_link_actions_from_the_page(web: TestClient, small: Session) -> None:
    csrf = log_in(web, "op1")
    outside = web.get("/analytics/chains/tc/nodes/测负极/outside", params={"region": "山东省"})
    assert outside.status_code == 200 and "企业TC" in outside.text
    forged = web.post("/analytics/chains/tc/nodes/测负极/need", data={"poster": "TL", "csrf": "x"})
    assert forged.status_code == 403
    made = web.post("/analytics/chains/tc/nodes/测负极/need",
                    data={"poster": "TL", "region": "山东省", "min_tier": "none", "csrf": csrf},
                    follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"].startswith("/needs/")
    need = small.get(Need, int(made.headers["location"].rsplit("/", 1)[1]))
    assert need is not None and need.status == "draft" and need.delivery_region == "山东省"
    refused = web.post("/analytics/chains/tc/nodes/测负极/need", data={"poster": "TA", "csrf": csrf})
    assert refused.status_code == 403 and "无权" in refused.text


def test_quarter_page(web: TestClient, quarters: ChainData) -> None:
    log_in(web, "op1")
    page = web.get("/analytics/quarters/2026Q4", params={"chain": "tc"})
    assert page.status_code == 200 and "对接漏斗" in page.text and "2026Q3" in page.text
    assert "<svg" in page.text and "省级专精特新" in page.text
    empty = web.get("/analytics/quarters/2025Q1")
    assert empty.status_code == 200 and "均没有发布的需求" in empty.text
    assert web.get("/analytics/quarters/2026Q9").status_code == 422


def test_pages_keep_the_rules(web: TestClient) -> None:
    log_in(web, "op2")
    mine = web.get("/analytics/chains/tc")
    assert mine.status_code == 200 and "山东省/济南市" in mine.text
    assert web.get("/analytics/chains/tc", params={"region": "山东省"}).status_code == 403
    web.post("/logout", data={"csrf": log_in(web, "op2")})
    log_in(web, "sme1")
    assert web.get("/analytics").status_code == 403
