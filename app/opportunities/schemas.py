"""The SME's feed: a delivered need as the receiving firm sees it, and the firm's answers."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.enterprises.schemas import Contact
from app.needs.schemas import NeedOut


class FeedItem(BaseModel):
    need: NeedOut
    score: float | None = Field(description="how well the need fits the firm; none if it was not delivered")
    match: int | None = Field(description="匹配度 0–100 when delivered (see matching/scale.py)")
    reason: dict[str, Any] = Field(description="why it was matched (the engine's explanation)")
    is_new: bool = Field(description="not seen in the feed before")
    delivered: bool
    delivered_version: int = Field(description="the need's version when it reached the firm")
    changed_fields: list[str] = Field(description="fields changed by versions after the delivered one")
    sme_status: str
    sme_message: str
    poster_status: str = Field(description="the poster's answer: none, invited, rejected or selected")
    poster_reason: str
    agreed: bool
    poster_contact: Contact | None = Field(description="only once both sides agreed, never for an anonymous poster")


class InterestIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    message: str = Field(default="", max_length=500, description="a note to the poster")
