"""Token, caller and audit models."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.core.schemas import UtcDateTime


class TokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    role: str = Field(pattern="^(admin|operator|leader|sme|integration)$")
    name: str = Field(min_length=1, max_length=100)
    org: str | None = Field(default=None, max_length=32, description="enterprise code, for leader and sme")
    days: int = Field(default=365, ge=0, le=3650,
                      description="days until it expires; 0 = never (admins only; operators: 1 to 365)")
    scopes: list[str] = Field(default_factory=list, max_length=10, description="integration only")
    regions: list[str] = Field(default_factory=list, max_length=50, description="operator only")
    chains: list[str] = Field(default_factory=list, max_length=50, description="operator only")


class TokenOut(BaseModel):
    prefix: str
    name: str
    role: str
    org: str | None
    scopes: list[str]
    expires_at: UtcDateTime | None
    revoked_at: UtcDateTime | None
    created_at: UtcDateTime


class TokenCreated(TokenOut):
    token: str = Field(description="shown once; only a hash is kept")


class Me(BaseModel):
    id: int
    name: str
    role: str
    org: str | None
    scopes: list[str]
    regions: list[str]
    chains: list[str]


class AuditOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    principal_id: int | None
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any]
    after: dict[str, Any]
    at: UtcDateTime


class UserCreate(BaseModel):
    """A person who logs in with a password on the web pages (admins create them)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    login: str = Field(min_length=3, max_length=100, pattern=r"^[A-Za-z0-9_.@-]+$")
    name: str = Field(min_length=1, max_length=100)
    role: str = Field(pattern="^(admin|operator|leader|sme)$")
    org: str | None = Field(default=None, max_length=32, description="enterprise code, for leader and sme")
    password: str = Field(min_length=10, max_length=200)


class UserOut(BaseModel):
    id: int
    login: str
    name: str
    role: str
    org: str | None
    active: bool
