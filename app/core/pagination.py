"""Paging a list query: the total for the same filters, counted once in SQL, beside the page itself."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session


def count_rows(session: Session, stmt: Select) -> int:  # type: ignore[type-arg]
    """How many rows ``stmt`` returns (its filters and joins, no ordering or paging)."""
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
