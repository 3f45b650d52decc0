"""Enterprise search at scale: the same answers, from one pass over the firms, through the indexes made for it.

At 100,000 firms (bench/load.py) a search that counted and paged in two statements, each testing every firm's
every product row with LIKE, took seconds; these tests hold the query shape that replaced it. A worker with its
match index answers text searches from its in-memory directory instead (app/match_index/directory.py): the
database query is what a worker without one (or a search by node or industry) uses, and the two must agree.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

from app.models import Capability
from tests.app.conftest import Tokens, make_client

URL = "/api/v1/enterprises"


@contextmanager
def statements(connection: Connection) -> Iterator[list[tuple[str, object]]]:
    seen: list[tuple[str, object]] = []

    def grab(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append((statement, parameters))

    event.listen(connection, "before_cursor_execute", grab)
    try:
        yield seen
    finally:
        event.remove(connection, "before_cursor_execute", grab)


def codes(resp) -> list[str]:  # type: ignore[no-untyped-def]
    assert resp.status_code == 200, resp.text
    return [i["code"] for i in resp.json()["items"]]


def test_names_linked_and_unlinked_products_are_all_found(client: TestClient, tokens: Tokens,
                                                          session: Session) -> None:
    op = tokens.header("operator")
    resp = client.patch(f"{URL}/100004", headers=op, json={"capabilities": [
        {"product": "电解液"}, {"product": "Graphene-X9 浆料"}]})
    assert resp.status_code == 200, resp.text
    unlinked = session.scalar(select(Capability.node_id).where(Capability.product == "Graphene-X9 浆料"))
    assert unlinked is None  # names no chain node: matched on its own row
    h = tokens.header("sme")
    assert codes(client.get(URL, params={"q": "graphene-x9"}, headers=h)) == ["100004"]  # ASCII case ignored
    assert "100004" in codes(client.get(URL, params={"q": "电解液"}, headers=h))  # linked product
    assert codes(client.get(URL, params={"q": "锂材料股份"}, headers=h)) == ["100002"]  # full name
    assert codes(client.get(URL, params={"q": "碳酸锂", "tier": "provincial"}, headers=h)) == ["100002"]
    page = client.get(URL, params={"q": "电池", "limit": 1, "offset": 1}, headers=h).json()
    everything = client.get(URL, params={"q": "电池", "limit": 200}, headers=h).json()
    assert page["total"] == everything["total"] == len(everything["items"]) >= 3
    assert [i["code"] for i in page["items"]] == [everything["items"][1]["code"]]
    past = client.get(URL, params={"q": "电池", "offset": 50}, headers=h).json()
    assert past["items"] == [] and past["total"] == everything["total"]
    assert client.get(URL, params={"q": "不存在的产品"}, headers=h).json()["total"] == 0


@pytest.fixture()
def sql_client(migrated_url: str, session_factory: sessionmaker[Session], tokens: Tokens) -> Iterator[TestClient]:
    """A worker without a match index: every search goes to the database."""
    with make_client(migrated_url, session_factory, build_index=False) as c:
        yield c


def test_the_directory_and_the_database_agree(client: TestClient, sql_client: TestClient, tokens: Tokens) -> None:
    h = tokens.header("operator")
    assert client.app.state.index.directory is not None  # type: ignore[attr-defined]
    assert sql_client.app.state.index.directory is None  # type: ignore[attr-defined]
    # changed and new firms are answered from the directory's side table until its next rebuild
    assert client.patch(f"{URL}/100004", headers=h, json={
        "capabilities": [{"product": "Graphene-X9 浆料"}]}).status_code == 200
    assert client.post(URL, headers=h, json={"code": "NEW9", "name": "新材公司", "region": "山东省/济南市",
                                             "capabilities": [{"product": "碳酸锂"}]}).status_code == 201
    assert "NEW9" in codes(client.get(URL, params={"q": "碳酸锂"}, headers=h))
    queries = ["碳酸锂", "电池", "锂", "公司", "有限公司", "graphene", "GRAPHENE-x9", "%", "_", "x", "浆料", "新材",
               "不存在", "山东"]
    filters = [{}, {"kind": "sme"}, {"tier": ["provincial", "innovative"]}, {"region": "山东省"},
               {"region": "山东省/济南市"}, {"kind": "leader", "region": "四川省"}, {"offset": 1, "limit": 2}]
    for q in queries:
        for extra in filters:
            params = {"q": q, "limit": 50} | extra
            fast = client.get(URL, params=params, headers=h).json()
            slow = sql_client.get(URL, params=params, headers=h).json()
            assert fast == slow, (params, fast, slow)


def test_the_text_match_runs_once_for_the_page_and_the_total(sql_client: TestClient, tokens: Tokens,
                                                             connection: Connection) -> None:
    client = sql_client
    with statements(connection) as seen:
        body = client.get(URL, params={"q": "碳酸锂"}, headers=tokens.header("sme")).json()
    assert body["total"] == 2 and [i["code"] for i in body["items"]] == ["100002", "100003"]
    matching = [s for s, _ in seen if "LIKE" in s.upper()]
    assert len(matching) == 1, matching


def _plan(connection: Connection, statement: str, parameters: object) -> str:
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()  # type: ignore[arg-type]
        return "\n".join(str(r[-1]) for r in rows)
    # The test tables are tiny, so the planner would rightly scan them; ask whether the indexes can serve.
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    try:
        rows = connection.exec_driver_sql("EXPLAIN " + statement, parameters).all()  # type: ignore[arg-type]
    finally:
        connection.exec_driver_sql("SET LOCAL enable_seqscan = on")
    return "\n".join(r[0] for r in rows)


def test_products_are_reached_through_node_names_not_every_capability_row(
        sql_client: TestClient, tokens: Tokens, connection: Connection) -> None:
    client = sql_client
    with statements(connection) as seen:
        assert codes(client.get(URL, params={"q": "碳酸锂"}, headers=tokens.header("sme"))) == ["100002", "100003"]
    statement, parameters = next((s, p) for s, p in seen if "LIKE" in s.upper())
    plan = _plan(connection, statement, parameters)
    assert "ix_capabilities_node_id" in plan, plan
    assert "uq_capabilities_enterprise_product" not in plan, plan
    if connection.dialect.name == "postgresql":
        # Whether the whole search statement uses them is the planner's call (it varies with the statistics
        # the rest of the suite leaves behind); that each trigram index serves a substring match is not.
        for table, column, index in (("chain_nodes", "name", "ix_chain_nodes_name_trgm"),
                                     ("enterprises", "name", "ix_enterprises_name")):
            probe = f"SELECT id FROM {table} WHERE {column} ILIKE %(p)s"
            assert index in _plan(connection, probe, {"p": "%碳酸锂%"})


def test_the_index_change_poll_uses_an_index(connection: Connection) -> None:
    # Every worker asks this twice a second; without the index it read every firm each time.
    statement = "SELECT id, updated_at FROM enterprises WHERE updated_at >= '2026-01-01'"
    assert "ix_enterprises_updated_at" in _plan(connection, statement, ())
