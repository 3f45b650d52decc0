"""Run the API under uvicorn: one worker in this process, several under the pre-fork supervisor (prefork.py).

One worker binds through uvicorn itself (asyncio's server sets TCP_NODELAY on accepted connections). Several
workers share the imported app and the preloaded match index with a supervisor that forks them, each with a
listening socket of its own (see prefork.py for why uvicorn's own supervisor is not used).
"""

from __future__ import annotations

from collections.abc import Callable

import uvicorn

from app.core import prefork
from app.core.prefork import APP


def run(*, host: str, port: int, workers: int, preload: Callable[[], object] | None = None,
        stale: Callable[[], bool] | None = None) -> None:
    """``preload`` builds, in the supervisor, what several workers share, again when ``stale()`` (the CLI passes
    the match index's: built once, again when a newer snapshot appears)."""
    if workers <= 1:
        uvicorn.run(APP, host=host, port=port, log_level="info")
        return
    prefork.run(host=host, port=port, workers=workers, preload=preload, stale=stale)
