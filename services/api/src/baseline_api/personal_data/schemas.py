"""Request and response bodies of personal-data erasure."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from baseline_api.auth.actor import MAX_SUB
from baseline_api.core.text import NO_NUL_PATTERN

__all__ = ["ErasureIn", "ErasureOut"]

Text = Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL_PATTERN)]


class ErasureIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"name": "Dr Jane Smith", "subject": "910000000001"}]},
    )

    name: Text | None = Field(default=None, description="Their name, matched exactly (ignoring case).")
    email: Text | None = Field(default=None, description="Their email address, matched ignoring case.")
    subject: Annotated[str, Field(min_length=1, max_length=MAX_SUB)] | None = Field(
        default=None, description="Their sign-in identity: the identity provider's `sub`."
    )

    @model_validator(mode="after")
    def _someone(self) -> ErasureIn:
        if self.name is None and self.email is None and self.subject is None:
            raise ValueError("give at least one of name, email and subject")
        return self


class ErasureOut(BaseModel):
    pseudonym: str = Field(
        description="What now stands for the person: names read `Erased person <token>`, actor ids "
        "`erased:<token>`.",
        examples=["Erased person 3f9a1c2b7d4e"],
    )
    changed: dict[str, int] = Field(
        description="Records changed per table (approval_documents: signed reports naming the approver, "
        "deleted; their SHA-256 is kept).",
        examples=[{"assessments": 2, "responses": 120, "actions": 1, "evidence": 3, "audit_events": 140}],
    )
    total: int = Field(ge=0)
