"""Request and response bodies of evidence."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

from baseline_api.auth.actor import UpdatedBy, UpdatedByName
from baseline_api.core.text import NO_NUL_PATTERN

__all__ = ["EvidenceCreate", "EvidenceOut", "EvidenceSummary", "EvidenceUpdate"]

Title = Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL_PATTERN)]
Url = Annotated[
    str,
    Field(
        max_length=2048,
        description="An https:// link to the evidence. Organisation-internal: seen only by `write`, "
        "`approve` and `admin` principals.",
        examples=["https://intranet.example.nhs.uk/dcb0160/safety-case.pdf"],
    ),
]
Reference = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        pattern=NO_NUL_PATTERN,
        description="A document id in the organisation's own system. Organisation-internal, as `url`.",
        examples=["QMS-DOC-0142"],
    ),
]
Description = Annotated[str, Field(max_length=2000, pattern=NO_NUL_PATTERN)]
QuestionId = Annotated[str, Field(min_length=1, max_length=64)]
QuestionIds = Annotated[
    list[QuestionId],
    Field(min_length=1, max_length=200, description="The questions it supports (repeats are ignored)."),
]
EXPIRES_DESCRIPTION = (
    "The last day it holds: expired on any later day. Not before `evidence_date`. Null: never expires."
)


def _https(url: str | None) -> str | None:
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or any(c.isspace() for c in url):
        raise ValueError("must be an https:// URL with a host")
    return url


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    _https_url = field_validator("url", check_fields=False)(_https)


class EvidenceCreate(_Body):
    """Either ``url`` or ``reference`` (or both)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "title": "Clinical safety case (DCB0160)",
                    "url": "https://intranet.example.nhs.uk/dcb0160/safety-case.pdf",
                    "evidence_date": "2026-10-01",
                    "expires_on": "2027-09-30",
                    "question_ids": ["cs-cso-named"],
                }
            ]
        }
    )

    title: Title
    url: Url | None = None
    reference: Reference | None = None
    description: Description | None = None
    evidence_date: date = Field(description="What it shows is true as of this date.")
    expires_on: date | None = Field(default=None, description=EXPIRES_DESCRIPTION)
    question_ids: QuestionIds


class EvidenceUpdate(_Body):
    """Only the fields sent change; null clears an optional one. The result must still have a
    ``url`` or a ``reference``, and ``expires_on`` not before ``evidence_date``."""

    title: Title | None = None
    url: Url | None = None
    reference: Reference | None = None
    description: Description | None = None
    evidence_date: date | None = None
    expires_on: date | None = Field(default=None, description=EXPIRES_DESCRIPTION)
    question_ids: QuestionIds | None = None


class EvidenceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    assessment_id: uuid.UUID
    title: str
    url: str | None = Field(description="Null when not given, or when `redacted`.")
    reference: str | None = Field(description="Null when not given, or when `redacted`.")
    redacted: bool = Field(
        description="True for a caller with only `read`: `url` and `reference` are organisation-internal "
        "and shown only to `write`, `approve` and `admin` principals."
    )
    description: str | None
    evidence_date: date
    expires_on: date | None
    expired: bool = Field(description="Expired on the summary's `as_of` day (see the summary).")
    question_ids: list[str]
    created_at: datetime
    created_by: UpdatedBy
    created_by_name: UpdatedByName
    updated_at: datetime
    updated_by: UpdatedBy
    updated_by_name: UpdatedByName


class EvidenceSummary(BaseModel):
    coverage: float | None = Field(
        ge=0,
        le=1,
        description="Among the agreed answers scoring at least 0.5, the share with at least one piece of "
        "evidence not expired on `as_of`; null when there is no such answer.",
    )
    unevidenced: list[str] = Field(
        description="Those answers' question ids without such evidence, in framework order."
    )
    expired: list[uuid.UUID] = Field(description="Evidence expired on `as_of`.")
    as_of: date = Field(
        description="The day judged: today (Europe/London), or the day it was scored once it is scored, so a "
        "scored or approved record does not change."
    )
