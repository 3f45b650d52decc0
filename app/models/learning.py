"""What the learner learns from: matches shown or delivered (impressions), and the re-rankers it fitted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.models._types import utcnow


class Impression(Base):
    """A firm put before a poster (``shown``, in a need's matches) or into a feed (``delivered``), with the
    evidence behind its score; the outcome is read later from the opportunity of the same (need, firm)."""

    __tablename__ = "impressions"
    __table_args__ = (UniqueConstraint("need_id", "enterprise_id", "source", name="uq_impressions_need_firm_source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(16))
    rank: Mapped[int] = mapped_column(Integer)
    match: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    features: Mapped[dict] = mapped_column(JSON, default=dict)  # type: ignore[type-arg]
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class RankerModel(Base):
    """A fitted re-ranker, its evaluation next to the ranking it would replace, and whether it is in use."""

    __tablename__ = "ranker_models"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    params: Mapped[dict] = mapped_column(JSON, default=dict)  # type: ignore[type-arg]
    evaluation: Mapped[dict] = mapped_column(JSON, default=dict)  # type: ignore[type-arg]
    installed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
