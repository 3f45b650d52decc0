"""POST /match checks its caller through each worker's TokenBook: a change to the token or its principal made
through one app (worker) is seen at the very next request by another app on the same database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, sessionmaker

from app.auth.tokens import create_token, revoke_token
from app.core.db import Base, make_engine, make_sessionmaker
from app.core.errors import Unauthorized
from app.core.token_check import TokenBook
from app.models import ApiToken, Enterprise, Principal
from app.models._types import utcnow
from tests.app.conftest import Tokens, make_client

URL = "/api/v1/match"
NEED = {"text": "碳酸锂"}


@pytest.fixture()
def apps(migrated_url: str, session_factory: sessionmaker[Session], tokens: Tokens) -> Iterator[
        tuple[TestClient, TestClient]]:
    with make_client(migrated_url, session_factory, build_index=True) as one, \
            make_client(migrated_url, session_factory, build_index=True) as two:
        yield one, two


def _error(client: TestClient, token: str) -> tuple[int, str]:
    resp = client.post(URL, json=NEED, headers={"Authorization": f"Bearer {token}"})
    return resp.status_code, resp.json()["error"]["message"] if resp.status_code != 200 else ""


def _record(session: Session, token: str) -> ApiToken:
    record = session.scalar(select(ApiToken).where(ApiToken.prefix == token.split("_")[1]))
    assert record is not None
    return record


def test_a_revocation_through_one_app_refuses_the_token_on_the_other_at_once(
        apps: tuple[TestClient, TestClient], tokens: Tokens) -> None:
    one, two = apps
    assert _error(one, tokens.leader) == (200, "") and _error(two, tokens.leader) == (200, "")
    prefix = tokens.leader.split("_")[1]
    assert one.delete(f"/api/v1/tokens/{prefix}", headers=tokens.header("admin")).status_code == 200
    assert _error(two, tokens.leader) == (401, "token revoked")
    assert _error(one, tokens.leader) == (401, "token revoked")


def test_changes_to_the_principal_or_token_take_effect_at_the_next_request(
        apps: tuple[TestClient, TestClient], tokens: Tokens, small: Session) -> None:
    one, two = apps
    leader = small.get(Principal, _record(small, tokens.leader).principal_id)
    assert leader is not None
    mine = small.scalar(select(Enterprise.id).where(Enterprise.code == "100002"))
    codes = [i["enterprise"]["code"] for i in two.post(URL, json=NEED, headers=tokens.header("leader")).json()["items"]]
    assert "100002" in codes
    # moved to another firm: that firm is now its own, never its own supplier
    leader.org_id = mine
    small.commit()
    codes = [i["enterprise"]["code"] for i in two.post(URL, json=NEED, headers=tokens.header("leader")).json()["items"]]
    assert codes and "100002" not in codes
    leader.role = "sme"
    small.commit()
    assert _error(two, tokens.leader)[0] == 403
    leader.role, leader.active = "leader", False
    small.commit()
    assert _error(two, tokens.leader) == (401, "unknown token")
    leader.active = True
    _record(small, tokens.leader).expires_at = utcnow() - timedelta(seconds=1)
    small.commit()
    assert _error(one, tokens.leader) == (401, "token expired")


def test_an_integration_whose_scopes_change_is_checked_again(
        apps: tuple[TestClient, TestClient], tokens: Tokens, small: Session) -> None:
    _, two = apps
    assert _error(two, tokens.integration)[0] == 403  # scope read only
    _record(small, tokens.integration).scopes = ["read", "match"]
    small.commit()
    assert _error(two, tokens.integration) == (200, "")
    _record(small, tokens.integration).scopes = ["read"]
    small.commit()
    assert _error(two, tokens.integration)[0] == 403


def test_bad_tokens_are_refused_as_elsewhere(apps: tuple[TestClient, TestClient], tokens: Tokens) -> None:
    one, _ = apps
    prefix = tokens.leader.split("_")[1]
    assert _error(one, "nonsense") == (401, "malformed token")
    assert _error(one, f"cm_{prefix}_forged") == (401, "unknown token")
    assert _error(one, "cm_00000000_unknown") == (401, "unknown token")
    assert one.post(URL, json=NEED).status_code == 401


def test_the_book_reuses_its_principal_while_the_row_is_unchanged(small: Session) -> None:
    token, record = create_token(small, role="operator", name="书", regions=["山东省"])
    small.commit()
    book = TokenBook()
    first = book.principal(small, token)
    assert book.principal(small, token) is first and len(book) == 1
    assert inspect(first).transient  # never in a session: nothing a route does can write it
    assert (first.role, first.regions, first.token_id) == ("operator", ["山东省"], record.id)
    small.get_one(Principal, record.principal_id).regions = ["江苏省"]
    small.commit()
    again = book.principal(small, token)
    assert again is not first and again.regions == ["江苏省"]


def test_on_a_sqlite_engine_the_book_reads_the_latest_commit_without_a_session_transaction(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'book.db'}")
    Base.metadata.create_all(engine)
    factory = make_sessionmaker(engine)
    with factory() as writer:
        token, _ = create_token(writer, role="admin", name="书")
        writer.commit()
    book = TokenBook()
    with factory() as reader:
        first = book.principal(reader, token)  # not seen before: the typed read, in the session's transaction
    with factory() as reader:
        assert book.principal(reader, token) is first
        assert not reader.in_transaction()  # a pooled connection of its own: this session never connected
    with factory() as writer:
        revoke_token(writer, prefix=token.split("_")[1])
        writer.commit()
    with factory() as reader, pytest.raises(Unauthorized, match="token revoked"):
        book.principal(reader, token)
    engine.dispose()
