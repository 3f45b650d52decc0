"""An alias as operators write it and as the API shows it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.core.schemas import UtcDateTime


class AliasIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    alias: str = Field(min_length=1, max_length=100, description="a word people write for the node (MCU, 热卷)")
    source: str = Field(min_length=1, max_length=300, description="where this knowledge comes from, for reviewers")


class AliasOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    alias: str = Field(description="as operators wrote it; matching compares it normalised (NFKC, lower case)")
    node_name: str = Field(description="the chain node it names")
    source: str = Field(description="where this knowledge comes from")
    created_at: UtcDateTime
    updated_at: UtcDateTime
