"""Faults inside one process: a write whose commit fails is not acknowledged; while the database is unreachable
every answer is a 503 in the error envelope with Retry-After (health too), and service resumes by itself."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.core.config import Settings
from app.main import create_app
from app.models import Need
from tests.app.conftest import Tokens
from tests.app.durability.live import seed
from tests.app.durability.tcp_proxy import TcpProxy
from tests.app.needs.helpers import URL, need_body
from tests.conftest import fresh_database


def test_a_write_whose_commit_fails_is_not_acknowledged(client: TestClient, tokens: Tokens, small: Session,
                                                        session_factory: sessionmaker[Session]) -> None:
    before = small.scalar(select(func.count()).select_from(Need))

    def lose_the_connection(session: Session) -> None:
        raise OperationalError("COMMIT", {}, Exception("server closed the connection unexpectedly"))

    event.listen(session_factory, "before_commit", lose_the_connection)
    try:
        resp = client.post(URL, json=need_body(), headers=tokens.header("leader"))
    finally:
        event.remove(session_factory, "before_commit", lose_the_connection)
    assert resp.status_code == 503, resp.text
    assert resp.json()["error"]["code"] == "unavailable" and resp.headers["Retry-After"]
    assert small.scalar(select(func.count()).select_from(Need)) == before


@pytest.fixture()
def proxied(tmp_path: Path) -> Iterator[tuple[TestClient, TcpProxy, dict[str, str]]]:
    url, drop = fresh_database(tmp_path, "postgresql")
    tokens = seed(url)
    real = make_url(url)
    proxy = TcpProxy((real.host or "127.0.0.1", real.port or 5432))
    proxy.start()
    settings = Settings(database_url=real.set(port=proxy.port).render_as_string(hide_password=False),
                        build_index=False, run_jobs=False, dispatch_webhooks=False, rate_limit_per_token=0,
                        rate_limit_per_ip=0)
    try:
        with TestClient(create_app(settings), raise_server_exceptions=False) as c:
            yield c, proxy, tokens
    finally:
        proxy.cut()
        drop()  # type: ignore[operator]


def test_database_outage_answers_503_and_recovers(proxied: tuple[TestClient, TcpProxy, dict[str, str]]) -> None:
    client, proxy, tokens = proxied
    leader = {"Authorization": f"Bearer {tokens['leader']}"}
    assert client.get(URL, headers=leader).status_code == 200
    proxy.cut()
    for call in (lambda: client.get(URL, headers=leader), lambda: client.post(URL, json=need_body(), headers=leader),
                 lambda: client.get("/api/v1/enterprises", headers=leader)):
        resp = call()
        assert resp.status_code == 503, resp.text
        assert resp.json()["error"]["code"] == "unavailable" and int(resp.headers["Retry-After"]) > 0
    health = client.get("/health")
    assert health.status_code == 503 and health.json()["database"] is False
    proxy.start()
    deadline, status = time.monotonic() + 10, 0
    while time.monotonic() < deadline and status != 200:
        status = client.get(URL, headers=leader).status_code
        time.sleep(0.2)
    assert status == 200
    assert client.get("/health").status_code == 200
    assert client.post(URL, json=need_body(), headers=leader).status_code == 201
