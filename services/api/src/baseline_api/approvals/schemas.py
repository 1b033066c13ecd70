"""Request bodies of approval and its withdrawal."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from baseline_api.core.text import NO_NUL_PATTERN

__all__ = ["ApprovalIn", "WithdrawalIn"]

Name = Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL_PATTERN)]
Text = Annotated[str, Field(min_length=1, max_length=2000, pattern=NO_NUL_PATTERN)]


class ApprovalIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"approver_name": "Dr Jane Smith", "approver_role": "Chief Clinical Information Officer"}
            ]
        },
    )

    approver_name: Name = Field(description="The person signing off, as the board knows them.")
    approver_role: Name = Field(description="Their role, e.g. Chief Digital Information Officer.")
    note: Text | None = None


class WithdrawalIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reason": "Signed off early."}]}
    )

    reason: Text = Field(description="Why the approval is withdrawn; kept in the audit.")
