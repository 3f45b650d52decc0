"""Quarterly (or half-year) supply/demand catalogues of one chain, and their history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.core.vocabulary import DEFAULT_TOP_N
from app.models._types import utcnow


class Catalogue(Base):
    __tablename__ = "catalogues"
    __table_args__ = (UniqueConstraint("chain_id", "period", name="uq_catalogues_chain_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chain_id: Mapped[int] = mapped_column(ForeignKey("chains.id", ondelete="RESTRICT"), index=True)
    period: Mapped[str] = mapped_column(String(8))  # 2026Q4, or 2026H2 for technology challenge lists
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="draft")
    top_n: Mapped[int] = mapped_column(Integer, default=DEFAULT_TOP_N)
    min_match: Mapped[int | None] = mapped_column(Integer)  # for its needs that set none of their own
    created_by: Mapped[int | None] = mapped_column(ForeignKey("principals.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)


class CatalogueEvent(Base):
    """Who changed what and when: every state change and edit of a catalogue."""

    __tablename__ = "catalogue_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    catalogue_id: Mapped[int] = mapped_column(ForeignKey("catalogues.id", ondelete="CASCADE"), index=True)
    principal_id: Mapped[int | None] = mapped_column(ForeignKey("principals.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)  # type: ignore[type-arg]
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
