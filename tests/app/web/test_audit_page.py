"""The audit log page reads in Chinese: every action the services record has a label, and the actor's name shows."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth.web_sessions import create_user
from app.catalogues.service import TRANSITIONS
from app.needs.schemas import CandidateStatus
from app.web.audit_labels import ACTION, ENTITY, action_label, entity_label
from tests.app.web.test_pages import log_in, web  # noqa: F401  (the fixture)

APP = Path(__file__).resolve().parents[3] / "app"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _recorded() -> set[tuple[str, str]]:
    """(action, entity) of every record(...) call in the app's source, the f-string ones expanded."""
    found = set()
    for path in APP.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for call in re.finditer(r"record\(session,.*?\)", text, flags=re.S):
            action = re.search(r'action=(f?)"([^"]+)"', call.group(0))
            entity = re.search(r'entity="([^"]+)"', call.group(0))
            if not action or not entity:
                continue
            if action.group(1):
                stem = action.group(2).split("{")[0]
                values = TRANSITIONS if stem == "catalogue." else CandidateStatus.__args__
                found |= {(stem + v, entity.group(1)) for v in values}
            else:
                found.add((action.group(2), entity.group(1)))
    return found


def test_every_recorded_action_and_record_kind_reads_in_chinese():
    recorded = _recorded()
    assert len(recorded) > 50  # the scan found the services' calls
    for action, entity in recorded:
        assert CJK.search(action_label(action, entity)), action
        assert entity in ENTITY, entity
    unused = {a for a in ACTION if a not in {r[0] for r in recorded}}
    assert not unused, unused  # a label for an action nobody records is a stale one


def test_an_unlisted_action_reads_by_its_parts_or_as_written():
    assert action_label("need.publish", "need") == "发布需求"
    assert action_label("webhook.create", "webhook") == "创建Webhook"
    assert action_label("odd.thing", "need") == "odd.thing"
    assert entity_label("nothing") == "nothing"


def test_the_page_names_the_action_the_record_and_who_did_it(web: TestClient, small: Session) -> None:  # noqa: F811
    create_user(small, login="admin1", password="correct horse battery", role="admin", name="王管理")
    small.commit()
    log_in(web, "admin1")
    page = web.get("/admin/audit")
    assert page.status_code == 200
    assert "登录" in page.text and "王管理" in page.text and "（管理员）" in page.text
    assert "<code class=\"muted\" title=\"操作代码\">session.login</code>" in page.text  # the code stays beside it
    only = web.get("/admin/audit", params={"entity": "need"})
    assert "session.login" not in only.text and '<option value="need" selected>需求</option>' in only.text
