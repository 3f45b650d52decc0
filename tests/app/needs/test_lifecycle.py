"""One lifecycle for every kind of need: a need, a challenge and a catalogue item are created, published with a
frozen first version, and judged against their deadline the same way (app/needs/lifecycle.py)."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Need, NeedVersion
from app.needs import lifecycle
from tests.app.challenges.helpers import challenge_body
from tests.app.conftest import Tokens
from tests.app.needs.helpers import post_need


def test_a_challenge_is_published_like_a_need_with_its_first_version(client: TestClient, tokens: Tokens,
                                                                     small: Session) -> None:
    leader = tokens.header("leader")
    challenge = client.post("/api/v1/challenges", json=challenge_body(), headers=leader).json()
    need = post_need(client, tokens)
    assert client.post(f"/api/v1/challenges/{challenge['id']}/publish", headers=leader).status_code == 200
    assert client.post(f"/api/v1/needs/{need['id']}/publish", json={"top_n": 5}, headers=leader).status_code == 200
    for need_id in (challenge["id"], need["id"]):
        versions = small.scalars(select(NeedVersion).where(NeedVersion.need_id == need_id)).all()
        assert [v.version for v in versions] == [1]
        assert versions[0].snapshot["nodes"] == ["碳酸锂"] and set(lifecycle.CONTENT_FIELDS) < set(versions[0].snapshot)


def test_the_deadline_day_itself_is_open_for_every_kind_of_need() -> None:
    today = date(2026, 11, 27)
    for kind in ("procurement", "technology"):
        need = Need(kind=kind, title="t", deadline=today)
        assert not lifecycle.deadline_passed(need, today)
        need.deadline = today - timedelta(days=1)
        assert lifecycle.deadline_passed(need, today)
        need.deadline = None
        assert not lifecycle.deadline_passed(need, today)
