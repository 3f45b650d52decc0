"""API principals and their tokens (only a hash of each token is stored)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.models._types import utcnow


class Principal(Base):
    __tablename__ = "principals"
    __allow_unmapped__ = True

    # The scopes of the token this request came with (not stored here: they belong to the token).
    token_scopes: tuple[str, ...] = ()
    # The id of that token (None for a web session): what a webhook created in this request belongs to.
    token_id: int | None = None

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16), index=True)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    # An operator may be limited to some regions (province[/city] prefixes) and chains (codes); empty = all.
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    chains: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Human users of the web pages log in with a login name and password (argon2 hash); machines use tokens.
    login: Mapped[str | None] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class _Credential:
    """What a token and a browser session share: whose they are (gone with the principal) and since when."""

    id: Mapped[int] = mapped_column(primary_key=True)
    principal_id: Mapped[int] = mapped_column(ForeignKey("principals.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ApiToken(_Credential, Base):
    __tablename__ = "api_tokens"

    # The first characters of the token, kept in clear so a token can be found and named without its secret.
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    token_hash: Mapped[str] = mapped_column(String(128))
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


class WebSession(_Credential, Base):
    """A logged-in browser: the cookie carries the secret, the database only its hash and a CSRF token."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(DateTime)
