"""Enterprises (chain leaders, SMEs, universities, institutes) and what they can make."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.models._types import utcnow

CAPABILITY_SOURCES = ("declared", "imported", "inferred")


class Enterprise(Base):
    __tablename__ = "enterprises"
    __table_args__ = (
        Index("ix_enterprises_kind_tier", "kind", "tier"),
        Index("ix_enterprises_region", "province", "city", "district"),
        # Text search (name or full name contains q): trigram indexes on PostgreSQL. On SQLite they are plain
        # ones, which a LIKE '%q%' scans instead of the wider table rows.
        Index("ix_enterprises_name", "name", postgresql_using="gin", postgresql_ops={"name": "gin_trgm_ops"}),
        Index("ix_enterprises_full_name", "full_name", postgresql_using="gin",
              postgresql_ops={"full_name": "gin_trgm_ops"}),
        # Looked up by time (the change log, not this stamp, tells the workers what changed).
        Index("ix_enterprises_updated_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(16), default="sme")
    tier: Mapped[str] = mapped_column(String(16), default="none")
    province: Mapped[str] = mapped_column(String(32), default="")
    city: Mapped[str] = mapped_column(String(32), default="")
    district: Mapped[str] = mapped_column(String(32), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    rd_share: Mapped[float | None] = mapped_column(Float)
    invention_patents: Mapped[int | None] = mapped_column(Integer)
    certifications: Mapped[list[str]] = mapped_column(JSON, default=list)
    industry_id: Mapped[int | None] = mapped_column(ForeignKey("industries.id", ondelete="SET NULL"), index=True)
    exchange: Mapped[str | None] = mapped_column(String(32))
    listed_on: Mapped[str | None] = mapped_column(String(10))
    # Private: shown only to the firm itself, admins, and counterparts after both sides agree.
    contact_name: Mapped[str | None] = mapped_column(String(64))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    contact_email: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    @property
    def region(self) -> str:
        return "/".join(p for p in (self.province, self.city, self.district) if p)


class Capability(Base):
    """An enterprise makes or sells a product; ``node_id`` is the chain node it is linked to, if any."""

    __tablename__ = "capabilities"
    __table_args__ = (UniqueConstraint("enterprise_id", "product", name="uq_capabilities_enterprise_product"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"))
    product: Mapped[str] = mapped_column(String(200))
    node_id: Mapped[int | None] = mapped_column(ForeignKey("chain_nodes.id", ondelete="SET NULL"), index=True)
    revenue_share: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(16), default="declared")
