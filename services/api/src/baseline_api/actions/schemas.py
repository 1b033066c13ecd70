"""Request and response bodies of the improvement plan's actions."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from pydantic.config import JsonDict

from baseline_api.core.json_schema import not_nullable, refuse_null
from baseline_api.core.text import NO_NUL_PATTERN, TEXT_PATTERN

__all__ = ["ActionCreate", "ActionOut", "ActionStatus", "ActionUpdate"]

ActionStatus = Literal["planned", "in_progress", "done", "dropped"]  # as models.ACTION_STATUSES

# A person or a team, free text; not blank.
Owner = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=TEXT_PATTERN)]
Notes = Annotated[str, StringConstraints(max_length=4000, pattern=NO_NUL_PATTERN)]
DUE_ON_DESCRIPTION = (
    "The date it is due (Europe/London). Defaults to today plus the step's `duration_days` "
    "(90 when the framework gives none)."
)
STATUS_DESCRIPTION = (
    "`planned` and `in_progress` are open (at most one open action per organisation and "
    "recommendation); `done` sets `completed_at`, leaving it clears it; `dropped` closes it undone."
)

_EXAMPLE: JsonDict = {
    "assessment_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    "recommendation_id": "rec-clinical-safety-1-2",
    "owner": "Clinical safety officer (Dr A. Patel)",
    "due_on": "2027-03-01",
    "notes": "Start with the EPR hazard log.",
}


class ActionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_EXAMPLE]})

    assessment_id: uuid.UUID = Field(description="A scored assessment of this organisation.")
    recommendation_id: str = Field(
        min_length=1,
        max_length=64,
        description="A recommendation in that assessment's stored result.",
        examples=["rec-clinical-safety-1-2"],
    )
    owner: Owner = Field(description="Who will do it: a person or a team.")
    due_on: date | None = Field(default=None, description=DUE_ON_DESCRIPTION)
    notes: Notes | None = None


class ActionUpdate(BaseModel):
    """Only the fields sent change; ``notes: null`` clears the notes."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"status": "done", "notes": "Hazard log signed."}]}
    )

    status: ActionStatus | None = Field(
        default=None, description=STATUS_DESCRIPTION, json_schema_extra=not_nullable
    )
    owner: Owner | None = Field(default=None, json_schema_extra=not_nullable)
    due_on: date | None = Field(default=None, description="Europe/London.", json_schema_extra=not_nullable)
    notes: Notes | None = None

    @field_validator("status", "owner", "due_on", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        return refuse_null(value)

    def changes(self) -> dict[str, Any]:
        return self.model_dump(include=self.model_fields_set)


class ActionOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "9a4c1b2d-3e5f-4a6b-8c7d-0e1f2a3b4c5d",
                    "organisation_id": "3f8a2c1e-6b0d-4d5e-9a7f-2b1c0d9e8f7a",
                    **_EXAMPLE,
                    "capability_id": "clinical-safety",
                    "title": "Name a clinical safety officer and start a hazard log",
                    "done_when": "A hazard log for the EPR is signed by the CSO and reviewed at the last change board.",
                    "status": "in_progress",
                    "overdue": False,
                    "created_at": "2026-12-02T09:00:00Z",
                    "updated_at": "2026-12-09T14:30:00Z",
                    "completed_at": None,
                    "created_by": None,
                    "updated_by": None,
                }
            ]
        },
    )

    id: uuid.UUID
    organisation_id: uuid.UUID
    assessment_id: uuid.UUID = Field(description="The assessment whose recommendation this takes on.")
    recommendation_id: str
    capability_id: str
    title: str = Field(description="The step's title, copied from the framework.")
    done_when: str | None = Field(
        description="The observable evidence that the step is done, copied from the framework "
        "(null for versions before 2.0.0)."
    )
    owner: str
    due_on: date = Field(description="Europe/London.")
    status: ActionStatus = Field(description=STATUS_DESCRIPTION)
    overdue: bool = Field(description="Open and due before today (Europe/London).")
    notes: str | None
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None = Field(description="When it was marked `done`; null otherwise.")
    created_by: uuid.UUID | None = Field(description="The API key that created it; null for the admin token.")
    updated_by: uuid.UUID | None = Field(
        description="The API key that last changed it; null for the admin token."
    )
