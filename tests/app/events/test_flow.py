"""An event from set-up to outcomes through the API, as an organiser, two firms and a platform would run it."""

from __future__ import annotations

from datetime import timedelta

import icalendar
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.auth.tokens import create_token
from app.background import job_registry
from app.jobs.runner import run_once
from app.models import AuditEntry, EventMeeting, MeetingRequest, Notification
from app.models._types import utcnow
from tests.app.conftest import Tokens
from tests.app.events.helpers import URL, api


def _run_jobs(client: TestClient, factory: sessionmaker[Session]) -> None:
    assert run_once(factory, job_registry(), index=client.app.state.index) >= 1  # type: ignore[attr-defined]


def _setup(client: TestClient, tokens: Tokens) -> tuple[int, dict[str, int]]:
    op = tokens.header("operator")
    event = api(client, "POST", URL, op, 201, json={
        "title": "锂电池产业链供需对接会", "venue": "济南国际会展中心", "days": ["2026-12-10"],
        "windows": [{"start": "09:00", "end": "10:00"}], "slot_minutes": 20, "tables": 2, "meeting_cap": 3})
    assert [s["start"] for s in event["slots"]] == ["2026-12-10T09:00:00", "2026-12-10T09:20:00",
                                                    "2026-12-10T09:40:00"]
    eid = event["id"]
    # A draft is the organisers' own: firms do not see it, nor register.
    api(client, "GET", f"{URL}/{eid}", tokens.header("sme"), 404)
    api(client, "POST", f"{URL}/{eid}/transition", op, 200, json={"to": "open"})
    ids = {
        "leader": api(client, "POST", f"{URL}/{eid}/participants", tokens.header("leader"), 201,
                      json={"topics": "采购碳酸锂和氢氧化锂", "representatives": ["王经理"]})["id"],
        "sme": api(client, "POST", f"{URL}/{eid}/participants", tokens.header("sme"), 201,
                   json={"topics": "供应碳酸锂"})["id"],
        "other": api(client, "POST", f"{URL}/{eid}/participants", tokens.header("other_sme"), 201,
                     json={"topics": "采购锂矿、碳酸锂"})["id"],
        "extra": api(client, "POST", f"{URL}/{eid}/participants", op, 201, json={"enterprise": "100004"})["id"],
    }
    # Registering twice is a conflict; a firm cannot register another firm.
    api(client, "POST", f"{URL}/{eid}/participants", tokens.header("sme"), 409, json={})
    api(client, "POST", f"{URL}/{eid}/participants", tokens.header("sme"), 422, json={"enterprise": "100004"})
    return eid, ids


def test_event_from_registration_to_outcomes(client: TestClient, tokens: Tokens, small: Session,
                                             session_factory: sessionmaker[Session]) -> None:
    eid, ids = _setup(client, tokens)
    op, leader, sme, other = (tokens.header(r) for r in ("operator", "leader", "sme", "other_sme"))
    # Suggestions come from the engine: the lithium carbonate maker fits the leader's need; never itself.
    sugg = api(client, "GET", f"{URL}/{eid}/participants/{ids['leader']}/suggestions", leader, 200)
    assert sugg and all(s["participant_id"] != ids["leader"] for s in sugg)
    assert sugg[0]["enterprise"]["code"] in ("100002", "100003") and sugg[0]["match"] > 0 and sugg[0]["reason"]
    # A firm does not read another firm's suggestions (as if the participant did not exist).
    api(client, "GET", f"{URL}/{eid}/participants/{ids['leader']}/suggestions", sme, 404)

    req = api(client, "POST", f"{URL}/{eid}/requests", sme, 201,
              json={"to_participant": ids["leader"], "priority": "must", "message": "希望洽谈碳酸锂长单"})
    assert req["status"] == "pending" and req["from_participant"] == ids["sme"]
    api(client, "POST", f"{URL}/{eid}/requests", sme, 409, json={"to_participant": ids["leader"]})
    # The other SME sees none of it; the asked firm does and answers; nobody else may answer.
    assert api(client, "GET", f"{URL}/{eid}/requests", other, 200) == []
    assert [r["id"] for r in api(client, "GET", f"{URL}/{eid}/requests", leader, 200)] == [req["id"]]
    api(client, "POST", f"{URL}/{eid}/requests/{req['id']}/answer", other, 404, json={"accept": True})
    api(client, "POST", f"{URL}/{eid}/requests/{req['id']}/answer", sme, 404, json={"accept": True})
    assert api(client, "POST", f"{URL}/{eid}/requests/{req['id']}/answer", leader, 200,
               json={"accept": True})["status"] == "accepted"
    second = api(client, "POST", f"{URL}/{eid}/requests", other, 201, json={"to_participant": ids["leader"]})
    api(client, "POST", f"{URL}/{eid}/requests/{second['id']}/answer", leader, 200, json={"accept": True})
    # 不见面: the extra firm refuses the SME; neither then suggests the other.
    api(client, "POST", f"{URL}/{eid}/requests", op, 201,
        json={"from_participant": ids["extra"], "to_participant": ids["sme"], "priority": "no"})
    assert all(s["participant_id"] != ids["extra"]
               for s in api(client, "GET", f"{URL}/{eid}/participants/{ids['sme']}/suggestions", sme, 200))

    job = api(client, "POST", f"{URL}/{eid}/schedule", op, 202, json={"seconds": 2})
    assert api(client, "GET", f"{URL}/{eid}", op, 200)["status"] == "scheduling"
    _run_jobs(client, session_factory)
    done = api(client, "GET", f"/api/v1/jobs/{job['id']}", op, 200)
    assert done["status"] == "done" and done["result"]["meetings"] == 2, done
    event = api(client, "GET", f"{URL}/{eid}", op, 200)
    assert event["status"] == "scheduled" and event["schedule_stats"]["gap"] >= 0
    meetings = api(client, "GET", f"{URL}/{eid}/meetings", op, 200)
    assert sorted(tuple(sorted(m["participants"])) for m in meetings) == sorted(
        [tuple(sorted((ids["sme"], ids["leader"]))), tuple(sorted((ids["other"], ids["leader"])))])
    assert len({m["slot"] for m in meetings}) == 2  # the leader cannot be in two meetings at once
    # A firm sees its own meetings only, and its own agenda only.
    assert [m["participants"] for m in api(client, "GET", f"{URL}/{eid}/meetings", sme, 200)] == [
        sorted((ids["sme"], ids["leader"]))]
    api(client, "GET", f"{URL}/{eid}/participants/{ids['leader']}/agenda", sme, 404)
    api(client, "GET", f"{URL}/{eid}/participants/{ids['leader']}/agenda.ics", other, 404)
    agenda = api(client, "GET", f"{URL}/{eid}/participants/{ids['leader']}/agenda", leader, 200)
    assert {i["counterpart"]["code"] for i in agenda["items"]} == {"100002", "100003"}

    # The .ics calendar read back by an independent RFC 5545 parser.
    ics = client.get(f"{URL}/{eid}/participants/{ids['leader']}/agenda.ics", headers=leader)
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(ics.content)
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == 2
    by_start = {e.decoded("DTSTART").strftime("%H:%M"): e for e in events}
    for item in agenda["items"]:
        vevent = by_start[item["start"][11:16]]
        assert item["counterpart"]["name"] in str(vevent.get("SUMMARY"))
        assert str(vevent.decoded("DTSTART").tzinfo) == "Asia/Shanghai"
        assert (vevent.decoded("DTEND") - vevent.decoded("DTSTART")) == timedelta(minutes=20)
        assert f"第{item['table']}桌" in str(vevent.get("LOCATION"))

    plan = client.get(f"{URL}/{eid}/table-plan.xlsx", headers=op)
    assert plan.status_code == 200 and plan.content[:2] == b"PK"

    # The day: the leader does not show in the slot of its meeting with the other SME, which gets a walk-in.
    api(client, "POST", f"{URL}/{eid}/transition", op, 200, json={"to": "running"})
    api(client, "POST", f"{URL}/{eid}/participants/{ids['sme']}/check-in", op, 200)
    with_other = next(m for m in meetings if ids["other"] in m["participants"])
    with_sme = next(m for m in meetings if ids["sme"] in m["participants"])
    gone = api(client, "POST", f"{URL}/{eid}/participants/{ids['leader']}/no-show", op, 200,
               json={"slot": with_other["slot"]})
    assert gone["cancelled"] == [with_other["id"]] and gone["took_ms"] < 1000
    assert len(gone["replacements"]) == 1
    walk_in = gone["replacements"][0]
    assert ids["other"] in walk_in["participants"] and ids["leader"] not in walk_in["participants"]
    assert walk_in["slot"] == with_other["slot"] and walk_in["source"] == "walk_in"

    # Outcomes by a firm of the meeting (not by another firm), counted in the statistics and sent as event.outcome.
    api(client, "POST", f"{URL}/{eid}/meetings/{with_sme['id']}/outcome", other, 404, json={"outcome": "signed"})
    api(client, "POST", f"{URL}/{eid}/meetings/{with_sme['id']}/outcome", sme, 200,
        json={"outcome": "intent", "notes": "下月寄样"})
    stats = api(client, "GET", f"{URL}/{eid}/stats", op, 200)
    assert (stats["registered"], stats["requested"], stats["accepted"], stats["held"], stats["no_shows"],
            stats["intent"]) == (4, 2, 2, 1, 1, 1)
    assert stats["rates"]["acceptance"] == 1.0
    assert api(client, "GET", f"{URL}/stats", tokens.header("admin"), 200)["intent"] >= 1
    small.expire_all()
    events_sent = {n.event for n in small.scalars(select(Notification).where(Notification.event.like("event.%")))}
    assert events_sent == {"event.meeting.scheduled", "event.meeting.cancelled", "event.outcome"}
    assert small.scalar(select(AuditEntry).where(AuditEntry.action == "event.outcome")) is not None


def test_lock_and_rerun_keeps_the_locked_meeting(client: TestClient, tokens: Tokens, small: Session,
                                                 session_factory: sessionmaker[Session]) -> None:
    eid, ids = _setup(client, tokens)
    op, leader = tokens.header("operator"), tokens.header("leader")
    for who in ("sme", "other"):
        r = api(client, "POST", f"{URL}/{eid}/requests", op, 201,
                json={"from_participant": ids[who], "to_participant": ids["leader"]})
        api(client, "POST", f"{URL}/{eid}/requests/{r['id']}/answer", leader, 200, json={"accept": True})
    api(client, "POST", f"{URL}/{eid}/schedule", op, 202, json={})
    _run_jobs(client, session_factory)
    meetings = api(client, "GET", f"{URL}/{eid}/meetings", op, 200)
    target = next(m for m in meetings if ids["sme"] in m["participants"])
    free_slot = ({0, 1, 2} - {m["slot"] for m in meetings}).pop()
    moved = api(client, "PATCH", f"{URL}/{eid}/meetings/{target['id']}", op, 200, json={"slot": free_slot, "table": 2})
    assert moved["locked"] and (moved["slot"], moved["table"]) == (free_slot, 2)
    other_m = next(m for m in meetings if m["id"] != target["id"])
    # A cell or a participant already taken: 409.
    api(client, "PATCH", f"{URL}/{eid}/meetings/{other_m['id']}", op, 409, json={"slot": free_slot})
    # A new accepted pair, then the schedule again: the locked meeting has not moved, the new pair is placed.
    r = api(client, "POST", f"{URL}/{eid}/requests", op, 201,
            json={"from_participant": ids["extra"], "to_participant": ids["sme"], "priority": "must"})
    api(client, "POST", f"{URL}/{eid}/requests/{r['id']}/answer", tokens.header("sme"), 200, json={"accept": True})
    api(client, "POST", f"{URL}/{eid}/schedule", op, 202, json={"seconds": 2})
    _run_jobs(client, session_factory)
    after = {m["id"]: m for m in api(client, "GET", f"{URL}/{eid}/meetings", op, 200) if m["status"] != "cancelled"}
    assert (after[target["id"]]["slot"], after[target["id"]]["table"]) == (free_slot, 2)
    assert len(after) == 3
    busy = [(p, m["slot"]) for m in after.values() for p in m["participants"]]
    assert len(busy) == len(set(busy))
    cells = [(m["slot"], m["table"]) for m in after.values()]
    assert len(cells) == len(set(cells))


def test_pending_requests_expire(client: TestClient, tokens: Tokens, small: Session,
                                 session_factory: sessionmaker[Session]) -> None:
    eid, ids = _setup(client, tokens)
    req = api(client, "POST", f"{URL}/{eid}/requests", tokens.header("sme"), 201,
              json={"to_participant": ids["leader"]})
    stale = api(client, "POST", f"{URL}/{eid}/requests", tokens.header("sme"), 201,
                json={"to_participant": ids["other"]})
    for rid in (req["id"], stale["id"]):
        row = small.get(MeetingRequest, rid)
        assert row is not None
        row.expires_at = utcnow() - timedelta(minutes=1)
    small.commit()
    # Answered after its time: refused, and it is expired from then on.
    api(client, "POST", f"{URL}/{eid}/requests/{req['id']}/answer", tokens.header("leader"), 409,
        json={"accept": True})
    # The periodic job expires the rest.
    from app.events.requests import EXPIRE_JOB
    from app.jobs.registry import NoParams
    from app.jobs.service import enqueue

    enqueue(session=small, kind=EXPIRE_JOB, params=NoParams(), principal=None)
    small.commit()
    _run_jobs(client, session_factory)
    small.expire_all()
    assert small.get(MeetingRequest, stale["id"]).status == "expired"  # type: ignore[union-attr]


def test_infeasible_schedule_fails_clearly_and_writes_nothing(client: TestClient, tokens: Tokens, small: Session,
                                                             session_factory: sessionmaker[Session]) -> None:
    eid, ids = _setup(client, tokens)
    op = tokens.header("operator")
    # Two locked meetings in one cell (as a hand edit racing another could leave): no schedule can keep both.
    for a, b in (("leader", "sme"), ("other", "extra")):
        small.add(EventMeeting(event_id=eid, a_id=ids[a], b_id=ids[b], slot=0, table_no=0, weight=1, source="manual",
                               locked=True, status="scheduled", notes=""))
    small.commit()
    r = api(client, "POST", f"{URL}/{eid}/requests", tokens.header("sme"), 201,
            json={"to_participant": ids["other"], "priority": "must"})
    assert r["status"] == "pending"
    job = api(client, "POST", f"{URL}/{eid}/schedule", op, 202, json={"seconds": 1})
    _run_jobs(client, session_factory)
    failed = api(client, "GET", f"/api/v1/jobs/{job['id']}", op, 200)
    assert failed["status"] == "failed" and "slot 1, table 1" in failed["error"], failed
    event = api(client, "GET", f"{URL}/{eid}", op, 200)
    assert event["status"] == "open" and "slot 1, table 1" in event["schedule_stats"]["error"]
    small.expire_all()
    assert len(list(small.scalars(select(EventMeeting).where(EventMeeting.event_id == eid)))) == 2


def test_platform_round_trip(client: TestClient, tokens: Tokens, small: Session,
                             session_factory: sessionmaker[Session]) -> None:
    """An event platform (b2match-style) upserts participants by its own ids, reads the schedule and outcomes,
    and receives the event's notifications."""
    token, rec = create_token(small, role="integration", name="platform", scopes=["events", "webhooks"])
    read_only, _ = create_token(small, role="integration", name="reader", scopes=["read"])
    small.commit()
    plat = {"Authorization": f"Bearer {token}"}
    op = tokens.header("operator")
    eid = api(client, "POST", URL, op, 201, json={"title": "对接会", "slots": [
        {"start": "2026-12-10T09:00:00", "end": "2026-12-10T09:30:00"}], "tables": 3})["id"]
    api(client, "PUT", f"{URL}/{eid}/participants/external/b2m-1", plat, 404, json={"enterprise": "100006"})
    api(client, "POST", f"{URL}/{eid}/transition", op, 200, json={"to": "open"})
    api(client, "GET", f"{URL}/{eid}", {"Authorization": f"Bearer {read_only}"}, 403)
    first = api(client, "PUT", f"{URL}/{eid}/participants/external/b2m-1", plat, 201,
                json={"enterprise": "100006", "topics": "采购碳酸锂"})
    again = api(client, "PUT", f"{URL}/{eid}/participants/external/b2m-1", plat, 200,
                json={"enterprise": "100006", "topics": "采购碳酸锂、电解液"})
    assert first["id"] == again["id"] and again["topics"] == "采购碳酸锂、电解液" and again["external_id"] == "b2m-1"
    api(client, "PUT", f"{URL}/{eid}/participants/external/b2m-1", plat, 409, json={"enterprise": "100002"})
    sme = api(client, "PUT", f"{URL}/{eid}/participants/external/b2m-2", plat, 201, json={"enterprise": "100002"})
    listed = api(client, "GET", f"{URL}/{eid}/participants", plat, 200)
    assert {p["external_id"] for p in listed} == {"b2m-1", "b2m-2"}
    api(client, "POST", f"{URL}/{eid}/requests", op, 201,
        json={"from_participant": sme["id"], "to_participant": first["id"], "priority": "must"})
    api(client, "POST", f"{URL}/{eid}/schedule", op, 202, json={"seconds": 1})
    _run_jobs(client, session_factory)
    meetings = api(client, "GET", f"{URL}/{eid}/meetings", plat, 200)
    assert len(meetings) == 1 and meetings[0]["source"] == "must"
    small.expire_all()
    sent = list(small.scalars(select(Notification).where(Notification.principal_id == rec.principal_id)))
    assert [n.event for n in sent] == ["event.meeting.scheduled"]
    assert {p["external_id"] for p in sent[0].payload["participants"]} == {"b2m-1", "b2m-2"}
    # A webhook for the event's notifications may be registered with the same token.
    hook = client.post("/api/v1/webhooks", headers=plat,
                       json={"url": "https://platform.example.com/hook", "events": ["event.meeting.changed"]})
    assert hook.status_code == 201, hook.text
