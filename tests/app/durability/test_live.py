"""Across real worker processes: an acknowledged write is committed (read-your-writes, kill -9), simultaneous
state changes take effect once and answer 409 to the others, and a storm of writers on SQLite sees no 5xx."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.app.durability.live import PASSWORD, LiveServer, live_server
from tests.app.needs.helpers import need_body
from tests.conftest import BACKENDS

pytestmark = pytest.mark.live


@pytest.fixture(scope="module", params=BACKENDS)
def live(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = live_server(tmp_path_factory.mktemp("live"), str(request.param))
    server.start()
    yield server
    server.stop()
    server.drop()


def post_need(live: LiveServer, client: httpx.Client | None = None, **overrides: object) -> int:
    c = client or httpx.Client(base_url=live.base, timeout=30)
    resp = c.post("/api/v1/needs", json=need_body(**overrides), headers=live.headers("leader"))
    assert resp.status_code == 201, resp.text
    return int(resp.json()["id"])


def simultaneously(n: int, call) -> list[httpx.Response]:  # type: ignore[no-untyped-def]
    """n calls released together, each on its own connection (so they spread over both workers)."""
    gate = threading.Barrier(n)

    def one(_: int) -> httpx.Response:
        with httpx.Client(timeout=60) as c:
            gate.wait()
            return call(c)  # type: ignore[no-any-return]

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(one, range(n)))


def test_read_your_writes_across_workers(live: LiveServer) -> None:
    misses = 0
    for i in range(60):
        # A fresh connection for the write and for the read: the kernel hands them to either worker.
        with httpx.Client(base_url=live.base, timeout=30) as w:
            need_id = post_need(live, w, title=f"采购碳酸锂 第{i}批")
        with httpx.Client(base_url=live.base, timeout=30) as r:
            misses += r.get(f"/api/v1/needs/{need_id}", headers=live.headers("leader")).status_code != 200
    assert misses == 0


def test_logins_land_on_the_home_page(live: LiveServer) -> None:
    """The session row is committed before the redirect: the next request, on either worker, finds it."""
    bounced = 0
    for _ in range(40):
        with httpx.Client(base_url=live.base, timeout=30) as c:
            csrf = c.get("/login").cookies["cm_csrf"]
            done = c.post("/login", data={"login": "buyer", "password": PASSWORD, "csrf": csrf})
            assert done.status_code == 303 and done.headers["location"] == "/"
        # The browser's next request comes on a new connection, to whichever worker takes it.
        with httpx.Client(base_url=live.base, timeout=30, cookies=done.cookies) as b:
            home = b.get("/")
            bounced += home.status_code != 200 or home.headers.get("location") == "/login"
    assert bounced == 0


def test_simultaneous_publishes_take_effect_once(live: LiveServer) -> None:
    need_id = post_need(live)
    url = f"{live.base}/api/v1/needs/{need_id}/publish"
    answers = simultaneously(6, lambda c: c.post(url, json={"top_n": 5}, headers=live.headers("leader")))
    codes = Counter(r.status_code for r in answers)
    assert codes == {200: 1, 409: 5}, [r.text for r in answers]
    versions = httpx.get(f"{live.base}/api/v1/needs/{need_id}/versions", headers=live.headers("leader")).json()
    assert [v["version"] for v in versions] == [1]


def test_simultaneous_interests_take_effect_once(live: LiveServer) -> None:
    need_id = post_need(live)
    published = httpx.post(f"{live.base}/api/v1/needs/{need_id}/publish", json={"top_n": 5},
                           headers=live.headers("leader"), timeout=30)
    assert published.status_code == 200
    url = f"{live.base}/api/v1/me/opportunities/{need_id}/interest"
    answers = simultaneously(6, lambda c: c.post(url, json={"message": "有现货"}, headers=live.headers("sme")))
    codes = Counter(r.status_code for r in answers)
    assert codes[409] == 5 and sum(codes.values()) == 6 and not any(c >= 500 for c in codes), codes
    interests = httpx.get(f"{live.base}/api/v1/needs/{need_id}/interests", headers=live.headers("leader")).json()
    assert interests["total"] == 1


def test_a_storm_of_writers_sees_no_server_error(live: LiveServer) -> None:
    stop_at = time.monotonic() + 4.0
    need_id = post_need(live)

    def writer(i: int) -> Counter[int]:
        seen: Counter[int] = Counter()
        with httpx.Client(base_url=live.base, timeout=60) as c:
            while time.monotonic() < stop_at:
                if i % 2:
                    r = c.post("/api/v1/needs", json=need_body(title=f"采购隔膜{i}"), headers=live.headers("leader"))
                else:
                    r = c.patch(f"/api/v1/needs/{need_id}", json={"quantity": f"{i}吨"},
                                headers=live.headers("leader"))
                seen[r.status_code] += 1
        return seen

    with ThreadPoolExecutor(12) as pool:
        total = sum(pool.map(writer, range(12)), Counter())
    assert sum(total.values()) > 20
    assert set(total) <= {200, 201}, total


def test_acknowledged_writes_survive_kill9(live: LiveServer) -> None:
    acknowledged = []
    with httpx.Client(base_url=live.base, timeout=30) as c:
        for i in range(10):
            acknowledged.append(post_need(live, c, title=f"采购负极材料{i}"))
    live.kill9()  # right after the last 201, with no chance to flush anything
    live.start()
    with httpx.Client(base_url=live.base, timeout=30) as c:
        lost = [i for i in acknowledged if c.get(f"/api/v1/needs/{i}", headers=live.headers("leader")).status_code
                != 200]
        fresh = post_need(live, c)
    assert lost == []
    assert fresh not in acknowledged and fresh > max(acknowledged)
