"""The audit as the API answers it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from baseline_api.auth.actor import UpdatedBy, UpdatedByName

__all__ = ["AuditEventOut"]


class AuditEventOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "at": "2026-12-02T10:15:00.000000Z",
                    "by": "user:910000000001",
                    "by_name": "Dr Jane Smith",
                    "action": "response.answered",
                    "target": "wow-cul-blameless-review",
                    "detail": {"value": "defined", "not_applicable": False},
                }
            ]
        },
    )

    at: datetime
    by: UpdatedBy
    by_name: UpdatedByName
    action: str = Field(
        description="What happened, as `<thing>.<verb>`: `assessment.created`, `assessment.updated`, "
        "`response.answered`, `response.carried`, `response.withdrawn`, `assessment.submitted`, "
        "`assessment.scored`, `assessment.approved`, `assessment.approval_withdrawn`, `evidence.added`, "
        "`evidence.updated`, `evidence.deleted`, `respondent.*`...",
        examples=["response.answered"],
    )
    target: str | None = Field(
        description="What it happened to: a question id, an evidence or respondent id; null for the "
        "assessment itself."
    )
    detail: dict[str, Any] = Field(
        description="What changed: never comments, evidence links or anyone's email. A scoring by the "
        "background worker is attributed to whoever submitted, with `by_worker: true`."
    )
