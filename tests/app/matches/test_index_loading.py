"""Reading the snapshot the match index is built from: the same records, read as plain rows.

Every worker reads every firm, product row and node at start-up; at 100,000 firms ORM row objects and per-row
JSON decoding were a large part of the start-up (bench/load.py), so the loaders read through the Core connection.
"""

from __future__ import annotations

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.match_index.snapshot import industry_paths, load_graph_parts, load_records
from app.models import Capability, ChainNode, Enterprise


def test_records_and_graph_parts_are_what_the_tables_hold(small: Session) -> None:
    node = small.scalar(select(ChainNode).where(ChainNode.name == "碳酸锂"))
    assert node is not None
    node.aliases = ["电池级碳酸锂", "Li2CO3"]
    small.flush()
    nodes, edges = load_graph_parts(small)
    by_name = {n.name: n.aliases for n in nodes}
    assert by_name["碳酸锂"] == ("电池级碳酸锂", "Li2CO3") and by_name["锂电池"] == ()
    assert len(nodes) == len(small.scalars(select(ChainNode.id)).all()) and edges
    records = load_records(small)
    assert [r.id for r in records] == sorted(small.scalars(select(Enterprise.id)))
    paths = industry_paths(small)
    for r in records:
        ent = small.get(Enterprise, r.id)
        assert ent is not None
        caps = small.scalars(select(Capability).where(Capability.enterprise_id == r.id).order_by(Capability.id))
        assert r.products == tuple((c.product, c.revenue_share if c.revenue_share is not None else 0.001)
                                   for c in caps)
        assert (r.code, r.name, r.region) == (ent.code, ent.name, ent.region)
        assert r.industry == (paths[ent.industry_id] if ent.industry_id is not None else "")
    some = [records[3].id, records[0].id]
    assert load_records(small, some) == [records[0], records[3]]


def test_the_loaders_build_no_orm_rows(small: Session) -> None:
    orm_statements: list[str] = []

    @event.listens_for(small, "do_orm_execute")
    def grab(state) -> None:  # type: ignore[no-untyped-def]
        orm_statements.append(str(state.statement))

    load_graph_parts(small)
    load_records(small)
    assert orm_statements == []


def test_the_session_works_normally_after_a_streamed_read(small: Session) -> None:
    # Streaming is asked for per statement: the connection (and the savepoints after it) must stay as it was.
    load_records(small)
    with small.begin_nested():
        small.add(ChainNode(name="新节点", aliases=[], kind="product"))
    assert small.scalar(select(ChainNode.id).where(ChainNode.name == "新节点")) is not None
