"""Needs posted by chain leaders (procurement, cooperation, technology), their versions and chain nodes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.models._types import utcnow

NEED_SCOPES = ("node", "upstream")


class Need(Base):
    __tablename__ = "needs"
    # (status, id): lists of published needs walk it in order and stop at the page (migration 0010)
    __table_args__ = (Index("ix_needs_status_deadline", "status", "deadline"),
                      Index("ix_needs_status_id", "status", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    poster_org_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("principals.id", ondelete="SET NULL"))
    catalogue_id: Mapped[int | None] = mapped_column(ForeignKey("catalogues.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    scope: Mapped[str] = mapped_column(String(16), default="node")
    quantity: Mapped[str | None] = mapped_column(String(100))
    # Private until published, and then only the range is shown (never to those the poster hides from).
    budget_min: Mapped[float | None] = mapped_column(Float)
    budget_max: Mapped[float | None] = mapped_column(Float)
    deadline: Mapped[date | None] = mapped_column(Date)
    delivery_region: Mapped[str] = mapped_column(String(100), default="")
    required_tier: Mapped[str | None] = mapped_column(String(16))
    required_certifications: Mapped[list[str]] = mapped_column(JSON, default=list)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    # the engine's reading of the title and description as last said back, corrections applied
    understanding: Mapped[dict | None] = mapped_column(JSON)  # type: ignore[type-arg]
    removed_nodes: Mapped[list[str]] = mapped_column(JSON, default=list)  # the poster took these out of it
    min_match: Mapped[int | None] = mapped_column(Integer)  # 匹配度 below this never reaches a feed
    status: Mapped[str] = mapped_column(String(16), default="draft")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)


class NeedNode(Base):
    __tablename__ = "need_nodes"

    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("chain_nodes.id", ondelete="CASCADE"), primary_key=True, index=True)


class NeedVersion(Base):
    """A frozen copy of a published need; an edit after publication makes a new one, listing what changed."""

    __tablename__ = "need_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict] = mapped_column(JSON)  # type: ignore[type-arg]
    changed_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
