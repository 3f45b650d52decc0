"""Password logins under attack: lockouts per account and per address, and a bound on argon2 work."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import anyio
import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

from app.auth import passwords
from app.auth.web_sessions import create_user
from app.core.config import Settings
from app.core.migrations import upgrade
from app.main import create_app
from app.models import AuditEntry
from tests.app.conftest import Tokens, dead_redis_url, make_client, run_async
from tests.app.web.test_pages import PASSWORD, csrf_of
from tests.conftest import fresh_database


class CountingHasher:
    """argon2 with cheap parameters (tests need not spend 64 MB a check), counting checks running at once."""

    def __init__(self, delay: float = 0.0) -> None:
        self._real = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        self.delay = delay
        # calls: every argon2 operation; checks: password verifications only (the unknown-user hash is made once).
        self.running = self.peak = self.calls = self.checks = 0
        self.niceness: set[int] = set()
        self._lock = threading.Lock()

    def _timed(self, fn: Any, *args: Any) -> Any:
        with self._lock:
            self.running += 1
            self.calls += 1
            self.peak = max(self.peak, self.running)
            self.niceness.add(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        try:
            time.sleep(self.delay)
            return fn(*args)
        finally:
            with self._lock:
                self.running -= 1

    def hash(self, password: str) -> str:
        return str(self._timed(self._real.hash, password))

    def verify(self, stored: str, password: str) -> bool:
        self.checks += 1
        return bool(self._timed(self._real.verify, stored, password))


@pytest.fixture()
def hasher(monkeypatch: pytest.MonkeyPatch) -> Iterator[CountingHasher]:
    counting = CountingHasher()
    monkeypatch.setattr(passwords, "_hasher", counting)
    # (Imported lazily: the checks below also run against code from before the gate and its cached hash.)
    clear = getattr(getattr(passwords, "_unknown_user_hash", None), "cache_clear", lambda: None)
    clear()
    yield counting
    clear()


def _client(migrated_url: str, factory: sessionmaker[Session], small: Session, **overrides: object) -> TestClient:
    create_user(small, login="sme1", password=PASSWORD, role="sme", name="中小", org_code="100002")
    small.commit()
    return make_client(migrated_url, factory, build_index=False, cookie_secure=False, **overrides)


def _try(client: TestClient, login: str, password: str) -> Any:
    csrf = csrf_of(client.get("/login").text)
    return client.post("/login", data={"login": login, "password": password, "csrf": csrf}, follow_redirects=False)


def test_after_failures_even_the_right_password_is_refused(migrated_url: str, session_factory: sessionmaker[Session],
                                                          tokens: Tokens, small: Session,
                                                          hasher: CountingHasher) -> None:
    with _client(migrated_url, session_factory, small, login_account_failures=3, login_address_failures=0,
                 login_lock_first_seconds=60) as web:
        codes = [_try(web, "sme1", f"wrong password {i}") for i in range(3)]
        assert [r.status_code for r in codes] == [401, 401, 401]
        assert codes[2].headers["Retry-After"] == "60" and "请在 60 秒后重试" in codes[2].text
        calls = hasher.calls
        right = _try(web, "sme1", PASSWORD)
        assert right.status_code == 429 and int(right.headers["Retry-After"]) >= 59
        assert "登录失败次数过多" in right.text and "cm_session" not in right.headers.get("set-cookie", "")
        assert hasher.calls == calls  # a locked account costs no password check
    # in the order they were written: without ORDER BY, PostgreSQL may return a row placed in an earlier page's free
    # space (rolled-back tests leave some) first
    failures = list(small.scalars(select(AuditEntry).where(AuditEntry.action == "session.login_failed")
                                  .order_by(AuditEntry.id)))
    assert len(failures) == 3 and all(f.entity_id == "sme1" and f.after["known_user"] for f in failures)
    assert failures[-1].after["locked_seconds"] == 60
    assert not any("wrong password" in str(f.after) + str(f.before) for f in failures)  # never the password


def test_a_success_clears_the_accounts_failures(migrated_url: str, session_factory: sessionmaker[Session],
                                               tokens: Tokens, small: Session, hasher: CountingHasher) -> None:
    with _client(migrated_url, session_factory, small, login_account_failures=3, login_address_failures=0,
                 login_lock_first_seconds=60) as web:
        for _ in range(3):
            assert [_try(web, "sme1", "wrong password").status_code for _ in range(2)] == [401, 401]
            assert _try(web, "sme1", PASSWORD).status_code == 303
            web.cookies.delete("cm_session")


def test_lockout_doubles_with_each_further_failure(connection: Connection) -> None:
    from app.auth.throttle import LoginPolicy, LoginThrottle
    from app.core.counters.database import DbCounters

    now = [1_000_000.0]
    store = DbCounters(connection, prefix="lockout:", clock=lambda: now[0])
    policy = LoginPolicy(account_failures=2, address_failures=0, window=900, first_lock=1, max_lock=4)
    throttle = LoginThrottle(store, policy)
    locks = []
    for _ in range(5):
        assert throttle.locked_for(login="sme1", address="10.0.0.1") == 0
        locks.append(throttle.failed(login="sme1", address="10.0.0.1"))
        assert throttle.locked_for(login="sme1", address="10.0.0.1") == locks[-1]
        now[0] += locks[-1] + 0.001
    assert locks == [0, 1, 2, 4, 4]
    now[0] += 890  # failures less than 15 minutes apart keep counting
    assert throttle.failed(login="sme1", address="10.0.0.1") == 4
    throttle.succeeded(login="sme1")
    assert throttle.failed(login="sme1", address="10.0.0.1") == 0  # a success starts the count again
    now[0] += 901
    assert throttle.failed(login="sme1", address="10.0.0.1") == 0  # so do 15 quiet minutes


def test_unknown_users_are_throttled_per_address(migrated_url: str, session_factory: sessionmaker[Session],
                                                 tokens: Tokens, small: Session, hasher: CountingHasher) -> None:
    with _client(migrated_url, session_factory, small, login_address_failures=4,
                 login_lock_first_seconds=60) as web:
        assert [_try(web, f"nobody{i}", "some password").status_code for i in range(4)] == [401] * 4
        refused = _try(web, "nobody-new", "some password")
        assert refused.status_code == 429 and "Retry-After" in refused.headers
        assert _try(web, "sme1", PASSWORD).status_code == 429  # the address is locked, whoever logs in
    # One check per attempt whether the user exists or not: not cheaper, and no more than one.
    assert hasher.checks == 4


def test_password_checks_never_exceed_the_limit(tmp_path: Path, hasher: CountingHasher) -> None:
    own_priority = os.getpriority(os.PRIO_PROCESS, 0)  # 0 normally; the suite may run under nice
    url, _ = fresh_database(tmp_path, "sqlite")
    upgrade(url)
    hasher.delay = 0.2
    settings = Settings(database_url=url, build_index=False, run_jobs=False, dispatch_webhooks=False,
                        cookie_secure=False, rate_limit_per_ip=0, login_address_failures=0,
                        login_hash_concurrency=2, login_hash_queue=50, login_hash_wait_seconds=30)
    with TestClient(create_app(settings)) as web:
        csrf = csrf_of(web.get("/login").text)

        def attempt(i: int) -> int:
            form = {"login": f"nobody{i}", "password": "some password", "csrf": csrf}
            return web.post("/login", data=form).status_code

        with ThreadPoolExecutor(12) as pool:
            codes = list(pool.map(attempt, range(12)))
    assert codes == [401] * 12
    assert hasher.peak == 2 and hasher.checks == 12
    # Checks run at a lower CPU priority than the rest of the API, which keeps its own.
    assert hasher.niceness == {passwords.HASH_NICENESS} and os.getpriority(os.PRIO_PROCESS, 0) == own_priority


def test_a_full_queue_answers_503_with_retry_after(tmp_path: Path, hasher: CountingHasher) -> None:
    url, _ = fresh_database(tmp_path, "sqlite")
    upgrade(url)
    hasher.delay = 1.0
    settings = Settings(database_url=url, build_index=False, run_jobs=False, dispatch_webhooks=False,
                        cookie_secure=False, rate_limit_per_ip=0, login_address_failures=0,
                        login_hash_concurrency=1, login_hash_queue=1, login_hash_wait_seconds=30)
    with TestClient(create_app(settings)) as web:
        csrf = csrf_of(web.get("/login").text)

        def attempt(i: int) -> Any:
            form = {"login": f"nobody{i}", "password": "some password", "csrf": csrf}
            return web.post("/login", data=form)

        with ThreadPoolExecutor(6) as pool:
            answers = list(pool.map(attempt, range(6)))
    busy = [a for a in answers if a.status_code == 503]
    assert busy and all(int(a.headers["Retry-After"]) >= 1 and "系统繁忙" in a.text for a in busy)
    assert {a.status_code for a in answers} == {401, 503} and hasher.peak == 1


def test_login_throttling_survives_a_redis_outage(migrated_url: str, session_factory: sessionmaker[Session],
                                                  tokens: Tokens, small: Session, hasher: CountingHasher) -> None:
    with _client(migrated_url, session_factory, small, redis_url=dead_redis_url(), login_account_failures=2,
                 login_address_failures=0, login_lock_first_seconds=60) as web:
        assert [_try(web, "sme1", "wrong password").status_code for _ in range(2)] == [401, 401]
        assert _try(web, "sme1", PASSWORD).status_code == 429


def test_login_throttling_in_redis(migrated_url: str, session_factory: sessionmaker[Session], tokens: Tokens,
                                   small: Session, hasher: CountingHasher, redis_url: str,
                                   counter_prefix: str) -> None:
    shared = {"redis_url": redis_url, "counter_prefix": counter_prefix, "login_account_failures": 2,
              "login_address_failures": 0, "login_lock_first_seconds": 60}
    with _client(migrated_url, session_factory, small, **shared) as one, \
            make_client(migrated_url, session_factory, build_index=False, cookie_secure=False, **shared) as two:
        assert [_try(c, "sme1", "wrong password").status_code for c in (one, two)] == [401, 401]
        assert _try(one, "sme1", PASSWORD).status_code == 429
        assert _try(two, "sme1", PASSWORD).status_code == 429


def test_hash_gate_bounds_concurrency_and_turns_away_overflow() -> None:
    from app.auth.passwords import Busy, HashGate

    running = peak = 0
    lock = threading.Lock()

    def work() -> int:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return 1

    async def main() -> tuple[int, int]:
        gate = HashGate(concurrency=2, queue=3, wait_seconds=10)
        done = busy = 0

        async def one() -> None:
            nonlocal done, busy
            try:
                ran = await gate.run(work)
                done += ran
            except Busy as exc:
                assert exc.retry_after >= 1
                busy += 1

        async with anyio.create_task_group() as tg:
            for _ in range(10):
                tg.start_soon(one)
        return done, busy

    done, busy = run_async(main)
    # Two run, three wait, the other five are turned away at once.
    assert (done, busy, peak) == (5, 5, 2)
