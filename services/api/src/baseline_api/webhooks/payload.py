"""What a webhook receives: a small, stable envelope around the assessment or action that changed.

``data`` holds identifiers, status and dates, never answers, results, owners or notes: a receiver
that wants more fetches it with its own token (``GET /v1/assessments/{assessment_id}/result``,
``GET /v1/actions/{action_id}``), so a webhook secret never exposes more than its endpoint could
already see. Fields may be added, never removed.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

__all__ = [
    "ActionEvent",
    "ActionEventData",
    "ActionEventType",
    "AssessmentEventData",
    "EventType",
    "WebhookEvent",
]

# as models.EVENT_TYPES
EventType = Literal["assessment.scored", "assessment.submitted", "action.completed", "action.overdue"]
ActionEventType = Literal["action.completed", "action.overdue"]


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_utc)]

_DATA_EXAMPLE: JsonDict = {
    "assessment_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    "organisation_id": "3f8a2c1e-6b0d-4d5e-9a7f-2b1c0d9e8f7a",
    "framework_id": "nhs-digital-readiness",
    "framework_version": "1.1.0",
    "status": "scored",
    "submitted_at": "2026-11-26T15:04:08.123456Z",
    "scored_at": "2026-11-26T15:04:08.123456Z",
}


class AssessmentEventData(BaseModel):
    """The assessment as the change left it. An assessment scored at the
    moment it is submitted sends both events, and both say ``scored``."""

    model_config = ConfigDict(json_schema_extra={"examples": [_DATA_EXAMPLE]})

    assessment_id: uuid.UUID
    organisation_id: uuid.UUID
    framework_id: str
    framework_version: str
    status: Literal["submitted", "scored"]
    submitted_at: UtcDatetime
    scored_at: UtcDatetime | None


_ACTION_DATA_EXAMPLE: JsonDict = {
    "action_id": "9a4c1b2d-3e5f-4a6b-8c7d-0e1f2a3b4c5d",
    "organisation_id": "3f8a2c1e-6b0d-4d5e-9a7f-2b1c0d9e8f7a",
    "assessment_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    "recommendation_id": "rec-clinical-safety-1-2",
    "capability_id": "clinical-safety",
    "status": "done",
    "due_on": "2027-03-01",
    "completed_at": "2027-02-20T10:12:31.000000Z",
}


class ActionEventData(BaseModel):
    """The action as the change left it: done (``action.completed``), or still open a day past
    its due date (``action.overdue``, once per action and due date)."""

    model_config = ConfigDict(json_schema_extra={"examples": [_ACTION_DATA_EXAMPLE]})

    action_id: uuid.UUID
    organisation_id: uuid.UUID
    assessment_id: uuid.UUID = Field(description="The assessment whose recommendation it takes on.")
    recommendation_id: str
    capability_id: str
    status: Literal["planned", "in_progress", "done", "dropped"]
    due_on: date = Field(description="The due date (Europe/London).")
    completed_at: UtcDatetime | None


class ActionEvent(BaseModel):
    """The JSON body of an action event."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
                    "type": "action.completed",
                    "occurred_at": "2027-02-20T10:12:31.000000Z",
                    "data": _ACTION_DATA_EXAMPLE,
                }
            ]
        }
    )

    id: uuid.UUID = Field(description="The event's id, also in `Baseline-Event-Id`.")
    type: ActionEventType
    occurred_at: UtcDatetime = Field(description="When the change was made (RFC 3339, UTC).")
    data: ActionEventData


class WebhookEvent(BaseModel):
    """The JSON body of every webhook request: an assessment event (``assessment.*``) or an action
    event (``action.*``, as ``ActionEvent`` details)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "0b8f4a52-8d1e-4f3a-9c55-1f2e3d4c5b6a",
                    "type": "assessment.scored",
                    "occurred_at": "2026-11-26T15:04:08.123456Z",
                    "data": _DATA_EXAMPLE,
                }
            ]
        }
    )

    id: uuid.UUID = Field(
        description="The event's id, also in `Baseline-Event-Id`: the same on every retry, so "
        "receivers can ignore an event they have already handled."
    )
    type: EventType
    occurred_at: UtcDatetime = Field(description="When the change was made (RFC 3339, UTC).")
    data: AssessmentEventData | ActionEventData
