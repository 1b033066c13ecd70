"""Request and response bodies of assessments and their responses (answers)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from baseline_api.auth.actor import UpdatedBy, UpdatedByName
from baseline_api.core.text import NO_NUL_PATTERN
from framework_model import Profile

from .result import ScoreResult

__all__ = [
    "AnswerOut",
    "AssessmentCreate",
    "AssessmentOut",
    "AssessmentStatus",
    "AssessmentUpdate",
    "Progress",
    "ProgressPoint",
    "ResponseBatch",
    "ResponseIn",
    "ResponseItemIn",
    "ResponseList",
    "ResponseOut",
    "SubmitOut",
    "Targets",
]

AssessmentStatus = Literal["draft", "submitted", "scored", "approved"]  # as models.STATUSES

PillarId = Annotated[str, Field(min_length=1, max_length=64)]
TargetLevel = Annotated[int, Field(ge=1, le=5)]
Targets = dict[PillarId, TargetLevel]
# PostgreSQL text cannot hold NUL: refused here, at the field, rather than by the database.
Text = Annotated[str, Field(max_length=2000, pattern=NO_NUL_PATTERN)]
Title = Annotated[str, Field(max_length=200)]
PROFILE_DESCRIPTION = (
    "`full` asks every question; `quick` asks only the lead questions (one per capability, about 15 "
    "minutes; versions 2.0.0 on), to re-measure between full assessments. Quick results are indicative."
)
TARGETS_DESCRIPTION = "Aspiration level (1-5) per pillar id; the framework's default_targets fill the rest."


class _Body(BaseModel):
    """Request bodies refuse unknown keys, so a misspelt field is an error, not silently lost."""

    model_config = ConfigDict(extra="forbid")


class AssessmentCreate(_Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "framework_id": "nhs-digital-readiness",
                    "framework_version": "1.1.0",
                    "targets": {"ways-of-working": 4},
                    "title": "2026 baseline",
                }
            ]
        }
    )

    framework_id: str = Field(min_length=1, max_length=64, examples=["nhs-digital-readiness"])
    framework_version: str | None = Field(
        default=None, max_length=32, description="Defaults to the latest published version."
    )
    targets: Targets = Field(default_factory=dict, description=TARGETS_DESCRIPTION)
    title: Title | None = None
    profile: Profile = Field(default="full", description=PROFILE_DESCRIPTION)
    carry_forward_from: uuid.UUID | None = Field(
        default=None,
        description="Start from the answers of this scored assessment of the same organisation and "
        "framework, carried to the new version through the crosswalk; each stays `carried` until "
        "answered again. Its targets fill what `targets` leaves out.",
    )


class AssessmentUpdate(_Body):
    """Only the fields sent change; ``targets`` are merged into the current targets."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"title": "2026 baseline (board review)", "targets": {"operating-model": 4}}]
        }
    )

    title: Title | None = Field(default=None, description="null clears the title.")
    targets: Targets | None = Field(
        default=None, description="Levels to change, merged into the current targets."
    )


class AssessmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    organisation_id: uuid.UUID
    framework_id: str = Field(examples=["nhs-digital-readiness"])
    framework_version: str = Field(examples=["1.1.0"])
    content_hash: str = Field(description="Hash of the pinned framework content.")
    profile: Profile = Field(description=PROFILE_DESCRIPTION)
    status: AssessmentStatus
    targets: dict[str, int] = Field(
        examples=[{"ways-of-working": 4, "operating-model": 3, "supplier-ecosystem": 3}]
    )
    title: str | None
    created_at: datetime
    updated_at: datetime
    updated_by: UpdatedBy
    updated_by_name: UpdatedByName
    submitted_at: datetime | None
    scored_at: datetime | None
    revision: int = Field(ge=1, description="Grows with every change; the ETag is this number, quoted.")
    carried_forward_from: uuid.UUID | None = Field(
        default=None, description="The assessment whose answers this one started from, if any."
    )
    scoring_attempts: int = Field(
        ge=0, description="While submitted: failed tries to reach the scoring service so far."
    )
    next_scoring_at: datetime | None = Field(
        description="While submitted: when the background worker will next try to score it."
    )
    last_scoring_error: str | None = Field(
        description="While submitted: why the last try failed.",
        examples=["The scoring service is unavailable; try again later."],
    )
    approved_at: datetime | None = Field(default=None, description="While approved: when it was signed off.")
    approved_by: str | None = Field(
        default=None,
        description="While approved: who signed it off, as authenticated (`user:<sub>`, `api_key:<id>`, `admin`).",
    )
    approved_by_name: str | None = Field(default=None, description="While approved: that principal's name.")
    approver_name: str | None = Field(
        default=None, description="While approved: the approver's name, as given."
    )
    approver_role: str | None = Field(
        default=None, description="While approved: the approver's role, as given."
    )
    approval_note: str | None = Field(
        default=None, description="While approved: the approver's note, if any."
    )
    approval_sha256: str | None = Field(
        default=None,
        description="While approved: the SHA-256 (hex) of the report stored at approval, which the report "
        "route serves from then on.",
    )


class ResponseIn(_Body):
    """An answer: an option id, or ``not_applicable`` (where the question allows it)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"value": "named-trained", "comment": "Named CSO since 2024; DCB0160 case on the intranet."},
                {"value": None, "not_applicable": True, "reason": "We do not deploy clinical systems."},
            ]
        }
    )

    value: str | None = Field(default=None, max_length=64, description="The chosen option_id; null when N/A.")
    not_applicable: bool = False
    reason: Text | None = Field(default=None, description="Why the question does not apply.")
    comment: Text | None = Field(default=None, description="Comment or evidence.")


class ResponseItemIn(ResponseIn):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"question_id": "wow-cul-blameless-review", "value": "defined"}]}
    )

    question_id: str = Field(min_length=1, max_length=64, examples=["wow-cul-blameless-review"])


class ResponseBatch(_Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "responses": [
                        {"question_id": "wow-cul-blameless-review", "value": "defined"},
                        {"question_id": "wow-cs-manufacture", "value": None, "not_applicable": True},
                    ]
                }
            ]
        }
    )

    responses: list[ResponseItemIn] = Field(min_length=1, max_length=500)


class AnswerOut(BaseModel):
    """An answer as stored: the assessment's own, or one respondent's."""

    model_config = ConfigDict(from_attributes=True)

    question_id: str = Field(examples=["wow-cul-blameless-review"])
    value: str | None = Field(examples=["defined"])
    not_applicable: bool
    reason: str | None
    comment: str | None
    updated_at: datetime
    updated_by: UpdatedBy
    updated_by_name: UpdatedByName


class ResponseOut(AnswerOut):
    carried: bool = Field(
        description="Carried forward from an earlier assessment and not yet confirmed: answering the "
        "question again (even with the same value) confirms it; submit refuses while any is carried.",
    )


class ResponseList(BaseModel):
    items: list[ResponseOut] = Field(description="In the framework's question order.")


class SubmitOut(BaseModel):
    status: Literal["submitted", "scored"]
    result: ScoreResult | None = Field(default=None, description="Present once scored.")


class ProgressPoint(BaseModel):
    """One scored assessment in an organisation's series."""

    assessment_id: uuid.UUID
    framework_version: str = Field(examples=["1.0.0"])
    profile: Profile = Field(
        description="`quick` results are indicative: marked here, left out of baseline, latest and deltas."
    )
    indicative: bool
    scored_at: datetime
    overall: float | None = Field(description="The overall score, 0-100.", examples=[52.4])
    pillars: dict[str, float | None] = Field(
        description="Score per pillar id.", examples=[{"ways-of-working": 48.0, "operating-model": 61.3}]
    )
    capabilities: dict[str, float | None] = Field(description="Score per capability id.")


class Progress(BaseModel):
    """Baseline (first scored) against latest, and the organisation's own targets."""

    organisation_id: uuid.UUID
    framework_id: str = Field(examples=["nhs-digital-readiness"])
    baseline: ProgressPoint | None = Field(
        description="The first scored full assessment; null when none (quick results are indicative)."
    )
    latest: ProgressPoint | None = Field(description="The last scored full assessment; null when none.")
    series: list[ProgressPoint] = Field(
        description="Every scored assessment, oldest score first, quick ones marked `indicative`."
    )
    deltas: dict[str, float] = Field(
        description="latest - baseline per pillar id scored in both, to one decimal place; "
        "pillars match by id across framework versions.",
        examples=[{"ways-of-working": 6.5, "operating-model": -1.2}],
    )
    capability_deltas: dict[str, float] = Field(
        description="As `deltas`, per capability id of the latest version; across versions a capability "
        "of the baseline counts as the one its questions are carried to by the crosswalk."
    )
    targets: dict[str, int] | None = Field(description="The latest assessment's target level per pillar.")
    progress_to_date: dict[str, float | None] = Field(
        default_factory=dict,
        description="Per pillar, OWASP SAMM's progress to date: 100 x (latest - baseline) / (target_score - "
        "baseline), where target_score is the band minimum of the level in `targets`; 100 once the latest "
        "reaches it, null when the baseline already met it, clamped to [-100, 100]. Full results only.",
        examples=[{"ways-of-working": 37.5, "operating-model": 100.0, "supplier-ecosystem": None}],
    )
