"""Across real worker processes: a token's rate limit is one budget, not one per worker."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest

from tests.app.conftest import require_redis
from tests.app.durability.live import LiveServer, live_server

pytestmark = pytest.mark.live
LIMIT = 20


@pytest.fixture(scope="module", params=[("sqlite", "database"), ("sqlite", "redis")],
                ids=lambda p: "-".join(p))
def live(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    backend, store = request.param
    env = {"CHAINMATCH_RATE_LIMIT_PER_TOKEN": str(LIMIT), "CHAINMATCH_RATE_LIMIT_PER_IP": "0"}
    if store == "redis":
        env |= {"CHAINMATCH_REDIS_URL": require_redis(), "CHAINMATCH_COUNTER_PREFIX": f"test-{uuid.uuid4().hex[:12]}:"}
    server = live_server(tmp_path_factory.mktemp("live"), backend, **env)
    server.start()
    yield server
    server.stop()
    server.drop()


def test_two_workers_spend_one_token_budget(live: LiveServer) -> None:
    codes: Counter[int] = Counter()
    for _ in range(2 * LIMIT):
        # A fresh connection each time: the kernel hands them to either worker.
        with httpx.Client(base_url=live.base, timeout=30) as c:
            codes[c.get("/api/v1/me", headers=live.headers("sme")).status_code] += 1
    # At most the limit (fewer only if the run straddles a minute and the previous one still weighs in).
    assert codes[200] <= LIMIT and codes[200] + codes[429] == 2 * LIMIT, codes
    assert codes[200] >= LIMIT // 2, codes
    with httpx.Client(base_url=live.base, timeout=30) as c:
        assert c.get("/api/v1/me", headers=live.headers("leader")).status_code == 200
