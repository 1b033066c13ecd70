"""What the FHIR ingest endpoint answers: the assessment as Baseline's JSON on success (it tells
the ingestion system where its response landed), and a FHIR OperationOutcome on error."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from baseline_api.assessments.models import Assessment
from baseline_api.assessments.result import ScoreResult
from baseline_api.assessments.schemas import AssessmentOut

__all__ = ["IngestedAssessment", "OperationOutcome", "OutcomeIssue"]


class IngestedAssessment(AssessmentOut):
    """The assessment a QuestionnaireResponse created or updated. ``status`` says what became of
    it: ``draft`` (in progress), ``scored`` (completed and scored now: ``result`` is set) or
    ``submitted`` (completed, but the scoring service was unavailable: the background worker
    scores it later, like a 202 from ``POST /v1/assessments/{id}/submit``)."""

    external_id: str | None = Field(
        description="The response's identifier as `system|value` (or the bare value without a system).",
        examples=["https://trust.example/assessments|2026-q1"],
    )
    result: ScoreResult | None = Field(
        default=None, description="The stored result when the response was completed and scored now."
    )

    @classmethod
    def of(cls, assessment: Assessment, result: ScoreResult | None) -> IngestedAssessment:
        return cls.model_validate(assessment, from_attributes=True).model_copy(update={"result": result})


# These two only document the OperationOutcome in OpenAPI: ``fhir.outcome`` builds the real ones,
# and the tests check those with ``fhir.resources``.
class OutcomeIssue(BaseModel):
    """One issue of an OperationOutcome."""

    severity: Literal["fatal", "error", "warning", "information"]
    code: str = Field(description="From FHIR's issue-type value set.", examples=["code-invalid"])
    diagnostics: str
    expression: list[str] = Field(
        default_factory=list,
        description="FHIRPath of the offending element of the request.",
        examples=[["QuestionnaireResponse.item.where(linkId='wow-cul-blameless-review').answer[0].value"]],
    )


class OperationOutcome(BaseModel):
    """A FHIR R4 OperationOutcome: how the FHIR routes answer the errors a client can cause."""

    resourceType: Literal["OperationOutcome"]  # FHIR names it so
    issue: list[OutcomeIssue] = Field(min_length=1)
