"""POST /api/v1/match: contract, roles, explanations, filters, freshness after an update."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.app.conftest import Tokens

URL = "/api/v1/match"


def ranked(client: TestClient, tokens: Tokens, body: dict, role: str = "leader") -> list[str]:  # type: ignore[type-arg]
    resp = client.post(URL, json=body, headers=tokens.header(role))
    assert resp.status_code == 200, resp.text
    return [i["enterprise"]["code"] for i in resp.json()["items"]]


def test_text_need_finds_the_makers(client: TestClient, tokens: Tokens) -> None:
    resp = client.post(URL, json={"text": "采购电池级碳酸锂，要求纯度99.5%以上"}, headers=tokens.header("operator"))
    body = resp.json()
    assert {i["enterprise"]["code"] for i in body["items"][:2]} == {"100002", "100003"}
    assert body["items"][0]["score"] >= body["items"][1]["score"] > 0
    assert isinstance(body["index_version"], int) and body["took_ms"] >= 0
    assert "碳酸锂" in str(body["items"][0]["explanation"])


def test_upstream_scope_finds_suppliers_not_competitors(client: TestClient, tokens: Tokens) -> None:
    codes = ranked(client, tokens, {"nodes": ["锂电池"], "scope": "upstream", "limit": 10})
    assert {"100004", "100005", "100007", "100008"} <= set(codes[:6])
    assert "100001" not in codes[:4]  # makes 锂电池 itself: a competitor, not a supplier
    assert "100006" not in codes  # the leader itself is never its own supplier
    resp = client.post(URL, json={"nodes": ["锂电池"], "scope": "upstream"}, headers=tokens.header("leader"))
    first = next(i for i in resp.json()["items"] if i["enterprise"]["code"] == "100005")
    assert "隔膜" in str(first["explanation"]) and "锂电池" in str(first["explanation"])


def test_node_ids_exclusions_and_filters(client: TestClient, tokens: Tokens) -> None:
    node_id = client.get("/api/v1/nodes/碳酸锂", headers=tokens.header("admin")).json()["id"]
    assert set(ranked(client, tokens, {"nodes": [node_id]}, "admin")[:2]) == {"100002", "100003"}
    assert "100002" not in ranked(client, tokens, {"nodes": ["碳酸锂"], "exclude": ["100002"]}, "admin")
    assert ranked(client, tokens, {"nodes": ["碳酸锂"], "filters": {"tiers": ["provincial"]}}, "admin") == ["100002"]
    assert ranked(client, tokens, {"nodes": ["碳酸锂"], "filters": {"regions": ["山东省/济南市"]}}, "admin") == [
        "100002"]
    assert ranked(client, tokens, {"nodes": ["碳酸锂"], "filters": {"kinds": ["leader"]}}, "admin") == []
    assert len(ranked(client, tokens, {"nodes": ["锂电池"], "scope": "upstream", "limit": 2}, "admin")) == 2


def test_bad_requests_are_422_with_reason(client: TestClient, tokens: Tokens) -> None:
    h = tokens.header("leader")
    cases = [({"nodes": ["不存在的节点"]}, "不存在的节点"), ({}, "text"), ({"text": ""}, "text"),
             ({"text": "x" * 5001}, "text"), ({"text": "碳酸锂", "limit": 0}, "limit"),
             ({"text": "碳酸锂", "limit": 201}, "limit"), ({"text": "碳酸锂", "scope": "sideways"}, "scope"),
             ({"text": "碳酸锂", "exclude": ["NOPE"]}, "NOPE"),
             ({"text": "碳酸锂", "filters": {"tiers": ["gold"]}}, "gold"),
             ({"text": "碳酸锂", "bogus": 1}, "bogus"), ({"nodes": [999999999]}, "999999999")]
    for body, needle in cases:
        resp = client.post(URL, json=body, headers=h)
        assert resp.status_code == 422, (body, resp.text)
        assert needle in resp.text, (body, resp.text)


def test_roles(client: TestClient, tokens: Tokens) -> None:
    body = {"text": "碳酸锂"}
    assert client.post(URL, json=body).status_code == 401
    for role in ("sme", "integration"):
        assert client.post(URL, json=body, headers=tokens.header(role)).status_code == 403
    for role in ("leader", "operator", "admin"):
        assert client.post(URL, json=body, headers=tokens.header(role)).status_code == 200


def test_changes_show_up_at_once(client: TestClient, tokens: Tokens) -> None:
    before = client.post(URL, json={"nodes": ["隔膜"]}, headers=tokens.header("admin")).json()
    assert [i["enterprise"]["code"] for i in before["items"]][:1] == ["100005"]
    assert "100009" not in {i["enterprise"]["code"] for i in before["items"]}
    caps = {"capabilities": [{"product": "隔膜", "revenue_share": 0.9}]}
    patched = client.patch("/api/v1/enterprises/100009", json=caps, headers=tokens.header("operator"))
    assert patched.status_code == 200
    new = {"code": "NEW1", "name": "新隔膜", "capabilities": [{"product": "隔膜"}]}
    made = client.post("/api/v1/enterprises", json=new, headers=tokens.header("operator"))
    assert made.status_code == 201
    after = client.post(URL, json={"nodes": ["隔膜"]}, headers=tokens.header("admin")).json()
    assert {"100005", "100009", "NEW1"} == {i["enterprise"]["code"] for i in after["items"][:3]}
    assert after["index_version"] > before["index_version"]
    health = client.get("/health").json()["index"]
    assert health["enterprises"] == 11 and health["version"] == after["index_version"]


def test_changes_by_another_process_are_picked_up(client: TestClient, tokens: Tokens, small) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from app.models import Capability, Enterprise
    from app.models._types import utcnow

    holder = client.app.state.index  # type: ignore[attr-defined]
    bank = small.scalar(select(Enterprise).where(Enterprise.code == "100009"))
    small.add(Capability(enterprise_id=bank.id, product="电解液", revenue_share=0.7, source="declared"))
    bank.updated_at = utcnow()
    small.commit()  # no commit hook of the app saw this: as if another worker or the CLI wrote it
    assert holder.sync_once() == 1
    codes = [i["enterprise"]["code"] for i in client.post(URL, json={"nodes": ["电解液"]},
                                                          headers=tokens.header("admin")).json()["items"]]
    assert "100009" in codes[:2]
    assert holder.sync_once() == 0


def test_the_change_feed_does_not_reread_old_changes(client: TestClient, tokens: Tokens, small) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from sqlalchemy import select, update

    from app.models import Enterprise
    from app.models._types import utcnow

    # as after a bulk import a minute ago: every firm stamped within the same second
    small.execute(update(Enterprise).values(updated_at=utcnow() - timedelta(seconds=60)))
    small.commit()
    holder = client.app.state.index  # type: ignore[attr-defined]
    holder.build()
    # the stamps say nothing any more: the change log does, and the build read it up to its end
    assert holder.sync_once() == 0 and holder.sync_once() == 0
    bank = small.scalar(select(Enterprise).where(Enterprise.code == "100009"))
    bank.updated_at = utcnow()
    small.commit()
    assert holder.sync_once() == 1


def test_explanations_brief_by_default_full_on_request(client: TestClient, tokens: Tokens) -> None:
    from app.matches.schemas import BRIEF_REASONS, MatchResponse

    body = {"text": "采购电池级碳酸锂，要求纯度99.5%以上"}
    brief = client.post(URL, json=body, headers=tokens.header("leader")).json()
    full = client.post(URL, json=body | {"explain": "full"}, headers=tokens.header("leader")).json()
    # the answer is sent as built, without a model: it must still be what the schema documents
    MatchResponse.model_validate(brief)
    MatchResponse.model_validate(full)
    assert [i["enterprise"] for i in brief["items"]] == [i["enterprise"] for i in full["items"]]
    assert [i["score"] for i in brief["items"]] == [i["score"] for i in full["items"]]
    top_brief, top_full = brief["items"][0]["explanation"], full["items"][0]["explanation"]
    assert set(top_brief) <= BRIEF_REASONS and {"summary", "match", "scores"} <= set(top_brief)
    assert {"graph_paths", "need_nodes", "made_together"} <= set(top_full)
    assert top_brief["summary"] == top_full["summary"] and top_brief["match"] == top_full["match"]
    assert brief["need_nodes"] == full["need_nodes"] == top_full["need_nodes"]
    assert brief["need_nodes"][0]["node"] == "碳酸锂"
    assert len(client.post(URL, json=body, headers=tokens.header("leader")).content) < len(
        client.post(URL, json=body | {"explain": "full"}, headers=tokens.header("leader")).content)
    bad = client.post(URL, json=body | {"explain": "some"}, headers=tokens.header("leader"))
    assert bad.status_code == 422 and "explain" in bad.text


def test_a_match_reads_without_taking_the_write_lock(client: TestClient, tokens: Tokens) -> None:
    from app.core import deps

    seen: list[bool] = []
    real = deps.session_scope

    def spy(factory, *, writer=False, on_commit=None):  # type: ignore[no-untyped-def]
        seen.append(writer)
        yield from real(factory, writer=writer, on_commit=on_commit)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(deps, "session_scope", spy)
        assert client.post(URL, json={"text": "碳酸锂"}, headers=tokens.header("leader")).status_code == 200
        assert client.post("/api/v1/needs", json={}, headers=tokens.header("leader")).status_code == 422
    # on SQLite a writer begins with BEGIN IMMEDIATE and queues behind every other writer of both workers
    assert seen == [False, True]


def test_a_match_reads_its_firms_and_named_nodes_from_the_index(client: TestClient, tokens: Tokens,
                                                                connection) -> None:  # type: ignore[no-untyped-def]
    """The answer's firms come from the records of the index that ranked them and a need's node names from its
    graph: no statement on the firms or the nodes per match, and the same summaries the database gives."""
    from sqlalchemy import event

    from app.enterprises.service import summaries

    seen: list[str] = []

    def grab(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(connection, "before_cursor_execute", grab)  # the test's connection: every session's bind
    try:
        resp = client.post(URL, json={"text": "采购电池级碳酸锂", "nodes": ["碳酸锂", " 碳酸锂"]},
                           headers=tokens.header("leader"))
    finally:
        event.remove(connection, "before_cursor_execute", grab)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["need_nodes"][0]["node"] == "碳酸锂"
    assert seen  # the token check
    assert not [s for s in seen if "enterprises" in s or "chain_nodes" in s], seen
    ids = [i["enterprise"]["id"] for i in body["items"]]
    with client.app.state.sessionmaker() as session:  # type: ignore[attr-defined]
        stored = summaries(session, ids)
    assert ids and [i["enterprise"] for i in body["items"]] == [stored[i] for i in ids]


def test_a_firm_that_also_makes_the_posters_products_says_so(client: TestClient, tokens: Tokens) -> None:
    resp = client.post(URL, json={"text": "我司为储能电池生产企业，采购锂电池"}, headers=tokens.header("leader"))
    assert resp.status_code == 200, resp.text
    items = {i["enterprise"]["code"]: i for i in resp.json()["items"]}
    # 100001 lists 锂电池 as a small line beside 储能电池, the poster's own product: a rival, flagged in the reasons
    assert items["100001"]["explanation"]["rival"] is True
    assert "需求方自身的产品" in items["100001"]["explanation"]["rival_note"]
    assert all(i["explanation"]["rival"] is False for c, i in items.items() if c in ("100002", "100003", "100007"))
