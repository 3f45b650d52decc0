"""Quarter reports frozen as they stood when the quarter closed, so a later quarter compares with what the office
reported, not with figures that kept moving as late answers came in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.models._types import utcnow


class QuarterReport(Base):
    __tablename__ = "quarter_reports"
    __table_args__ = (UniqueConstraint("period", "chain_code", "region", "min_tier", name="uq_quarter_reports_scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(8))
    chain_code: Mapped[str] = mapped_column(String(40), default="")  # "" = every chain
    region: Mapped[str] = mapped_column(String(100), default="")  # "" = everywhere
    min_tier: Mapped[str] = mapped_column(String(16), default="none")
    figures: Mapped[dict] = mapped_column(JSON)  # type: ignore[type-arg]  # the QuarterResults answer, as JSON
    frozen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    frozen_by: Mapped[int | None] = mapped_column(ForeignKey("principals.id", ondelete="SET NULL"))
