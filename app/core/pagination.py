"""Paging a list query: optional equality filters, and the total for the same filters counted once in SQL."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

S = TypeVar("S", bound=Select)  # type: ignore[type-arg]


def where_given(stmt: S, *pairs: tuple[InstrumentedAttribute[Any], Any]) -> S:
    """``stmt`` narrowed to ``column == value`` for each pair whose value was given (not None, not empty)."""
    for column, value in pairs:
        if value is not None and value != "":
            stmt = stmt.where(column == value)
    return stmt


def count_rows(session: Session, stmt: Select) -> int:  # type: ignore[type-arg]
    """How many rows ``stmt`` returns (its filters and joins, no ordering or paging)."""
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
