"""`chainmatch serve --workers N`: the supervisor's settings."""

from __future__ import annotations

import pytest

from app.core import serve


def test_a_busy_worker_is_given_a_minute_before_the_supervisor_kills_it(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[object] = []

    class FakeSupervisor:
        def __init__(self, config, sockets) -> None:  # type: ignore[no-untyped-def]
            made.append(config)
            for s in sockets:
                s.close()

        def run(self) -> None:
            return None

    monkeypatch.setattr(serve, "Multiprocess", FakeSupervisor)
    serve.run(host="127.0.0.1", port=0, workers=2)
    (config,) = made
    # uvicorn's default is 5 s: a worker holding the GIL under load missed the ping and was killed mid-request.
    assert config.timeout_worker_healthcheck >= 30  # type: ignore[attr-defined]
    assert config.workers == 2  # type: ignore[attr-defined]
