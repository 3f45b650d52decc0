"""揭榜挂帅 technology challenges (a need of kind technology with terms), their applications, and offers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.models._types import utcnow

CHALLENGE_MODES = ("competitive", "directed", "team")
# awaiting_team: a team application its members have not all confirmed; team_declined: one of them declined.
APPLICATION_STATUSES = ("awaiting_team", "team_declined", "submitted", "shortlisted", "selected", "rejected",
                        "withdrawn")
OFFER_STATUSES = ("draft", "published", "closed")


class Challenge(Base):
    __tablename__ = "challenges"

    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True)
    prize_amount: Mapped[float | None] = mapped_column(Float)
    mode: Mapped[str] = mapped_column(String(16), default="competitive")
    ip_terms: Mapped[str] = mapped_column(Text, default="")
    max_winners: Mapped[int] = mapped_column(Integer, default=1)


class Application(Base):
    __tablename__ = "applications"
    __table_args__ = (UniqueConstraint("need_id", "applicant_org_id", name="uq_applications_need_applicant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    applicant_org_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    team: Mapped[list[str]] = mapped_column(JSON, default=list)  # member enterprise codes for 组阁揭榜
    proposal: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="submitted")
    reason: Mapped[str] = mapped_column(Text, default="")
    history: Mapped[list[dict]] = mapped_column(JSON, default=list)  # type: ignore[type-arg]
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Offer(Base):
    """供需双向揭榜: a capability or research result an SME, university or institute offers to industry."""

    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="capability")
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    nodes: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="published")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
