"""The admission gate: requests in progress per worker are bounded, costly ones further; ordinary requests are
let in first; waiting ends in a 503 and a client that goes away gives its place back.

The gate is exercised on a small app whose routes block until released, so what is in progress is known
exactly; the real app's routes are checked for their declared cost.
"""

from __future__ import annotations

import threading

import anyio
import httpx
from fastapi import Depends, FastAPI

from app.core.admission import HEAVY, UNGATED, Gate, admit
from app.core.errors import install_error_handlers
from app.main import create_app
from tests.app.conftest import run_async

KINDS = ("heavy", "read", "write", "own")


class Probe:
    """Counts the routes' bodies in progress and keeps each kind until it is released."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running = dict.fromkeys(KINDS, 0)
        self.peak = dict.fromkeys(KINDS, 0)
        self.peak_all = 0
        self.order: list[str] = []
        self.release = {k: threading.Event() for k in KINDS}

    def work(self, kind: str) -> dict:
        with self.lock:
            self.running[kind] += 1
            self.order.append(kind)
            self.peak[kind] = max(self.peak[kind], self.running[kind])
            self.peak_all = max(self.peak_all, sum(self.running.values()))
        self.release[kind].wait(5)
        with self.lock:
            self.running[kind] -= 1
        return {"kind": kind}

    def release_all(self) -> None:
        for event in self.release.values():
            event.set()


def gated_app(probe: Probe, *, total: int, heavy: int, writes: int = 1, wait: float = 5) -> FastAPI:
    app = FastAPI(dependencies=[Depends(admit, scope="function")])
    install_error_handlers(app)
    app.state.admission = Gate(total=total, writes=writes, heavy=heavy, wait_seconds=wait)

    @app.get("/heavy", openapi_extra=HEAVY)
    def heavy_route() -> dict:
        return probe.work("heavy")

    @app.get("/light")
    def light_route() -> dict:
        return probe.work("read")

    @app.post("/write")
    def write_route() -> dict:
        return probe.work("write")

    @app.get("/own", openapi_extra=UNGATED)
    def own_route() -> dict:
        return probe.work("own")

    return app


class Calls:
    """Requests started one after another (each given time to reach the door), answers kept by name."""

    def __init__(self, app: FastAPI) -> None:
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
        self.answers: dict[str, httpx.Response] = {}

    async def start(self, tg: anyio.abc.TaskGroup, name: str, path: str) -> None:
        async def call() -> None:
            self.answers[name] = await (self.client.post(path) if path == "/write" else self.client.get(path))

        tg.start_soon(call)
        await anyio.sleep(0.05)


def play(calls: Calls, probe: Probe, starts: list[tuple[str, str]], running: dict[str, int]) -> None:
    """Start the requests in order, check what is in progress once they have settled, then let all finish."""

    async def main() -> None:
        async with anyio.create_task_group() as tg:
            for name, path in starts:
                await calls.start(tg, name, path)
            await anyio.sleep(0.2)
            assert probe.running == dict.fromkeys(KINDS, 0) | running
            probe.release_all()

    run_async(main)


def test_costly_requests_beyond_their_bound_wait_while_ordinary_ones_go_in() -> None:
    probe = Probe()
    calls = Calls(gated_app(probe, total=4, heavy=1))
    play(calls, probe, [("h1", "/heavy"), ("h2", "/heavy"), ("h3", "/heavy"), ("l1", "/light"), ("l2", "/light")],
         {"heavy": 1, "read": 2})
    assert {n: a.status_code for n, a in calls.answers.items()} == dict.fromkeys(("h1", "h2", "h3", "l1", "l2"), 200)
    assert probe.peak["heavy"] == 1


def test_ordinary_requests_are_let_in_before_costly_ones_that_came_first() -> None:
    probe = Probe()
    calls = Calls(gated_app(probe, total=2, heavy=2))

    async def main() -> None:
        async with anyio.create_task_group() as tg:
            await calls.start(tg, "h1", "/heavy")
            await calls.start(tg, "l1", "/light")  # both places taken
            await calls.start(tg, "h2", "/heavy")
            await calls.start(tg, "l2", "/light")  # queued after h2
            probe.release["read"].set()  # l1 leaves: its place goes to l2, not to h2
            await anyio.sleep(0.3)
            assert "l2" in calls.answers and "h2" not in calls.answers
            probe.release_all()

    run_async(main)
    assert all(a.status_code == 200 for a in calls.answers.values()) and len(calls.answers) == 4
    assert probe.order == ["heavy", "read", "read", "heavy"]


def test_requests_in_progress_never_exceed_the_bounds_and_one_place_is_kept_for_costly_ones() -> None:
    probe = Probe()
    calls = Calls(gated_app(probe, total=3, heavy=2))

    async def main() -> None:
        async with anyio.create_task_group() as tg:
            for i in range(6):
                await calls.start(tg, f"l{i}", "/light")
            await calls.start(tg, "h0", "/heavy")
            await anyio.sleep(0.2)
            # Six ordinary requests wait for two places; the costly one got the place kept for its kind.
            assert probe.running == {"heavy": 1, "read": 2, "write": 0, "own": 0}
            for i in range(1, 3):
                await calls.start(tg, f"h{i}", "/heavy")
            probe.release_all()

    run_async(main)
    assert len(calls.answers) == 9 and all(a.status_code == 200 for a in calls.answers.values())
    assert probe.peak_all <= 3 and probe.peak["read"] <= 2 and probe.peak["heavy"] <= 2


def test_writers_have_places_of_their_own_so_readers_do_not_wait_behind_them() -> None:
    probe = Probe()
    calls = Calls(gated_app(probe, total=4, heavy=1, writes=1))
    # One writes, two wait (as for SQLite's write lock); the readers go in beside them.
    play(calls, probe, [(f"w{i}", "/write") for i in range(3)] + [(f"r{i}", "/light") for i in range(3)],
         {"read": 3, "write": 1})
    assert len(calls.answers) == 6 and all(a.status_code == 200 for a in calls.answers.values())
    assert probe.peak["write"] == 1


def test_a_request_that_waits_too_long_gets_503_in_the_envelope_and_does_nothing() -> None:
    probe = Probe()
    calls = Calls(gated_app(probe, total=2, heavy=1, wait=0.2))

    async def main() -> None:
        async with anyio.create_task_group() as tg:
            await calls.start(tg, "first", "/light")
            await calls.start(tg, "second", "/light")
            await anyio.sleep(0.4)  # the second one has given up by now
            assert "second" in calls.answers
            probe.release_all()

    run_async(main)
    refused = calls.answers["second"]
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "1"
    assert refused.json()["error"]["code"] == "busy"
    assert calls.answers["first"].status_code == 200
    assert probe.peak["read"] == 1  # the refused request never ran


def test_a_client_that_goes_away_while_waiting_gives_its_place_back() -> None:
    probe = Probe()
    app = gated_app(probe, total=2, heavy=1)
    calls = Calls(app)

    async def main() -> None:
        async with anyio.create_task_group() as tg:
            await calls.start(tg, "first", "/light")
            with anyio.move_on_after(0.2):  # this client gives up while waiting at the door
                await calls.client.get("/light")
            probe.release_all()
        gate: Gate = app.state.admission
        assert gate.running == {"read": 0, "write": 0, "heavy": 0} and not gate.waiting["read"]
        probe.release = {k: threading.Event() for k in KINDS}
        probe.release_all()
        assert (await calls.client.get("/light")).status_code == 200  # the place was not lost

    run_async(main)


def test_a_route_with_its_own_limit_is_not_held_at_the_door() -> None:
    probe = Probe()
    calls = Calls(gated_app(probe, total=2, heavy=1))
    play(calls, probe, [("light", "/light")] + [(f"own{i}", "/own") for i in range(3)], {"read": 1, "own": 3})
    assert len(calls.answers) == 4


def test_the_app_declares_the_cost_of_its_ranking_publishing_and_file_routes() -> None:
    schema = create_app().openapi()

    def cost(path: str, method: str) -> str | None:
        return schema["paths"][path][method].get("x-cost")  # type: ignore[no-any-return]

    assert cost("/api/v1/match", "post") == "heavy"
    assert cost("/api/v1/needs/{need_id}/publish", "post") == "heavy"
    assert cost("/api/v1/needs/{need_id}/matches", "get") == "heavy"
    assert cost("/api/v1/catalogues/{catalogue_id}/export", "get") == "heavy"
    assert cost("/api/v1/catalogues/{catalogue_id}/import", "post") == "heavy"
    assert cost("/health", "get") == "ungated"
    assert cost("/api/v1/enterprises", "get") is None
    assert cost("/api/v1/me/opportunities", "get") is None
