"""The deployment's topology on this machine: a private PostgreSQL primary with a streaming replica
(pg_basebackup -R, a second postgres on another port), app instances reading from the replica, and two app nodes
as processes on different ports with different snapshot folders.

A person who has just written reads their own write while the replica lags (its replay paused); others read the
replica; once it has caught up, answers are the same from either. A change through node A reaches node B's matches
through the change log and LISTEN/NOTIFY.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from app.auth.tokens import create_token
from app.core.config import Settings
from app.core.db import make_engine, make_sessionmaker
from app.core.migrations import upgrade
from app.core.replica import HEADER
from app.main import create_app
from bench._faults_env import PrivatePostgres, Server, child_env
from bench._pg_replica import StreamingReplica, subroot
from tests.app.conftest import load_small

if not sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_basebackup")):
    pytest.skip("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (initdb, pg_basebackup)",
                allow_module_level=True)


class Cluster:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="chainmatch-topology-"))
        self.root.chmod(0o755)
        self.primary = PrivatePostgres(subroot(self.root, "primary"))
        self.replica = StreamingReplica(subroot(self.root, "replica"), self.primary)
        self.tokens: dict[str, str] = {}

    def start(self) -> None:
        self.primary.init()
        url = self.primary.url()
        upgrade(url)
        engine = make_engine(url)
        with make_sessionmaker(engine)() as session:
            load_small(session)
            for role, org in (("operator", None), ("admin", None), ("leader", "100006")):
                self.tokens[role] = create_token(session, role=role, name=f"topology {role}", org_code=org)[0]
            session.commit()
        engine.dispose()
        self.replica.init()
        self.replica.wait_caught_up()

    def close(self) -> None:
        self.replica.close()
        self.primary.close()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    c = Cluster()
    try:
        c.start()
        yield c
    finally:
        c.close()


def app_client(cluster: Cluster, **settings: Any) -> TestClient:
    values: dict[str, Any] = {"database_url": cluster.primary.url(), "replica_url": cluster.replica.url(),
                              "run_jobs": False, "dispatch_webhooks": False, "index_sync_seconds": 0,
                              "rate_limit_per_token": 0, "rate_limit_per_ip": 0, "cookie_secure": False}
    return TestClient(create_app(Settings(**(values | settings))))


def auth(cluster: Cluster, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {cluster.tokens[role]}"}


def names(client: TestClient, cluster: Cluster, q: str, **headers: str) -> list[str]:
    r = client.get("/api/v1/enterprises", params={"q": q}, headers=auth(cluster, "admin") | headers)
    assert r.status_code == 200, r.text
    return [i["name"] for i in r.json()["items"]]


def test_a_writer_reads_its_write_while_the_replica_lags(cluster: Cluster) -> None:
    with app_client(cluster) as writer, app_client(cluster) as other:
        cluster.replica.pause()
        try:
            r = writer.patch("/api/v1/enterprises/100009", json={"name": "平安银行（复核）"},
                             headers=auth(cluster, "operator"))
            assert r.status_code == 200, r.text
            position = r.headers[HEADER]
            assert cluster.replica.lag_bytes() > 0
            # the same client (its cookie) reads the primary; anyone else reads the lagging replica. (Which firms
            # contain the words is the worker's in-memory directory's answer, fresh from the primary's change log;
            # the rows shown are read through the read session: the old name and the new both contain 平安银行.)
            assert names(writer, cluster, "平安银行") == ["平安银行（复核）"]
            assert names(other, cluster, "平安银行") == ["平安银行"]
            # an API client may send the position itself instead of keeping the cookie
            assert names(other, cluster, "平安银行", **{HEADER: position}) == ["平安银行（复核）"]
        finally:
            cluster.replica.resume()
        cluster.replica.wait_caught_up()
        assert names(other, cluster, "平安银行") == ["平安银行（复核）"]


def test_answers_are_the_same_from_primary_and_caught_up_replica(cluster: Cluster) -> None:
    cluster.replica.wait_caught_up()
    request = {"text": "锂电池正极材料", "limit": 10}
    with app_client(cluster) as via_replica, app_client(cluster, replica_url=None) as primary_only:
        a = via_replica.post("/api/v1/match", json=request, headers=auth(cluster, "leader")).json()
        b = primary_only.post("/api/v1/match", json=request, headers=auth(cluster, "leader")).json()
        assert a["items"] and [i["enterprise"] for i in a["items"]] == [i["enterprise"] for i in b["items"]]
        for client in (via_replica, primary_only):
            assert names(client, cluster, "锂") == names(primary_only, cluster, "锂")


def test_two_nodes_with_their_own_snapshots_see_each_others_changes(cluster: Cluster) -> None:
    nodes = []
    try:
        for label in ("a", "b"):
            env = child_env(cluster.primary.url(), replica_url=cluster.replica.url(), rate_limit_per_token="0",
                            rate_limit_per_ip="0", cookie_secure="false", dispatch_webhooks="false",
                            snapshot_dir=str(cluster.root / f"snapshots-{label}"))
            node = Server(env, cluster.root, f"node-{label}", workers=1)
            node.start()
            nodes.append(node)
        a, b = nodes
        for label in ("a", "b"):  # each node wrote and mapped its own snapshot
            assert list((cluster.root / f"snapshots-{label}").glob("v*/manifest.json"))
        query = {"nodes": ["隔膜"], "limit": 5}
        before = httpx.post(f"{b.base}/api/v1/match", json=query, headers=auth(cluster, "admin")).json()
        assert before["items"][0]["enterprise"]["code"] == "100005"  # the separator maker
        caps = {"capabilities": [{"product": "隔膜", "revenue_share": 0.99}]}
        r = httpx.patch(f"{a.base}/api/v1/enterprises/100008", json=caps, headers=auth(cluster, "operator"))
        assert r.status_code == 200, r.text
        written = time.monotonic()
        while True:
            after = httpx.post(f"{b.base}/api/v1/match", json=query, headers=auth(cluster, "admin")).json()
            if after["items"][0]["enterprise"]["code"] == "100008":  # now the main separator maker
                break
            assert time.monotonic() - written < 10, "node B never saw node A's change"
            time.sleep(0.02)
        print(f"node A's change seen in node B's matches after {time.monotonic() - written:.3f} s")
        health = httpx.get(f"{b.base}/health").json()["index"]
        assert health["snapshot"] == 1 and health["position"] > 0
    finally:
        for node in nodes:
            node.stop()
