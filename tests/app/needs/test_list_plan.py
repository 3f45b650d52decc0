"""The needs list reads its page in index order: SQLite must not sort every published need to return 20."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from app.access import needs as policy
from app.models import Principal
from app.needs.repository import NeedFilter, NeedRepository


@pytest.mark.parametrize("kind", [None, "procurement"])
def test_published_list_walks_an_index_without_sorting(session: Session, backend: str, kind: str | None) -> None:
    if backend != "sqlite":
        pytest.skip("the plan is SQLite's; PostgreSQL uses the same index by its own costs")
    sme = Principal(id=0, name="x", role="sme", org_id=None, regions=[], chains=[])
    f = NeedFilter(kind=kind, status=None, q=None, visible=policy.visible_clause(sme), published_only=True)
    stmt = NeedRepository(session).page_statement(f, limit=20, offset=0)
    sql = str(stmt.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    plan = " / ".join(row[3] for row in session.execute(text("EXPLAIN QUERY PLAN " + sql)))
    assert "ix_needs_status_id" in plan, plan
    assert "TEMP B-TREE" not in plan, plan
