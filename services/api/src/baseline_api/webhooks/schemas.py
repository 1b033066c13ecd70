"""Request and response bodies of the webhooks API. A webhook's secret is accepted, never shown."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, StringConstraints, field_validator
from pydantic.config import JsonDict

from .models import EVENT_TYPES, DeliveryStatus
from .payload import EventType

__all__ = ["DeliveryAttemptRead", "DeliveryRead", "DeliveryStatus", "WebhookCreate", "WebhookRead"]

MAX_URL_LENGTH = 2083  # as models.Webhook.url

# Visible ASCII only: the secret is an HMAC key, and receivers in any language must derive the
# same bytes from it (no spaces to trim, no Unicode forms to normalise).
Secret = Annotated[str, StringConstraints(min_length=16, max_length=256, pattern=r"^[\x21-\x7e]+$")]

_EXAMPLE_ID = "5d1f0c9a-2b7e-4c3d-8e6f-a1b2c3d4e5f6"
_READ_EXAMPLE: JsonDict = {
    "id": _EXAMPLE_ID,
    "url": "https://portal.example.nhs.uk/hooks/baseline",
    "events": ["assessment.scored"],
    "created_at": "2026-11-26T15:04:08Z",
}


class WebhookCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "url": "https://portal.example.nhs.uk/hooks/baseline",
                    "events": ["assessment.scored", "assessment.submitted"],
                    "secret": "4f9c2a7e1b8d3f60a5c9e2b7d1f4a8c3",
                }
            ]
        },
    )

    url: HttpUrl = Field(description="Where to POST each event: an `http` or `https` URL.")
    events: list[EventType] = Field(
        min_length=1,
        max_length=len(EVENT_TYPES),
        description="The event types to receive.",
        json_schema_extra={"uniqueItems": True},
    )
    secret: Secret = Field(
        description="16-256 visible ASCII characters (e.g. `openssl rand -hex 32`), the key that signs "
        "every delivery (`Baseline-Signature`). Never shown again."
    )

    @field_validator("url")
    @classmethod
    def _fits_once_normalised(cls, url: HttpUrl) -> HttpUrl:
        # Normalising (punycode, percent-encoding) can lengthen what was sent; this is what is kept.
        if len(str(url)) > MAX_URL_LENGTH:
            raise ValueError(f"longer than {MAX_URL_LENGTH} characters once normalised")
        return url

    @field_validator("events")
    @classmethod
    def _unique(cls, events: list[EventType]) -> list[EventType]:
        if len(set(events)) != len(events):
            raise ValueError("must not contain duplicates")
        return events


class WebhookRead(BaseModel):
    """A webhook as shown: never its secret."""

    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [_READ_EXAMPLE]})

    id: uuid.UUID
    url: str
    events: list[EventType]
    created_at: datetime


class DeliveryAttemptRead(BaseModel):
    """One request: the receiver's status code, or why there was none."""

    model_config = ConfigDict(from_attributes=True)

    attempt: int = Field(description="1 for the first attempt.", examples=[1])
    attempted_at: datetime
    status_code: int | None = Field(description="The receiver's HTTP status code.", examples=[500])
    error: str | None = Field(
        description="Why there was no status code: a timeout or a network error.",
        examples=["timed out after 10 s"],
    )
    duration_ms: int = Field(examples=[42])


class DeliveryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    event_id: uuid.UUID = Field(description="The event's id, as sent in `Baseline-Event-Id`.")
    event_type: EventType
    status: DeliveryStatus = Field(
        description="`pending` until a 2xx answer (`delivered`) or the last attempt (`failed`); "
        "`cancelled` when the webhook was deleted first."
    )
    attempts: int = Field(description="Attempts made so far.", examples=[2])
    last_status_code: int | None = Field(description="The status code of the latest attempt, if any.")
    next_attempt_at: datetime | None = Field(description="When a pending delivery is tried next.")
    delivered_at: datetime | None
    created_at: datetime
    attempts_detail: list[DeliveryAttemptRead] = Field(description="Every attempt, oldest first.")
