"""The ``index.snapshot`` job: every ten minutes, on whichever node takes it, a new snapshot of the match index
when the chain graph changed or enough firms did since the newest one (workers then switch to it, and the
changes they held in private memory go back to the shared page cache).

The build runs in a child process (`chainmatch index build`): fitting a national registry takes gigabytes and
minutes of CPU that a web worker must not hold. A node without ``snapshot_dir`` has nothing to refresh.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from pydantic import BaseModel
from sqlalchemy.engine import Engine

from app.jobs.context import JobContext
from app.jobs.registry import JobKind
from app.match_index import snapshots
from matching.snapshot import read_manifest

EVERY_SECONDS = 600.0
BUILD_TIMEOUT = 3600.0


class SnapshotParams(BaseModel):
    # Firm changes since the newest snapshot that make a new one worth writing (a graph change always does).
    min_changes: int = 5000


def due(ctx: JobContext, folder: str, min_changes: int) -> dict[str, Any] | None:
    """Why a new snapshot is due, or None."""
    found = snapshots.newest(folder)
    position = 0 if found is None else int(read_manifest(found[1])["position"])
    changes, graph = snapshots.changes_since(ctx.factory, position)
    if found is None or graph or changes >= min_changes:
        return {"changes": changes, "graph_changes": graph, "previous": str(found[1]) if found else None}
    return None


def build_snapshot(ctx: JobContext, params: SnapshotParams) -> dict[str, Any]:
    folder = ctx.index.snapshot_dir
    if folder is None:
        return {"skipped": "this node has no snapshot_dir"}
    reason = due(ctx, str(folder), params.min_changes)
    if reason is None:
        return {"skipped": "too few changes since the newest snapshot"}
    bind = ctx.factory.kw.get("bind")
    if isinstance(bind, Engine):
        env = {**os.environ, "CHAINMATCH_DATABASE_URL": bind.url.render_as_string(hide_password=False)}
        done = subprocess.run([sys.executable, "-m", "app.cli", "index", "build", "--dir", str(folder)], env=env,
                              capture_output=True, text=True, timeout=BUILD_TIMEOUT, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"index build failed: {done.stderr.strip()[-500:]}")
        return {**reason, "output": done.stdout.strip()[-500:]}
    # A test's session bound to its own open transaction: the child could not see that data, build here.
    _, info = snapshots.build(ctx.factory, folder)
    return {**reason, **info}


SNAPSHOT = JobKind(name="index.snapshot", params=SnapshotParams, handler=build_snapshot, uses_index=True,
                   every_seconds=EVERY_SECONDS)
