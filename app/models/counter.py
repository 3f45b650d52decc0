"""Shared counters for rate limits and login throttling, when no Redis is configured."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base


class RateCounter(Base):
    """One counter: how many hits since its window opened, and when the window closes.

    ``window_end_ms`` is epoch milliseconds (not a DateTime) so the atomic upsert compares plain integers
    on every backend; rows whose window has closed are dead and pruned.
    """

    __tablename__ = "rate_counters"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    window_end_ms: Mapped[int] = mapped_column(BigInteger, index=True)
