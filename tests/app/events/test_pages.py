"""The event pages: a firm registers, sees its suggestions with reasons and asks to meet; the other firm accepts;
the organiser runs the schedule from the page and sees its progress; each firm reads only its own agenda."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.auth.web_sessions import create_user
from app.background import job_registry
from app.jobs.runner import run_once
from tests.app.conftest import Tokens, make_client
from tests.app.events.helpers import make_event
from tests.app.web.test_pages import PASSWORD, csrf_of


@pytest.fixture()
def pages(migrated_url: str, session_factory: sessionmaker[Session], tokens: Tokens,
          small: Session) -> Iterator[TestClient]:
    create_user(small, login="leader1", password=PASSWORD, role="leader", name="链主用户", org_code="100006")
    create_user(small, login="sme1", password=PASSWORD, role="sme", name="中小用户", org_code="100002")
    create_user(small, login="op1", password=PASSWORD, role="operator", name="运营用户")
    small.commit()
    with make_client(migrated_url, session_factory, build_index=True, cookie_secure=False) as client:
        yield client


def as_user(client: TestClient, login: str) -> None:
    client.cookies.clear()
    form = client.get("/login")
    resp = client.post("/login", data={"login": login, "password": PASSWORD, "csrf": csrf_of(form.text)},
                       follow_redirects=False)
    assert resp.status_code == 303


def do(client: TestClient, event_id: int, action: str, **fields: object) -> str:
    page = client.get(f"/events/{event_id}")
    resp = client.post(f"/events/{event_id}/do/{action}", data={"csrf": csrf_of(page.text), **fields},
                       follow_redirects=False)
    assert resp.status_code == 303, resp.text
    return str(resp.headers["location"])


def test_event_pages_from_registration_to_agenda(pages: TestClient, small: Session,
                                                 session_factory: sessionmaker[Session]) -> None:
    event = make_event(small, status="open", title="锂电池<b>对接会</b>")
    small.commit()
    as_user(pages, "leader1")
    assert "&lt;b&gt;对接会&lt;/b&gt;" in pages.get("/events").text  # titles are text, never markup
    assert do(pages, event.id, "register", topics="采购碳酸锂", reps="王经理") == f"/events/{event.id}"
    as_user(pages, "sme1")
    do(pages, event.id, "register", topics="供应碳酸锂")
    page = pages.get(f"/events/{event.id}").text
    assert "推荐洽谈对象" in page and "匹配度" in page
    to = page.split('name="to" value="')[1].split('"')[0]
    do(pages, event.id, "request", to=to, priority="must", message="洽谈长单")
    # Bad input comes back as a Chinese message, not a 500.
    assert do(pages, event.id, "request", to="abc").endswith("error=422")
    assert "填写的内容有误" in pages.get(f"/events/{event.id}?error=422").text
    as_user(pages, "leader1")
    page = pages.get(f"/events/{event.id}").text
    assert "必须见面" in page and "接受" in page
    rid = page.split(f'action="/events/{event.id}/do/accept"')[1].split('name="id" value="')[1].split('"')[0]
    do(pages, event.id, "accept", id=rid)
    as_user(pages, "op1")
    do(pages, event.id, "schedule")
    assert "排期中" in pages.get(f"/events/{event.id}").text
    assert run_once(session_factory, job_registry(), index=pages.app.state.index) == 1  # type: ignore[attr-defined]
    page = pages.get(f"/events/{event.id}").text
    assert "已安排 1 场会谈" in page and "签到" in page
    as_user(pages, "sme1")
    page = pages.get(f"/events/{event.id}").text
    mine = page.split(f'/events/{event.id}/agenda/')[1].split('"')[0]
    agenda = pages.get(f"/events/{event.id}/agenda/{mine}")
    assert agenda.status_code == 200 and "个人日程" in agenda.text and "第1桌" in agenda.text
    ics = pages.get(f"/events/{event.id}/agenda/{mine}/calendar.ics")
    assert ics.status_code == 200 and b"BEGIN:VEVENT" in ics.content
    as_user(pages, "leader1")
    assert pages.get(f"/events/{event.id}/agenda/{mine}").status_code == 404  # another firm's agenda
    assert pages.post(f"/events/{event.id}/do/schedule", data={"csrf": "forged"}).status_code == 403
