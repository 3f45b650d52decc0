"""Rate limits count verified tokens only, and every app instance (worker) spends one shared budget."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

from app.core.config import Settings
from app.core.db import WRITER, make_engine
from app.core.migrations import upgrade
from tests.app.conftest import Tokens, dead_redis_url, make_client


def _forged(token: str) -> str:
    """A token with the real one's prefix (shown in token lists and the audit log) and a made-up secret."""
    prefix = token.split("_")[1]
    return f"cm_{prefix}_{'x' * 43}"


def _me(client: TestClient, token: str) -> int:
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code


def test_forged_tokens_do_not_spend_the_real_tokens_budget(migrated_url: str, session_factory: sessionmaker[Session],
                                                          tokens: Tokens) -> None:
    with make_client(migrated_url, session_factory, build_index=False, rate_limit_per_token=5) as client:
        assert [_me(client, _forged(tokens.sme)) for _ in range(20)] == [401] * 20
        assert [_me(client, tokens.sme) for _ in range(5)] == [200] * 5
        limited = client.get("/api/v1/me", headers=tokens.header("sme"))
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
        assert limited.json()["error"]["code"] == "rate_limited"


def test_forged_tokens_spend_their_senders_address_budget(migrated_url: str, session_factory: sessionmaker[Session],
                                                         tokens: Tokens) -> None:
    with make_client(migrated_url, session_factory, build_index=False, rate_limit_per_ip=5) as client:
        assert [_me(client, _forged(tokens.sme)) for _ in range(5)] == [401] * 5
        assert _me(client, _forged(tokens.sme)) == 429
        assert _me(client, tokens.sme) == 429  # the same address


def test_two_app_instances_share_a_tokens_budget(migrated_url: str, session_factory: sessionmaker[Session],
                                                 tokens: Tokens) -> None:
    # Two create_app()s on one database stand for two workers (or two machines).
    with make_client(migrated_url, session_factory, build_index=False, rate_limit_per_token=4) as one, \
            make_client(migrated_url, session_factory, build_index=False, rate_limit_per_token=4) as two:
        codes = [_me(c, tokens.sme) for c in (one, two) * 3]
        assert codes == [200] * 4 + [429] * 2
        assert _me(one, tokens.leader) == 200  # other tokens keep their own budget


def test_two_app_instances_share_a_tokens_budget_in_redis(migrated_url: str, session_factory: sessionmaker[Session],
                                                          tokens: Tokens, redis_url: str,
                                                          counter_prefix: str) -> None:
    shared = {"redis_url": redis_url, "counter_prefix": counter_prefix, "rate_limit_per_token": 4,
              "rate_limit_per_ip": 100}
    with make_client(migrated_url, session_factory, build_index=False, **shared) as one, \
            make_client(migrated_url, session_factory, build_index=False, **shared) as two:
        codes = [_me(c, tokens.sme) for c in (one, two) * 3]
        assert codes == [200] * 4 + [429] * 2
        assert one.app.state.rate_limits.store.__class__.__name__ == "RedisCounters"  # type: ignore[attr-defined]


def test_redis_down_lets_requests_through_with_a_warning(migrated_url: str, session_factory: sessionmaker[Session],
                                                         tokens: Tokens, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING), \
            make_client(migrated_url, session_factory, build_index=False, redis_url=dead_redis_url(),
                        rate_limit_per_token=1, rate_limit_per_ip=1) as client:
        assert [_me(client, tokens.sme) for _ in range(5)] == [200] * 5
    assert any("unavailable" in r.getMessage() for r in caplog.records if r.name.startswith("chainmatch"))


def test_limit_slides_across_the_minute_boundary(connection: Connection) -> None:
    from app.core.counters.database import DbCounters
    from app.core.ratelimit import RateLimits

    now = [60_000 * 60 + 50.0]  # 50 s into a minute
    store = DbCounters(connection, prefix="slide:", clock=lambda: now[0])
    known = {"cm_aaaa_secret": 7, "cm_bbbb_secret": 8}
    limits = RateLimits(store, per_token=10, per_ip=0, verify=known.get, clock=lambda: now[0])
    assert [limits.check("10.0.0.1", "cm_aaaa_secret") for _ in range(10)] == [0.0] * 10
    assert limits.check("10.0.0.1", "cm_aaaa_secret") > 0
    now[0] += 15  # 5 s into the next minute: a fixed window would hand out ten more at once
    wait = limits.check("10.0.0.1", "cm_aaaa_secret")
    assert 0 < wait <= 60
    now[0] += wait + 0.01
    assert limits.check("10.0.0.1", "cm_aaaa_secret") == 0.0
    assert limits.check("10.0.0.1", "cm_bbbb_secret") == 0.0  # another token's budget is its own
    assert [limits.check("10.0.0.1", "cm_aaaa_forged") for _ in range(30)] == [0.0] * 30  # forged: not counted


def test_sqlite_counters_do_not_wait_for_the_databases_write_lock(tmp_path: Path) -> None:
    """A writing request holds SQLite's write lock until it commits; rate limits must not queue behind it."""
    from app.core.counters import open_stores

    url = f"sqlite:///{tmp_path / 'service.db'}"
    upgrade(url)
    engine = make_engine(url)
    settings = Settings(database_url=url)
    one, two = open_stores(settings), open_stores(settings)  # two workers
    try:
        with engine.connect().execution_options(**{WRITER: True}) as writer, writer.begin() as held:
            started = time.perf_counter()
            assert one.limits.hit("k", 60).value == 1 and two.limits.hit("k", 60).value == 2
            assert time.perf_counter() - started < 1.0
            held.rollback()
    finally:
        one.close()
        two.close()
        engine.dispose()
    assert (tmp_path / "service.counters.db").exists()
