"""A password login attempt: throttle check, one bounded argon2 check, then a session or a counted failure.

The route is async so a waiting login holds no request thread; database and counter calls go to worker threads.
It has no request-long database session: the lookup, the new session and a failure's audit entry each take a
short transaction of their own, committed before the answer is sent. A request-long writer transaction would
hold SQLite's write lock through the password check, a few hundred milliseconds in which no one else could write.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import anyio
from sqlalchemy.orm import Session, sessionmaker

from app.auth import web_sessions
from app.auth.passwords import Busy, HashGate, verify_password
from app.auth.throttle import LoginPolicy, LoginThrottle
from app.core.audit import record
from app.core.config import Settings
from app.core.counters import Counters
from app.core.db import begin_writer
from app.models import Principal


@dataclass(frozen=True)
class Attempt:
    secret: str | None = None
    # locked: throttled, the password was not checked; busy: too many checks waiting; wrong: checked and wrong.
    refused: Literal["locked", "busy", "wrong"] | None = None
    # Seconds to wait before trying again (0: no need to wait).
    retry_after: int = 0


class LoginGuard:
    def __init__(self, throttle: LoginThrottle, gate: HashGate, factory: sessionmaker[Session]) -> None:
        self.throttle, self.gate, self._factory = throttle, gate, factory

    @classmethod
    def from_settings(cls, store: Counters, settings: Settings, factory: sessionmaker[Session]) -> LoginGuard:
        gate = HashGate(concurrency=settings.login_hash_concurrency, queue=settings.login_hash_queue,
                        wait_seconds=settings.login_hash_wait_seconds)
        return cls(LoginThrottle(store, LoginPolicy.from_settings(settings)), gate, factory)

    async def attempt(self, *, login: str, password: str, address: str) -> Attempt:
        # First what costs nothing: in a flood most attempts end here, and each must stay cheap.
        if self.gate.full():
            return Attempt(refused="busy", retry_after=self.gate.retry_after())
        locked = await anyio.to_thread.run_sync(lambda: self.throttle.locked_for(login=login, address=address))
        if locked:
            return Attempt(refused="locked", retry_after=_seconds(locked))
        user = await anyio.to_thread.run_sync(self._find, login)
        try:
            ok = await self.gate.run(verify_password, user.password_hash if user else None, password)
        except Busy as exc:
            return Attempt(refused="busy", retry_after=exc.retry_after)
        if ok and user is not None:
            secret = await anyio.to_thread.run_sync(self._succeed, user, login)
            return Attempt(secret=secret)
        lock = await anyio.to_thread.run_sync(self._fail, user, login, address)
        return Attempt(refused="wrong", retry_after=_seconds(lock) if lock else 0)

    def _find(self, login: str) -> Principal | None:
        with self._factory() as session:
            return web_sessions.find_user(session, login)

    def _succeed(self, user: Principal, login: str) -> str:
        self.throttle.succeeded(login=login)
        with self._factory() as session:
            begin_writer(session)
            secret = web_sessions.start(session, user)[0]
            session.commit()
        return secret

    def _fail(self, user: Principal | None, login: str, address: str) -> float:
        lock = self.throttle.failed(login=login, address=address)
        # Recorded whatever becomes of the request; never the password, the login in full in `after`.
        with self._factory() as session:
            begin_writer(session)
            record(session, principal=None, action="session.login_failed", entity="login", entity_id=login[:40],
                   after={"login": login, "address": address, "known_user": user is not None,
                          "locked_seconds": lock})
            session.commit()
        return lock


def _seconds(wait: float) -> int:
    return max(1, math.ceil(wait))
