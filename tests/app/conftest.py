"""API fixtures: the small hand-made chain, tokens for every role, and an HTTP client in the test's transaction."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

import anyio
import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.auth.tokens import create_token
from app.core.config import Settings
from app.imports.chainkg import import_chainkg
from app.main import create_app
from app.models import Enterprise, Principal
from graph.chainkg import read_chainkg
from tests.conftest import FIXTURES

REDIS_URL = os.environ.get("CHAINMATCH_TEST_REDIS", "redis://127.0.0.1:6379/0")


T = TypeVar("T")


def run_async(main: Callable[[], Awaitable[T]]) -> T:
    """``anyio.run(main)`` in a thread of its own: a browser test earlier in the same worker leaves Playwright's
    event loop running in the main thread, where anyio refuses to start another."""
    result: list[T] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            result.append(anyio.run(main))
        except BaseException as exc:  # re-raised in the test's thread
            errors.append(exc)

    runner = threading.Thread(target=target)
    runner.start()
    runner.join()
    if errors:
        raise errors[0]
    return result[0]


def require_redis() -> str:
    """The test Redis's URL; skips the test when unreachable, except under CI=true, where that is a failure."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {REDIS_URL} (required under CI=true): {exc}")
        pytest.skip(f"Redis not reachable at {REDIS_URL}")
    finally:
        client.close()
    return REDIS_URL


@pytest.fixture()
def redis_url() -> str:
    return require_redis()


@pytest.fixture()
def counter_prefix() -> Iterator[str]:
    """A key prefix of this test's own, so tests share no counters; its Redis keys are deleted afterwards."""
    prefix = f"test-{uuid.uuid4().hex[:12]}:"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        keys = list(client.scan_iter(match=prefix + "*", count=1000))
        if keys:
            client.delete(*keys)
    except redis.RedisError:
        pass
    finally:
        client.close()


def dead_redis_url() -> str:
    """A Redis URL where nothing listens: a port this process reserved and closed."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"redis://127.0.0.1:{s.getsockname()[1]}/0"


@dataclass
class Tokens:
    admin: str
    operator: str
    leader: str
    sme: str
    other_sme: str
    integration: str
    op_region: str  # an operator limited to a region where none of the fixture firms is
    op_chain: str  # an operator limited to a chain none of the fixture needs is filed in

    def header(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {getattr(self, role)}"}


def load_small(session: Session) -> None:
    import_chainkg(session, read_chainkg(FIXTURES / "small"))
    leader = session.scalar(select(Enterprise).where(Enterprise.code == "100006"))
    assert leader is not None
    leader.kind = "leader"
    leader.contact_email = "buyer@byd.example.cn"
    sme = session.scalar(select(Enterprise).where(Enterprise.code == "100002"))
    assert sme is not None
    sme.tier, sme.province, sme.city = "provincial", "山东省", "济南市"
    sme.contact_phone = "0531-80000000"
    session.commit()


@pytest.fixture()
def small(session: Session) -> Session:
    load_small(session)
    return session


@pytest.fixture()
def tokens(small: Session) -> Tokens:
    made = {
        "admin": create_token(small, role="admin", name="t-admin")[0],
        "operator": create_token(small, role="operator", name="t-op")[0],
        "leader": create_token(small, role="leader", name="t-leader", org_code="100006")[0],
        "sme": create_token(small, role="sme", name="t-sme", org_code="100002")[0],
        "other_sme": create_token(small, role="sme", name="t-sme2", org_code="100003")[0],
        "integration": create_token(small, role="integration", name="t-int")[0],
        "op_region": create_token(small, role="operator", name="t-op-region", regions=["广东省"])[0],
    }
    made["op_chain"], rec = create_token(small, role="operator", name="t-op-chain")
    # Its chain is named, not created: create_token accepts only existing chains, and a fixture chain would show in
    # every chain listing the chain tests check.
    limited = small.get(Principal, rec.principal_id)
    assert limited is not None
    limited.chains = ["elsewhere"]
    small.commit()
    return Tokens(**made)


def make_client(migrated_url: str, factory: sessionmaker[Session], *, build_index: bool,
                **overrides: object) -> TestClient:
    # No background index sync: the test connection must not be shared with another thread.
    # Rate limits are off unless a test sets them: a test's many requests are not an attack.
    values: dict[str, object] = {"index_sync_seconds": 0, "rate_limit_per_token": 0, "rate_limit_per_ip": 0,
                                 "run_jobs": False, "dispatch_webhooks": False}
    settings = Settings(database_url=migrated_url, build_index=build_index, **(values | overrides))  # type: ignore[arg-type]
    return TestClient(create_app(settings, session_factory=factory))


@pytest.fixture()
def client(migrated_url: str, session_factory: sessionmaker[Session], tokens: Tokens) -> Iterator[TestClient]:
    with make_client(migrated_url, session_factory, build_index=True) as c:
        yield c
