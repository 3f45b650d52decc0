"""The checkout the benchmarks belong to (REPO) and its chainmatch CLI, which they drive (init, import, demo, serve)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def find_cli() -> str | None:
    """The chainmatch script next to this Python, else in the checkout's .venv, else on PATH; None if none."""
    for cand in (Path(sys.executable).parent / "chainmatch", REPO / ".venv" / "bin" / "chainmatch"):
        if cand.exists():
            return str(cand)
    return shutil.which("chainmatch")


def require_cli() -> str:
    found = find_cli()
    if found is None:
        raise RuntimeError("the chainmatch CLI is not installed (next to this Python, in .venv/bin or on PATH)")
    return found


def server_env(**settings: str) -> dict[str, str]:
    """The environment for a benchmark's server: this checkout first on the path, rate limits off (a load test
    is not abuse), and the given CHAINMATCH_ settings (``database_url="sqlite:///…"``)."""
    return {**os.environ, "PYTHONPATH": str(REPO), "CHAINMATCH_RATE_LIMIT_PER_TOKEN": "0",
            "CHAINMATCH_RATE_LIMIT_PER_IP": "0"} | {f"CHAINMATCH_{k.upper()}": v for k, v in settings.items()}
