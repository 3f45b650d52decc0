"""Enterprise request and response models."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.core.schemas import NodeRef
from app.models import ENTERPRISE_KINDS, TIERS

Kind = str
_KINDS, _TIERS = ENTERPRISE_KINDS, TIERS


class EnterpriseSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    kind: str
    tier: str
    region: str


class IndustryRef(BaseModel):
    code: str
    name: str
    path: list[str]


class CapabilityOut(BaseModel):
    product: str
    node: NodeRef | None
    revenue_share: float | None
    source: str


class Contact(BaseModel):
    name: str | None = Field(default=None, max_length=64)
    phone: str | None = Field(default=None, max_length=32)
    email: str | None = Field(default=None, max_length=128)


class EnterpriseDetail(EnterpriseSummary):
    full_name: str
    description: str
    rd_share: float | None
    invention_patents: int | None
    certifications: list[str]
    exchange: str | None
    listed_on: str | None
    industry: IndustryRef | None
    capabilities: list[CapabilityOut]
    contact: Contact | None = Field(default=None, description="Only for the firm itself and admins.")


class CapabilityIn(BaseModel):
    product: str = Field(min_length=1, max_length=200)
    revenue_share: float | None = Field(default=None, ge=0, le=1)


def _check(value: str | None, allowed: tuple[str, ...], what: str) -> str | None:
    if value is not None and value not in allowed:
        raise ValueError(f"{what} must be one of {', '.join(allowed)}")
    return value


class EnterpriseWrite(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(default=None, min_length=1, max_length=100)
    full_name: str | None = Field(default=None, max_length=200)
    kind: str | None = None
    tier: str | None = None
    region: str | None = Field(default=None, max_length=100, description="province/city/district")
    description: str | None = Field(default=None, max_length=5000)
    rd_share: float | None = Field(default=None, ge=0, le=1)
    invention_patents: int | None = Field(default=None, ge=0, le=1_000_000)
    certifications: list[str] | None = Field(default=None, max_length=50)
    contact: Contact | None = None
    capabilities: list[CapabilityIn] | None = Field(default=None, max_length=500)

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str | None) -> str | None:
        return _check(v, _KINDS, "kind")

    @field_validator("tier")
    @classmethod
    def _tier(cls, v: str | None) -> str | None:
        return _check(v, _TIERS, "tier")

    @field_validator("region")
    @classmethod
    def _region(cls, v: str | None) -> str | None:
        if v is not None and len([p for p in v.split("/") if p]) > 3:
            raise ValueError("region has at most three parts: province/city/district")
        return v


class EnterpriseCreate(EnterpriseWrite):
    code: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")
    name: str = Field(min_length=1, max_length=100)  # type: ignore[assignment]
