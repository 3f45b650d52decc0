"""A real HTTP server for the page tests: uvicorn on 127.0.0.1 in a thread of the test process, on a fresh
SQLite database with the small chain, web users for every role, and cheap password hashing (argon2 at test
strength: a test's many logins are not an attack)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from argon2 import PasswordHasher
from sqlalchemy.orm import sessionmaker

from app.auth import passwords
from app.auth.web_sessions import create_user
from app.chains.schemas import ChainCreate
from app.chains.service import create_chain
from app.core.config import Settings
from app.core.db import make_engine
from app.core.migrations import upgrade
from app.main import create_app
from tests.app.conftest import load_small
from tests.conftest import fresh_database

PASSWORD = "journey-password-1"
# login: (role, firm code, name)
USERS = {"leader1": ("leader", "100006", "采购部 王经理"), "sme1": ("sme", "100002", "销售部 李经理"),
         "sme2": ("sme", "100003", "市场部 赵经理"), "operator1": ("operator", None, "工信厅 运营专员"),
         "admin1": ("admin", None, "平台管理员")}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Site:
    base: str
    url: str

    def client(self, **kw: Any) -> httpx.Client:
        return httpx.Client(base_url=self.base, timeout=30, **kw)


def seed(url: str) -> None:
    engine = make_engine(url)
    with sessionmaker(engine)() as session:
        load_small(session)
        for login, (role, org, name) in USERS.items():
            create_user(session, login=login, password=PASSWORD, role=role, name=name, org_code=org)
        create_chain(session=session, data=ChainCreate(code="li", name="锂电池产业链", root="新能源汽车", depth=4))
        session.commit()
    engine.dispose()


@contextmanager
def running_site(tmp: Path, **overrides: Any) -> Iterator[Site]:
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # type: ignore[attr-defined]
    url, drop = fresh_database(tmp, "sqlite")
    upgrade(url)
    seed(url)
    values: dict[str, Any] = {"database_url": url, "cookie_secure": False, "rate_limit_per_ip": 0,
                              "rate_limit_per_token": 0, "dispatch_webhooks": False, "job_poll_seconds": 0.2,
                              "login_address_failures": 0, "login_account_failures": 0}
    app = create_app(Settings(**(values | overrides)))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="web-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield Site(base=f"http://127.0.0.1:{port}", url=url)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        drop()  # type: ignore[operator]
