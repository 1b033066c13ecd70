"""How ``POST /v1/ingest/fhir/QuestionnaireResponse`` is documented: its request body (with an
example the tests check as FHIR and ingest), its answers, and what it does."""

from __future__ import annotations

from typing import Any

from baseline_api.core.responses import problem_responses
from baseline_api.fhir.canonical import (
    NOT_APPLICABLE_CODE,
    NOT_APPLICABLE_SYSTEM,
    ODS_SYSTEM,
    option_system,
    questionnaire_url,
)
from baseline_api.fhir.outcome import FHIR_JSON
from baseline_api.fhir.schemas import IngestedAssessment, OperationOutcome
from baseline_service_kit import PROBLEM_JSON

__all__ = [
    "ACCEPTED_MEDIA_TYPES",
    "INGEST_DESCRIPTION",
    "INGEST_REQUEST_BODY",
    "INGEST_RESPONSES",
    "QUESTIONNAIRE_RESPONSE_EXAMPLE",
    "QUESTIONNAIRE_RESPONSE_SCHEMA",
]

Json = dict[str, Any]

ACCEPTED_MEDIA_TYPES = (FHIR_JSON, "application/json")


def _example() -> Json:
    """An in-progress response with two answers, one of them "not applicable" (test-checked as FHIR)."""
    framework_id = "nhs-digital-readiness"

    def answered(question_id: str, coding: Json) -> Json:
        return {"linkId": question_id, "answer": [{"valueCoding": coding}]}

    culture = answered(
        "wow-cul-blameless-review",
        {"system": option_system(framework_id, "wow-cul-blameless-review"), "code": "measured"},
    )
    not_applicable = {"system": NOT_APPLICABLE_SYSTEM, "code": NOT_APPLICABLE_CODE}
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

_OUTCOME_REF = {"$ref": "#/components/schemas/OperationOutcome"}
_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def _outcome_response(description: str, *, also_problem: bool = False) -> Json:
    """An error ``responses=`` entry answered as an OperationOutcome; ``also_problem`` adds
    problem+json for answers the app-wide Idempotency-Key middleware gives before the route runs
    (a bad, reused or still running key). ``model`` puts OperationOutcome among the components."""
    content: Json = {FHIR_JSON: {"schema": _OUTCOME_REF}}
    if also_problem:
        content[PROBLEM_JSON] = {"schema": _PROBLEM_REF}
    return {"model": OperationOutcome, "description": description, "content": content}


_QUESTIONNAIRE_RESPONSE = {"schema": QUESTIONNAIRE_RESPONSE_SCHEMA, "example": QUESTIONNAIRE_RESPONSE_EXAMPLE}
INGEST_REQUEST_BODY = {
    "requestBody": {
        "required": True,
        "description": "A FHIR R4 QuestionnaireResponse to a framework version's Questionnaire.",
        "content": dict.fromkeys(ACCEPTED_MEDIA_TYPES, _QUESTIONNAIRE_RESPONSE),
    }
}
INGEST_RESPONSES: dict[int | str, dict[str, Any]] = {
    **problem_responses({403: "The token lacks the `ingest` scope."}),
    200: {"description": "An existing draft was updated (and submitted, if the response is completed)."},
    201: {
        "model": IngestedAssessment,
        "description": "A new assessment was created (and submitted, if the response is completed); "
        "its URL is in `Location`.",
        "headers": {"Location": {"description": "`/v1/assessments/{id}`", "schema": {"type": "string"}}},
    },
    400: _outcome_response("The body is not JSON."),
    404: _outcome_response("No organisation has the subject's ODS code, or the token may not see it."),
    409: _outcome_response(
        "The identified assessment is no longer a draft, or is pinned to another version "
        "(as problem+json: a request with this Idempotency-Key is still running, or failed).",
        also_problem=True,
    ),
    415: _outcome_response("The body is neither `application/fhir+json` nor `application/json`."),
    422: _outcome_response(
        "The response does not fit, and nothing changed: every issue, each with the FHIRPath of its "
        "element (the `linkId` of a bad answer; each unanswered question of a completed response). "
        "(As problem+json: a bad Idempotency-Key, or one reused with another body.)",
        also_problem=True,
    ),
}
INGEST_DESCRIPTION = """\
Creates or updates an organisation's draft assessment from a FHIR R4 QuestionnaireResponse to
the Questionnaire of a framework version (`GET .../fhir/Questionnaire`), and submits it when
`status` is `completed` (or `amended`).

- **Which assessment**: `questionnaire` names the framework version as `url|version`; `subject`
  names the organisation by ODS code (system `https://fhir.nhs.uk/Id/ods-organization-code`),
  which must exist and be visible to the token (else 404: unknown organisations are not created,
  a response carries no name or kind). With an `identifier`, the assessment whose external id it
  is (`system|value`), so sending the same response again updates it; without one, the
  organisation's newest unnamed draft of that version. Either is created if missing (201).
- **Answers**: the response is the questionnaire as answered so far, so its answers replace the
  draft's; a question it leaves unanswered loses any stored answer (and answers lose their
  reasons and comments, which a response cannot carry).
- **Submitting**: a completed response must answer every question, or nothing changes (422). It
  is then scored (`status: scored`, `result` set); when the scoring service is unavailable it is
  kept as `submitted` and scored later by the background worker (`result: null`).
- Body: `application/fhir+json` or `application/json`. Success answers JSON; errors a FHIR
  `OperationOutcome` (`application/fhir+json`) with a FHIRPath `expression` per issue.
  An `Idempotency-Key` makes a retry safe.
"""
