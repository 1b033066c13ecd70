"""What a webhook receives: a small, stable envelope around the assessment that changed.

``data`` holds identifiers and status, never answers or results: a receiver that wants more
fetches it with its own token (``GET /v1/assessments/{assessment_id}/result``), so a webhook
secret never exposes more than its endpoint could already see. Fields may be added, never removed.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

__all__ = ["AssessmentEventData", "EventType", "WebhookEvent"]

EventType = Literal["assessment.scored", "assessment.submitted"]  # as models.EVENT_TYPES


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


class WebhookEvent(BaseModel):
    """The JSON body of every webhook request."""

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
    data: AssessmentEventData
