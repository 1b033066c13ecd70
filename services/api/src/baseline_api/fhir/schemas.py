"""What the FHIR ingest endpoint answers, and how its request and errors are documented.

Success is Baseline's own JSON (the assessment), not a FHIR resource: it tells the ingestion
system which assessment its response landed in. Errors are FHIR OperationOutcomes.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from baseline_api.assessments.models import Assessment
from baseline_api.assessments.result import ScoreResult
from baseline_api.assessments.schemas import AssessmentOut
from baseline_api.fhir.canonical import ODS_SYSTEM, option_system, questionnaire_url
from baseline_api.fhir.outcome import FHIR_JSON
from baseline_service_kit import PROBLEM_JSON

__all__ = [
    "QUESTIONNAIRE_RESPONSE_EXAMPLE",
    "QUESTIONNAIRE_RESPONSE_SCHEMA",
    "IngestedAssessment",
    "OperationOutcome",
    "OutcomeIssue",
    "outcome_response",
]

Json = dict[str, Any]


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


def _example() -> Json:
    """An in-progress response with two answers, one of them "not applicable" (test-checked as FHIR)."""
    framework_id = "nhs-digital-readiness"

    def answered(question_id: str, coding: Json) -> Json:
        return {"linkId": question_id, "answer": [{"valueCoding": coding}]}

    culture = answered(
        "wow-cul-blameless-review",
        {"system": option_system(framework_id, "wow-cul-blameless-review"), "code": "measured"},
    )
    not_applicable = {
        "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
        "code": "not-applicable",
    }
    safety = answered("wow-cs-manufacture", not_applicable)
    return {
        "resourceType": "QuestionnaireResponse",
        "identifier": {"system": "https://trust.example/assessments", "value": "2026-q1"},
        "questionnaire": f"{questionnaire_url(framework_id)}|1.1.0",
        "status": "in-progress",
        "subject": {"identifier": {"system": ODS_SYSTEM, "value": "RX1"}},
        "item": [
            {
                "linkId": "ways-of-working",
                "item": [
                    {"linkId": "culture", "item": [culture]},
                    {"linkId": "clinical-safety", "item": [safety]},
                ],
            }
        ],
    }


QUESTIONNAIRE_RESPONSE_EXAMPLE = _example()

_STRING = {"type": "string"}
_IDENTIFIER = {"type": "object", "properties": {"system": _STRING, "value": _STRING}}

# Only the elements Baseline reads, no stricter than the parser, so a generated client and the
# contract tests agree with the server; every other FHIR element is allowed and ignored.
QUESTIONNAIRE_RESPONSE_SCHEMA: Json = {
    "title": "QuestionnaireResponse",
    "type": "object",
    "required": ["resourceType", "questionnaire", "status", "subject"],
    "properties": {
        "resourceType": {"const": "QuestionnaireResponse"},
        "identifier": {
            **_IDENTIFIER,
            "required": ["value"],
            "description": "Names the assessment: the same identifier again updates the same one.",
        },
        "questionnaire": {
            "type": "string",
            "description": "The framework version's Questionnaire as `url|version`.",
            "examples": [QUESTIONNAIRE_RESPONSE_EXAMPLE["questionnaire"]],
        },
        "status": {"enum": ["in-progress", "completed", "amended"]},
        "subject": {
            "type": "object",
            "required": ["identifier"],
            "properties": {
                "identifier": {**_IDENTIFIER, "description": f"The ODS code, system `{ODS_SYSTEM}`."}
            },
        },
        "item": {
            "type": "array",
            "description": "Groups and answered questions, nested as in the Questionnaire or flat.",
            "items": {"type": "object", "required": ["linkId"], "properties": {"linkId": _STRING}},
        },
    },
}


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


_OUTCOME_REF = {"$ref": "#/components/schemas/OperationOutcome"}
_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def outcome_response(description: str, *, also_problem: bool = False) -> Json:
    """An error ``responses=`` entry answered as an OperationOutcome; ``also_problem`` adds
    problem+json for answers the app-wide Idempotency-Key middleware gives before the route runs
    (a bad, reused or still running key). ``model`` puts OperationOutcome among the components."""
    content: Json = {FHIR_JSON: {"schema": _OUTCOME_REF}}
    if also_problem:
        content[PROBLEM_JSON] = {"schema": _PROBLEM_REF}
    return {"model": OperationOutcome, "description": description, "content": content}
