"""The ground bench/faults.py stands on: seeded databases, a private PostgreSQL cluster, servers it may kill.

Nothing here imports the app: the app's own code runs only in child processes (the seeding child and
`chainmatch serve`), with this checkout first on PYTHONPATH, so the benchmark measures the commit it sits in.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._http_load import free_port
from bench.common.cli import REPO, require_cli

READY_TIMEOUT = 90.0


def child_env(url: str, **settings: str) -> dict[str, str]:
    """Environment for app processes: this checkout first on the path, the database, CHAINMATCH_* overrides."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHAINMATCH_")}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])])
    env["CHAINMATCH_DATABASE_URL"] = url
    env.update({f"CHAINMATCH_{k.upper()}": v for k, v in settings.items()})
    return env


# --------------------------------------------------------------------------------------------------- seeding
def seed_child(url: str) -> dict[str, Any]:
    """Run in a child: the steps of `chainmatch demo --no-serve` on any database URL, then what the bench needs."""
    from sqlalchemy import select

    from app.cli import DEMO_PASSWORD, _demo_tokens, _session_factory, run_chainkg_import
    from app.core.migrations import upgrade
    from app.imports.demo import DEMO_DIR, apply_overlay
    from app.imports.demo_activity import seed_quarter
    from app.models import ChainNode, Enterprise, Need, NeedNode

    upgrade(url)
    run_chainkg_import(url, DEMO_DIR / "chainkg", quiet=True)
    factory = _session_factory(url)
    with factory() as session, session.begin():
        apply_overlay(session, DEMO_DIR / "demo.json")
    seed_quarter(factory)
    with factory() as session, session.begin():
        tokens = _demo_tokens(session)
    with factory() as session:
        first = session.scalar(select(Need).order_by(Need.id).limit(1))
        assert first is not None, "the demo posted no needs"
        leader = session.get(Enterprise, first.poster_org_id)
        nodes = list(dict.fromkeys(session.scalars(
            select(ChainNode.name).join(NeedNode, NeedNode.node_id == ChainNode.id).order_by(NeedNode.need_id))))
    factory.kw["bind"].dispose()
    return {"tokens": tokens, "leader_code": leader.code if leader else "", "nodes": nodes, "chain": "libattery",
            "web_login": "leader", "web_password": DEMO_PASSWORD}


def seed(url: str, log: Path) -> dict[str, Any]:
    res = subprocess.run([sys.executable, "-m", "bench.faults", "--child", "seed", "--url", url],
                         env=child_env(url), cwd=REPO, capture_output=True, text=True)
    log.write_text(res.stdout + res.stderr, encoding="utf-8")
    if res.returncode != 0:
        raise RuntimeError(f"seeding failed ({res.returncode}):\n{(res.stdout + res.stderr)[-2000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


# ------------------------------------------------------------------------------------------ private cluster
class PrivatePostgres:
    """A PostgreSQL cluster of our own in a temp dir (run as the postgres user, since root is refused).

    Stopping it is the outage scenario; it touches no one else's server.
    """

    def __init__(self, root: Path, bindir: Path | None = None) -> None:
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
        if bindir is None and not found:
            raise RuntimeError("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
        self.bindir = bindir or found[-1].parent
        self.dir = root / "pg"
        self.dir.mkdir()
        self.data, self.logfile = self.dir / "data", self.dir / "server.log"
        self.port = free_port()
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root; as anyone else it runs as that user
            user = pwd.getpwnam("postgres")
            os.chown(self.dir, user.pw_uid, user.pw_gid)
        self.running = False

    def _as_postgres(self, *args: str, timeout: float = 120.0) -> None:
        cmd = ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else list(args)
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=self.dir)
        if res.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {(res.stdout + res.stderr)[-1500:]}")

    def init(self) -> None:
        self._as_postgres(str(self.bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                          "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        self.start()

    def start(self) -> None:
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=200"
        self._as_postgres(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.logfile), "-o", opts,
                          "-w", "-t", "60", "start")
        self.running = True

    def stop(self, mode: str = "fast") -> None:
        self._as_postgres(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")
        self.running = False

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def close(self) -> None:
        if self.running:
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                self.stop("immediate")


# ----------------------------------------------------------------------------------------------- backends
class Backend:
    """One database kind: a seeded database made once, cloned fresh for every scenario."""

    name = ""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.info: dict[str, Any] = {}
        self.seed_s = 0.0

    def prepare(self) -> None:
        t = time.perf_counter()
        self.info = seed(self.seed_url(), self.root / f"seed-{self.name}.log")
        self.seed_s = time.perf_counter() - t

    def seed_url(self) -> str:
        raise NotImplementedError

    def clone(self, label: str) -> str:
        raise NotImplementedError

    # The outage scenario: make the database unusable, then give it back.
    outage_kind = ""

    def outage_begin(self, url: str) -> None:
        raise NotImplementedError

    def outage_end(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        pass


class SqliteBackend(Backend):
    name = "sqlite"

    def seed_url(self) -> str:
        return f"sqlite:///{self.root / 'seed.db'}"

    def clone(self, label: str) -> str:
        src, dst = self.root / "seed.db", self.root / f"{label}.db"
        # The backup API copies a consistent database whatever is still in the seed's WAL.
        with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
            a.backup(b)
        return f"sqlite:///{dst}"

    # A file cannot be stopped: root ignores permission bits, and pooled connections keep a moved file's inode
    # (new ones would silently make an empty database). What does happen to SQLite is another process holding
    # the write lock, so that is the outage here: reads go on (WAL), writes wait for the lock.
    outage_kind = "another process holds the SQLite write lock (BEGIN EXCLUSIVE)"
    _holder: sqlite3.Connection | None = None

    def outage_begin(self, url: str) -> None:
        self._holder = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30, isolation_level=None)
        self._holder.execute("BEGIN EXCLUSIVE")

    def outage_end(self) -> None:
        if self._holder is not None:
            self._holder.execute("ROLLBACK")
            self._holder.close()
            self._holder = None


class PostgresBackend(Backend):
    """Every PostgreSQL scenario runs on the private cluster, the outage scenario because it stops the server,
    the others so that they load no one else's."""

    name = "postgresql"

    def __init__(self, root: Path, bindir: Path | None = None) -> None:
        super().__init__(root)
        self.cluster = PrivatePostgres(root, bindir)

    def prepare(self) -> None:
        self.cluster.init()
        admin_sql(self.cluster.url(), 'CREATE DATABASE "seed"')
        super().prepare()

    def seed_url(self) -> str:
        return self.cluster.url("seed")

    def clone(self, label: str) -> str:
        if not self.cluster.running:
            self.cluster.start()
        admin_sql(self.cluster.url(), f'CREATE DATABASE "{label}" TEMPLATE "seed"')
        return self.cluster.url(label)

    outage_kind = "the private PostgreSQL cluster stopped (pg_ctl stop -m fast), then started again"

    def outage_begin(self, url: str) -> None:
        self.cluster.stop("fast")

    def outage_end(self) -> None:
        self.cluster.start()

    def close(self) -> None:
        self.cluster.close()


def admin_sql(url: str, statement: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()


def query(url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """Rows of one read-only query, on a connection of its own (the servers may be dead or alive)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


# ------------------------------------------------------------------------------------------------ servers
class Server:
    """`chainmatch serve --workers N` in its own process group; kill9() is SIGKILL to that whole group."""

    def __init__(self, env: dict[str, str], logdir: Path, label: str, workers: int = 2,
                 ready_timeout: float = READY_TIMEOUT) -> None:
        self.env, self.logdir, self.label, self.workers = env, logdir, label, workers
        self.ready_timeout = ready_timeout
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.log_path = logdir / f"{label}.log"

    def start(self) -> float:
        """Start and wait until every worker is up and the index is ready; returns the seconds it took."""
        import httpx

        self.starts += 1
        self.log_path = self.logdir / f"{self.label}-{self.starts}.log"
        t0 = time.perf_counter()
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen([require_cli(), "serve", "--host", "127.0.0.1", "--port", str(self.port),
                                          "--workers", str(self.workers)], env=self.env, cwd=REPO, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        while time.perf_counter() - t0 < self.ready_timeout and self.proc.poll() is None:
            try:
                health = httpx.get(f"{self.base}/health", timeout=2.0).json()
                started = self.log_path.read_text(errors="replace").count("Application startup complete")
                if health.get("index", {}).get("ready") and started >= self.workers:
                    return time.perf_counter() - t0
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.2)
        tail = "\n".join(self.log_path.read_text(errors="replace").splitlines()[-15:])
        state = f"exited with {self.proc.returncode}" if self.proc.poll() is not None else "timed out"
        self.kill9()
        raise RuntimeError(f"server {self.label} not ready ({state}):\n{tail}")

    def kill9(self) -> None:
        """SIGKILL the uvicorn master and its workers at once, as `kill -9 -PGID` would."""
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            self.kill9()
            return
        self.proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=15)
        self.kill9()


def make_root(keep: bool) -> Path:
    root = Path(tempfile.mkdtemp(prefix="chainmatch-faults-"))
    os.chmod(root, 0o755)  # the postgres user must reach its cluster inside
    if keep:
        print(f"work dir (kept): {root}")
    return root


# ------------------------------------------------------------------------------------------ scenario kit
class Report:
    """What a scenario found: table rows (figure, value, the issue's bar, met or not) and raw figures for JSON."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, bool | None]] = []
        self.data: dict[str, Any] = {}

    def row(self, figure: str, value: Any, bar: str = "", met: bool | None = None) -> None:
        self.rows.append((figure, str(value), bar, met))


class Ctx:
    """What a scenario gets: its backend (a fresh clone of the seeded database per server), a work dir, --quick."""

    def __init__(self, backend: Backend, root: Path, quick: bool) -> None:
        self.backend, self.root, self.quick = backend, root, quick
        self.info = backend.info
        self.servers: list[Server] = []

    def token(self, role: str) -> str:
        return str(self.info["tokens"][role])

    def env(self, url: str, *, rate_limits: bool = False, **settings: str) -> dict[str, str]:
        # Plain HTTP on 127.0.0.1: cookies may not be Secure. Rate limits are off unless a scenario is about load.
        base = {"cookie_secure": "false"}
        if not rate_limits:
            base |= {"rate_limit_per_token": "0", "rate_limit_per_ip": "0"}
        return child_env(url, **(base | settings))

    def server(self, label: str, *, url: str | None = None, rate_limits: bool = False, workers: int = 2,
               **settings: str) -> tuple[Server, str]:
        """A server (not started yet) on a fresh clone of the seeded database, or on ``url``."""
        url = url or self.backend.clone(f"s_{label}")
        srv = Server(self.env(url, rate_limits=rate_limits, **settings), self.root,
                     f"{self.backend.name}-{label}-{len(self.servers)}", workers=workers)
        self.servers.append(srv)
        return srv, url

    def close(self) -> None:
        for srv in self.servers:
            srv.stop()
