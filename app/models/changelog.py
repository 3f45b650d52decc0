"""The change feed's table: every change to firms, their capabilities and the chain graph, numbered (see
app/core/changes.py, which writes it in the changing transaction, and app/match_index/feed.py, which reads it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.models._types import utcnow


class ChangeLog(Base):
    __tablename__ = "change_log"

    # The position: BigInteger on PostgreSQL (a busy registry outgrows 2^31 changes), plain INTEGER on SQLite,
    # where only an INTEGER PRIMARY KEY is the rowid.
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
