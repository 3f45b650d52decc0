"""One row per (need, enterprise): the targeted delivery, the SME's answer and the poster's decision."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.models._types import utcnow

SME_STATUSES = ("none", "interested", "dismissed")
POSTER_STATUSES = ("none", "shortlisted", "invited", "rejected", "selected")


class Opportunity(Base):
    __tablename__ = "opportunities"
    __table_args__ = (
        UniqueConstraint("need_id", "enterprise_id", name="uq_opportunities_need_enterprise"),
        Index("ix_opportunities_enterprise_delivered", "enterprise_id", "delivered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"))
    score: Mapped[float | None] = mapped_column(Float)
    match: Mapped[int | None] = mapped_column(Integer)  # 匹配度 0–100 when delivered
    explanation: Mapped[dict] = mapped_column(JSON, default=dict)  # type: ignore[type-arg]
    need_version: Mapped[int] = mapped_column(Integer, default=1)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime)  # set when 定向发布 put it in the SME's feed
    seen_at: Mapped[datetime | None] = mapped_column(DateTime)
    sme_status: Mapped[str] = mapped_column(String(16), default="none")
    sme_message: Mapped[str] = mapped_column(Text, default="")
    poster_status: Mapped[str] = mapped_column(String(16), default="none")
    poster_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
