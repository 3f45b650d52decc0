"""Bulk inserts (COPY on PostgreSQL): the columns' defaults applied as an INSERT would, JSON sent as JSON, and a
failing row takes the whole call back with the transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.core.bulk import insert_rows
from app.models import Capability, ChainNode, Enterprise


def _noop(step: str, done: int, total: int) -> None:
    return None


def test_defaults_and_json_as_an_insert_gives_them(session: Session) -> None:
    seen: list[tuple[str, int, int]] = []
    insert_rows(session, Enterprise.__table__, [  # type: ignore[arg-type]
        {"code": "B1", "name": "甲", "certifications": ["ISO9001", "高新"]},
        {"code": "B2", "name": "乙", "certifications": []}], "firms", lambda *a: seen.append(a))
    insert_rows(session, ChainNode.__table__, [{"name": "碳酸锂"}], "nodes", _noop)  # type: ignore[arg-type]
    firms = {e.code: e for e in session.scalars(select(Enterprise).where(Enterprise.code.in_(["B1", "B2"])))}
    assert firms["B1"].certifications == ["ISO9001", "高新"] and firms["B2"].certifications == []
    assert firms["B1"].kind == "sme" and firms["B1"].tier == "none" and firms["B1"].full_name == ""
    assert firms["B1"].created_at is not None and firms["B1"].updated_at is not None
    node = session.scalar(select(ChainNode).where(ChainNode.name == "碳酸锂"))
    assert node is not None and node.aliases == [] and node.kind == "product"
    assert seen == [("firms", 2, 2)]


def test_a_failing_row_writes_nothing(session: Session) -> None:
    insert_rows(session, Enterprise.__table__, [{"code": "B3", "name": "丙"}], "firms", _noop)  # type: ignore[arg-type]
    firm = session.scalar(select(Enterprise.id).where(Enterprise.code == "B3"))
    rows = [{"enterprise_id": firm, "product": p, "node_id": None, "revenue_share": 0.5, "source": "imported"}
            for p in ("锂", "钴", "锂")]  # the third repeats the first: the unique constraint refuses it
    savepoint = session.begin_nested()
    with pytest.raises(DBAPIError):
        insert_rows(session, Capability.__table__, rows, "capabilities", _noop)  # type: ignore[arg-type]
    savepoint.rollback()
    assert session.scalars(select(Capability.product).where(Capability.enterprise_id == firm)).all() == []


def test_rows_spread_over_several_statements_and_batches(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.core import bulk

    monkeypatch.setattr(bulk, "BATCH", 2)
    monkeypatch.setattr(bulk, "PER_COPY", 4)
    seen: list[tuple[str, int, int]] = []
    insert_rows(session, Enterprise.__table__, [{"code": f"M{i}", "name": f"firm {i}"} for i in range(7)],  # type: ignore[arg-type]
                "firms", lambda *a: seen.append(a))
    codes = session.scalars(select(Enterprise.code).where(Enterprise.code.like("M%")).order_by(Enterprise.id)).all()
    assert codes == [f"M{i}" for i in range(7)]
    assert [done for _, done, _ in seen] == [2, 4, 6, 7]
