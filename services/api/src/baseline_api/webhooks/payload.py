"""What a webhook receives: a small, stable envelope around what changed.

``data`` holds identifiers, status and dates, never answers, results, owners, notes, names or
anything else about a person: a receiver that wants more fetches it with its own token
(``GET /v1/assessments/{assessment_id}/result``, ``GET /v1/actions/{action_id}``), so a webhook
secret never exposes more than its endpoint could already see. Every ``data`` names its
``organisation_id`` (null only for an event about no one organisation). Fields may be added,
never removed.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

__all__ = [
    "ActionEvent",
    "ActionEventData",
    "ActionEventType",
    "AssessmentEventData",
    "EventType",
    "WebhookDisabledData",
    "WebhookDisabledEvent",
    "WebhookEvent",
    "event_body",
]

# as models.EVENT_TYPES
EventType = Literal[
    "assessment.scored",
    "assessment.submitted",
    "assessment.approved",
    "action.completed",
    "action.overdue",
    "webhook.disabled",
]
AssessmentEventType = Literal["assessment.scored", "assessment.submitted", "assessment.approved"]
ActionEventType = Literal["action.completed", "action.overdue"]


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_utc)]
EventId = Annotated[
    uuid.UUID,
    Field(
        description="The event's id, also in `Baseline-Event-Id`: the same on every retry, so "
        "receivers can ignore an event they have already handled."
    ),
]
OccurredAt = Annotated[UtcDatetime, Field(description="When the change was made (RFC 3339, UTC).")]

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
    moment it is submitted sends both events, and both say ``scored``. ``assessment.approved``
    says ``approved``: who approved it is not sent (fetch the assessment)."""

    model_config = ConfigDict(json_schema_extra={"examples": [_DATA_EXAMPLE]})

    assessment_id: uuid.UUID
    organisation_id: uuid.UUID
    framework_id: str
    framework_version: str
    status: Literal["submitted", "scored", "approved"]
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

    id: EventId
    type: ActionEventType
    occurred_at: OccurredAt
    data: ActionEventData


class WebhookDisabledData(BaseModel):
    """A webhook whose receiver failed for too long, and is sent nothing more until re-enabled.
    Its URL is not given: it may carry a token of its receiver's."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "webhook_id": "5d1f0c9a-2b7e-4c3d-8e6f-a1b2c3d4e5f6",
                    "organisation_id": "3f8a2c1e-6b0d-4d5e-9a7f-2b1c0d9e8f7a",
                    "failing_since": "2026-11-23T15:04:08.123456Z",
                    "disabled_at": "2026-11-26T15:04:08.123456Z",
                }
            ]
        }
    )

    webhook_id: uuid.UUID
    organisation_id: uuid.UUID | None = Field(
        description="One of the organisations the webhook was limited to (one event each); null "
        "for a webhook of every organisation, which only webhooks of every organisation hear of."
    )
    failing_since: UtcDatetime
    disabled_at: UtcDatetime


class WebhookEvent(BaseModel):
    """The JSON body of every assessment event."""

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

    id: EventId
    type: AssessmentEventType
    occurred_at: OccurredAt
    data: AssessmentEventData


class WebhookDisabledEvent(BaseModel):
    """The JSON body of a ``webhook.disabled`` event."""

    id: EventId
    type: Literal["webhook.disabled"]
    occurred_at: OccurredAt
    data: WebhookDisabledData


_ENVELOPES: dict[str, type[BaseModel]] = {
    "action.completed": ActionEvent,
    "action.overdue": ActionEvent,
    "webhook.disabled": WebhookDisabledEvent,
}


def event_body(event_id: uuid.UUID, event_type: str, occurred_at: datetime, data: dict[str, Any]) -> bytes:
    """The request body of a stored event, checked against its documented schema."""
    envelope = _ENVELOPES.get(event_type, WebhookEvent)
    fields = {"id": event_id, "type": event_type, "occurred_at": occurred_at, "data": data}
    return envelope.model_validate(fields).model_dump_json().encode()
