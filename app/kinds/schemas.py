"""A member of a category node as operators write it and as the API shows it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.core.schemas import UtcDateTime


class MemberIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    item: str = Field(min_length=1, max_length=100,
                      description="a product buyers name that is a kind of the node (动力煤 of 煤炭): a name or alias")
    source: str = Field(min_length=1, max_length=300, description="where this knowledge comes from, for reviewers")


class MemberOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    item: str = Field(description="the product buyers name")
    kind_name: str = Field(description="the category node it is a kind of")
    source: str = Field(description="where this knowledge comes from")
    created_at: UtcDateTime
    updated_at: UtcDateTime
