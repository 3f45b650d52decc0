"""A webhook belongs to the token that created it: deliveries stop when that token is revoked or expires, when its
principal is deactivated or leaves the organisation, or when the owner may no longer see the notification's
subject (issue #8, hole 9). Stopped deliveries are not attempted and show as skipped in the log."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from app.core.db import make_engine
from app.core.migrations import alembic_config, upgrade
from app.models import ApiToken, Catalogue, Principal
from app.models._types import utcnow
from app.notifications.outbox import emit
from app.webhooks.fanout import fan_out
from tests.app.catalogues.helpers import create_chain, create_need
from tests.app.conftest import Tokens
from tests.app.webhooks.receiver import Receiver
from tests.app.webhooks.test_dispatcher import hook, local, log, org
from tests.conftest import fresh_database

URL = "/api/v1/webhooks"


def token_of(session: Session, token: str) -> ApiToken:
    found = session.scalar(select(ApiToken).where(ApiToken.prefix == token.split("_")[1]))
    assert found is not None
    return found


def test_revoking_the_token_stops_queued_retries_and_future_deliveries(
        client: TestClient, tokens: Tokens, small: Session, session_factory: sessionmaker[Session],
        receiver: Receiver) -> None:
    made = hook(client, tokens, "sme", receiver.url)
    receiver.statuses = [500]
    emit(small, event="opportunity.new", org_id=org(small, "100002"), payload={"n": 1})
    emit(small, event="opportunity.new", org_id=org(small, "100002"), payload={"n": 2})
    small.commit()
    first_worker, second_worker = local(session_factory, timeout=2), local(session_factory, timeout=2)
    now = utcnow()
    assert fan_out(small, now=now + timedelta(hours=1), batch=10) == (2, 2)  # n=2 queued, not yet due
    small.commit()
    small.execute(text("UPDATE webhook_deliveries SET next_attempt_at = :t WHERE id = "
                       "(SELECT min(id) FROM webhook_deliveries)"), {"t": now})
    small.commit()
    assert first_worker.run_once(now).retrying == 1 and len(receiver.requests) == 1  # n=1 failed once

    prefix = token_of(small, tokens.sme).prefix
    assert client.delete(f"/api/v1/tokens/{prefix}", headers=tokens.header("operator")).status_code == 200
    # Another worker, the very next round: neither the retry nor the queued delivery is attempted.
    report = second_worker.run_once(now + timedelta(hours=2))
    assert len(receiver.requests) == 1
    assert (report.skipped, report.delivered, report.retrying) == (2, 0, 0)
    entries = log(client, tokens, "admin", made["id"])
    assert [(e["status"], e["attempts"], e["next_attempt_at"]) for e in entries] == [
        ("skipped", 0, None), ("skipped", 1, None)]
    assert all(e["last_error"] == "not sent: the token that created this webhook was revoked" for e in entries)
    skipped = client.get(f"{URL}/{made['id']}/deliveries", params={"status": "skipped"}, headers=tokens.header("admin"))
    assert skipped.status_code == 200 and skipped.json()["total"] == 2
    # A skipped delivery is settled: it cannot be queued again.
    retry = client.post(f"{URL}/{made['id']}/deliveries/{entries[0]['id']}/retry", headers=tokens.header("admin"))
    assert retry.status_code == 409

    # What happens afterwards is not even queued for the revoked token's hook.
    emit(small, event="opportunity.new", org_id=org(small, "100002"), payload={"n": 3})
    small.commit()
    report = second_worker.run_once(now + timedelta(hours=3))
    assert (report.dispatched, report.queued) == (1, 0) and len(receiver.requests) == 1


def test_expiry_deactivation_and_leaving_the_organisation_stop_deliveries(
        client: TestClient, tokens: Tokens, small: Session, session_factory: sessionmaker[Session],
        receiver: Receiver) -> None:
    expired = hook(client, tokens, "leader", receiver.url + "?who=leader")
    deactivated = hook(client, tokens, "sme", receiver.url + "?who=sme")
    moved = hook(client, tokens, "other_sme", receiver.url + "?who=other")
    for code in ("100006", "100002", "100003"):
        emit(small, event="need.updated", org_id=org(small, code), payload={})
    small.commit()
    now = utcnow()
    assert fan_out(small, now=now, batch=10) == (3, 3)
    token_of(small, tokens.leader).expires_at = now - timedelta(seconds=1)
    sme = small.get(Principal, token_of(small, tokens.sme).principal_id)
    other = small.get(Principal, token_of(small, tokens.other_sme).principal_id)
    assert sme is not None and other is not None
    sme.active = False
    other.org_id = org(small, "100002")
    small.commit()
    report = local(session_factory, timeout=2).run_once(now)
    assert receiver.requests == [] and report.skipped == 3
    reasons = {name: log(client, tokens, "admin", h["id"])[0]["last_error"]
               for name, h in (("expired", expired), ("deactivated", deactivated), ("moved", moved))}
    assert reasons == {
        "expired": "not sent: the token that created this webhook has expired",
        "deactivated": "not sent: the owner of this webhook is deactivated",
        "moved": "not sent: the owner of this webhook no longer belongs to its organisation"}


def test_the_owners_right_to_see_the_subject_is_checked_when_delivering(
        client: TestClient, tokens: Tokens, small: Session, session_factory: sessionmaker[Session],
        receiver: Receiver) -> None:
    sme_hook = hook(client, tokens, "sme", receiver.url + "?who=sme")
    admin_hook = hook(client, tokens, "admin", receiver.url + "?who=admin")
    draft = create_need(small, title="未发布的需求")
    published = create_need(small, title="已发布的需求", status="published", published_at=utcnow())
    catalogue = Catalogue(chain_id=create_chain(small).id, period="2026Q4", title="草稿目录", status="draft")
    small.add(catalogue)
    small.flush()
    sme_org = org(small, "100002")
    emit(small, event="opportunity.new", org_id=sme_org, payload={"need_id": draft.id})
    emit(small, event="opportunity.new", org_id=sme_org, payload={"need_id": published.id})
    emit(small, event="catalogue.published", org_id=sme_org, payload={"catalogue_id": catalogue.id})
    emit(small, event="application.updated", org_id=sme_org, payload={"challenge_id": draft.id})
    emit(small, event="opportunity.new", org_id=sme_org, payload={"need_id": 2_147_483_647})
    small.commit()
    report = local(session_factory, timeout=2).run_once()
    # The SME may see only the published need; the admin every subject that exists (the "challenge" is a plain
    # need, and no need has the last id).
    assert sorted(r.path for r in receiver.requests) == ["/hook?who=admin"] * 3 + ["/hook?who=sme"]
    assert (report.delivered, report.skipped) == (4, 6)
    sme_log = {e["notification_id"]: (e["status"], e["last_error"]) for e in log(client, tokens, "sme", sme_hook["id"])}
    assert sorted(sme_log.values()) == sorted([
        ("delivered", ""),
        ("skipped", f"not sent: the owner of this webhook may no longer see need {draft.id}"),
        ("skipped", f"not sent: the owner of this webhook may no longer see catalogue {catalogue.id}"),
        ("skipped", f"not sent: the owner of this webhook may no longer see challenge {draft.id}"),
        ("skipped", "not sent: the owner of this webhook may no longer see need 2147483647")])
    assert [e["status"] for e in log(client, tokens, "admin", admin_hook["id"])].count("skipped") == 2


def test_hooks_record_the_token_they_were_created_with(client: TestClient, tokens: Tokens, small: Session) -> None:
    made = hook(client, tokens, "sme", "http://127.0.0.1:9/owned")
    row = small.execute(text("SELECT token_id FROM webhooks WHERE id = :i"), {"i": made["id"]}).scalar_one()
    assert row == token_of(small, tokens.sme).id


def test_migration_gives_existing_hooks_their_owners_token(tmp_path: Path) -> None:
    url, drop = fresh_database(tmp_path, "sqlite")
    try:
        # The revision before this one, whatever it is once the migrations are chained.
        before = ScriptDirectory.from_config(alembic_config(url)).get_revision("0004_hardening").down_revision
        upgrade(url, str(before))
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO principals (id, name, role, regions, chains, active, created_at) VALUES "
                              "(1, 'p', 'integration', '[]', '[]', 1, '2026-01-01'), "
                              "(2, 'q', 'integration', '[]', '[]', 1, '2026-01-01')"))
            conn.execute(text("INSERT INTO api_tokens (id, principal_id, prefix, token_hash, scopes, created_at) "
                              "VALUES (7, 1, 'abcd1234', 'h', '[]', '2026-01-01')"))
            conn.execute(text("INSERT INTO webhooks (id, owner_id, url, secret, events, active, created_at) VALUES "
                              "(1, 1, 'https://a.example.cn/', 's', '[]', 1, '2026-01-01'), "
                              "(2, 2, 'https://b.example.cn/', 's', '[]', 1, '2026-01-01')"))
        upgrade(url, "0004_hardening")
        with engine.connect() as conn:
            got = {r[0]: r[1] for r in conn.execute(text("SELECT id, token_id FROM webhooks ORDER BY id"))}
        assert got == {1: 7, 2: None}
        engine.dispose()
    finally:
        drop()  # type: ignore[operator]

