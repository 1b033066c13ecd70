"""The bulk ingestion body (a JSON array, or NDJSON: one item a line) and its per-item report.

An item reuses the shapes of the single-assessment routes: the organisation as in
``POST /v1/organisations`` and each answer as in ``PATCH /v1/assessments/{id}/responses``, so
the same input is checked by the same rules wherever it arrives.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic.config import JsonDict

from baseline_api.assessments.schemas import AssessmentStatus, ResponseItemIn
from baseline_api.core.text import TEXT_PATTERN
from baseline_api.organisations.schemas import OrganisationCreate
from baseline_service_kit import FieldError

__all__ = [
    "MAX_ITEMS",
    "MAX_RESPONSES_PER_ITEM",
    "IngestItem",
    "IngestItemResult",
    "IngestReport",
    "ItemStatus",
]

MAX_ITEMS = 5000
MAX_RESPONSES_PER_ITEM = 500
ExternalId = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=TEXT_PATTERN)]
ItemStatus = Literal["created", "updated", "failed"]

ITEM_EXAMPLE: JsonDict = {
    "organisation": {"ods_code": "RX1", "name": "Nottingham University Hospitals", "kind": "trust"},
    "framework_id": "nhs-digital-readiness",
    "framework_version": "1.1.0",
    "external_id": "survey-2026-rx1",
    "responses": [
        {"question_id": "wow-cul-blameless-review", "value": "defined"},
        {"question_id": "wow-cs-manufacture", "value": None, "not_applicable": True, "reason": "No builds."},
    ],
    "submit": False,
}


class IngestItem(BaseModel):
    """One assessment to create, or to update when its ``external_id`` was sent before."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [ITEM_EXAMPLE]})

    organisation: OrganisationCreate = Field(
        description="Matched by ODS code; created when new (by a token not limited to organisations). "
        "An organisation that exists is left as it is."
    )
    framework_id: str = Field(min_length=1, max_length=64, examples=["nhs-digital-readiness"])
    framework_version: str | None = Field(
        default=None,
        max_length=32,
        description="Defaults to the latest published version for a new assessment, and to the pinned "
        "version of one found by `external_id`.",
    )
    external_id: ExternalId | None = Field(
        default=None,
        description="Your id for this assessment, unique per organisation: sending it again updates the "
        "answers of the assessment it created (while that is a draft) instead of creating another.",
    )
    responses: list[ResponseItemIn] = Field(
        max_length=MAX_RESPONSES_PER_ITEM,
        description="Answers, checked against the pinned framework version. On an update they are "
        "merged into the stored answers: answers sent replace those to the same questions.",
    )
    submit: bool = Field(
        default=False,
        description="Submit the assessment once these answers are stored: every question must then be "
        "answered. It becomes `submitted` and is scored in the background.",
    )


class IngestItemResult(BaseModel):
    """What became of one item. Fields that do not apply are left out."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "index": 0,
                    "status": "created",
                    "http_status": 201,
                    "assessment_id": "6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f",
                    "assessment_status": "draft",
                },
                {
                    "index": 1,
                    "status": "failed",
                    "http_status": 422,
                    "detail": "1 problem(s) with the answers for nhs-digital-readiness 1.1.0.",
                    "errors": [{"field": "responses[2].value", "message": "'often' is not an option"}],
                },
            ]
        }
    )

    index: int = Field(ge=0, description="The item's position: in the array, or its NDJSON line (from 0).")
    status: ItemStatus
    http_status: int = Field(
        description="What the single-assessment routes would have answered: 201 created, 200 updated; "
        "400 not JSON, 404 organisation unknown or out of reach, 409 not a draft (or pinned to another "
        "version), 422 invalid."
    )
    assessment_id: uuid.UUID | None = None
    assessment_status: AssessmentStatus | None = Field(
        default=None, description="`draft`, or `submitted` once submitted (scored later)."
    )
    detail: str | None = Field(default=None, description="Why the item failed.")
    errors: list[FieldError] | None = Field(
        default=None,
        description="Each problem, at a field relative to the item: `responses[2].value`, "
        "`organisation.ods_code`; `item` for the item as a whole.",
    )


class IngestReport(BaseModel):
    """One result per item, in input order. Failed items changed nothing; the others are stored."""

    items: list[IngestItemResult]
    created: int = Field(ge=0)
    updated: int = Field(ge=0)
    failed: int = Field(ge=0)
