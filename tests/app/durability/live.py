"""A real `chainmatch serve --workers 2` on a fresh database of its own, for tests of what only shows across
processes: read-your-writes between workers, simultaneous requests, kill -9, a database outage."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy.orm import sessionmaker

from app.auth.tokens import create_token
from app.auth.web_sessions import create_user
from app.core.db import make_engine
from app.core.migrations import upgrade
from tests.app.conftest import load_small
from tests.conftest import REPO, fresh_database

CLI = Path(sys.executable).with_name("chainmatch")
PASSWORD = "live-test-password"
START_TIMEOUT = 90.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed(url: str) -> dict[str, str]:
    """The small fixture chain, committed, and a token per role."""
    upgrade(url)
    engine = make_engine(url)
    with sessionmaker(engine)() as session:
        load_small(session)
        made = {
            "leader": create_token(session, role="leader", name="live-leader", org_code="100006")[0],
            "sme": create_token(session, role="sme", name="live-sme", org_code="100002")[0],
            "operator": create_token(session, role="operator", name="live-op")[0],
        }
        create_user(session, login="buyer", password=PASSWORD, role="leader", name="采购部", org_code="100006")
        session.commit()
    engine.dispose()
    return made


@dataclass
class LiveServer:
    url: str
    tokens: dict[str, str]
    log: Path
    env: dict[str, str] = field(default_factory=dict)
    port: int = 0
    proc: subprocess.Popen[bytes] | None = None
    drop: Callable[[], None] = lambda: None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def start(self) -> None:
        self.port = self.port or free_port()
        env = {**os.environ, "CHAINMATCH_DATABASE_URL": self.url, "CHAINMATCH_RATE_LIMIT_PER_TOKEN": "0",
               "CHAINMATCH_COOKIE_SECURE": "false",
               "CHAINMATCH_RATE_LIMIT_PER_IP": "0", "CHAINMATCH_DISPATCH_WEBHOOKS": "false",
               "PYTHONPATH": str(REPO), **self.env}
        with self.log.open("ab") as out:
            # A session of its own: kill -9 reaches the supervisor and every worker at once.
            self.proc = subprocess.Popen([str(CLI), "serve", "--host", "127.0.0.1", "--port", str(self.port),
                                          "--workers", "2"], env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-3000:]}")
            try:
                ready = httpx.get(self.base + "/health", timeout=2).json()["index"]["ready"]
                if ready and self._both_workers_ready():
                    return
            except (httpx.HTTPError, KeyError, ValueError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"server did not start: {self.log.read_text()[-3000:]}")

    def _both_workers_ready(self) -> bool:
        # New connections are spread over the workers by the kernel: several ready answers in a row mean both are.
        return all(httpx.get(self.base + "/health", timeout=2).json()["index"]["ready"] for _ in range(8))

    def kill9(self) -> None:
        if self.proc is not None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
            self.proc = None

    def stop(self) -> None:
        if self.proc is not None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill9()
            self.proc = None


def live_server(tmp: Path, backend: str, **env: str) -> LiveServer:
    url, drop = fresh_database(tmp, backend)
    server = LiveServer(url=url, tokens=seed(url), log=tmp / "server.log", env=env)
    server.drop = drop  # type: ignore[assignment]
    return server
