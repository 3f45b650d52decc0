"""A streaming read replica of a private PostgreSQL cluster (bench/_faults_env.PrivatePostgres): pg_basebackup -R
into a temp dir, started on a port of its own as the postgres user. Used by the topology tests and
bench/scale.py; the shared server on 5432 is never touched.

Nothing here imports the app.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from bench._faults_env import PrivatePostgres


def subroot(root: Path, name: str) -> Path:
    path = root / name
    path.mkdir()
    os.chmod(path, 0o755)  # the postgres user must reach its cluster inside
    return path


class StreamingReplica(PrivatePostgres):
    """A hot standby of ``primary`` (initdb's trust rules already admit replication from 127.0.0.1)."""

    def __init__(self, root: Path, primary: PrivatePostgres) -> None:
        super().__init__(root, primary.bindir)
        self.primary = primary

    def init(self) -> None:
        # --checkpoint=fast: the default spread checkpoint would wait minutes for the primary's checkpoint pace
        self._as_postgres(str(self.bindir / "pg_basebackup"), "-D", str(self.data), "-h", "127.0.0.1", "-p",
                          str(self.primary.port), "-U", "postgres", "-R", "-X", "stream", "--no-sync",
                          "--checkpoint=fast", timeout=3600.0)
        self.start()

    def _one(self, url: str, sql: str) -> object:
        import psycopg

        with psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as conn:
            row = conn.execute(sql).fetchone()
            return row[0] if row else None

    def pause(self) -> None:
        """Stop replaying WAL: the replica lags from now on (as one far behind under load would)."""
        self._one(self.url(), "SELECT pg_wal_replay_pause()")

    def resume(self) -> None:
        self._one(self.url(), "SELECT pg_wal_replay_resume()")

    def lag_bytes(self) -> int:
        wanted = self._one(self.primary.url(), "SELECT pg_current_wal_lsn()::text")
        return int(self._one(self.url(), f"SELECT pg_wal_lsn_diff('{wanted}', pg_last_wal_replay_lsn())") or 0)

    def wait_caught_up(self, timeout: float = 30.0) -> float:
        """Seconds until the replica has replayed everything the primary had written when called."""
        wanted = self._one(self.primary.url(), "SELECT pg_current_wal_lsn()::text")
        start = time.monotonic()
        while not self._one(self.url(), f"SELECT pg_last_wal_replay_lsn() >= '{wanted}'::pg_lsn"):
            if time.monotonic() - start > timeout:
                raise RuntimeError(f"replica did not catch up with {wanted} in {timeout} s")
            time.sleep(0.02)
        return time.monotonic() - start
