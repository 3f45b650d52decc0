"""Shenwan industries: a three-level tree plus 'supplies' links between industries."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base


class Industry(Base):
    __tablename__ = "industries"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("industries.id"), index=True)
    level: Mapped[int] = mapped_column(Integer)


class IndustryUpstream(Base):
    """``upstream_id`` supplies ``industry_id``."""

    __tablename__ = "industry_upstream"

    industry_id: Mapped[int] = mapped_column(ForeignKey("industries.id", ondelete="CASCADE"), primary_key=True)
    upstream_id: Mapped[int] = mapped_column(
        ForeignKey("industries.id", ondelete="CASCADE"), primary_key=True, index=True
    )
