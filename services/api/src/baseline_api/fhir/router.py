"""FHIR endpoints: a framework version as a Questionnaire, and answers to it ingested as a
QuestionnaireResponse.

Errors a FHIR client can cause here are answered as an OperationOutcome with
``application/fhir+json``; authentication still answers problem+json, because it fails
before the route runs, through the app-wide handlers.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from baseline_api.assessments.etag import etag
from baseline_api.core.auth import IngestPrincipal, ReadPrincipal
from baseline_api.core.db import SessionDep
from baseline_api.core.responses import problem_responses
from baseline_api.core.scoring_client import ScoringClientDep
from baseline_api.fhir import ingest
from baseline_api.fhir.outcome import FHIR_JSON, FhirError, FhirJSONResponse, Issue, fhir_response
from baseline_api.fhir.questionnaire import questionnaire_for
from baseline_api.fhir.schemas import (
    QUESTIONNAIRE_RESPONSE_EXAMPLE,
    QUESTIONNAIRE_RESPONSE_SCHEMA,
    IngestedAssessment,
    outcome_response,
)
from framework_model import UnknownFrameworkError, load_framework

__all__ = ["router"]

router = APIRouter(tags=["fhir"])

# No length limits: any id that is not a framework version gets a 404 OperationOutcome.
FrameworkId = Annotated[str, Path(examples=["nhs-digital-readiness"])]
Version = Annotated[str, Path(examples=["1.1.0"])]

_FHIR_RESOURCE = {FHIR_JSON: {"schema": {"type": "object", "additionalProperties": True}}}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    **problem_responses({}),
    200: {"description": "A FHIR R4 Questionnaire.", "content": _FHIR_RESOURCE},
    404: {"description": "No such framework or version: a FHIR OperationOutcome.", "content": _FHIR_RESOURCE},
}


@router.get(
    "/v1/frameworks/{framework_id}/versions/{version}/fhir/Questionnaire",
    summary="Get a framework version as a FHIR R4 Questionnaire.",
    response_class=FhirJSONResponse,
    responses=_RESPONSES,
)
async def get_fhir_questionnaire(
    framework_id: FrameworkId, version: Version, _: ReadPrincipal
) -> FhirJSONResponse:
    return fhir_response(_questionnaire(framework_id, version))


# A framework version never changes while the process runs, so each Questionnaire is built once;
# a miss raises, and functools.cache keeps no raise, so made-up ids cannot grow the cache.
# The cached dict is only ever serialised, never handed to code that could change it.
@functools.cache
def _questionnaire(framework_id: str, version: str) -> dict[str, Any]:
    try:
        framework = load_framework(framework_id, version)
    except UnknownFrameworkError as exc:
        raise FhirError(404, [Issue("not-found", f"{exc}.")]) from exc
    return questionnaire_for(framework)


_ACCEPTED_MEDIA_TYPES = (FHIR_JSON, "application/json")
_QUESTIONNAIRE_RESPONSE = {"schema": QUESTIONNAIRE_RESPONSE_SCHEMA, "example": QUESTIONNAIRE_RESPONSE_EXAMPLE}
_INGEST_BODY = {
    "requestBody": {
        "required": True,
        "description": "A FHIR R4 QuestionnaireResponse to a framework version's Questionnaire.",
        "content": dict.fromkeys(_ACCEPTED_MEDIA_TYPES, _QUESTIONNAIRE_RESPONSE),
    }
}
_INGEST_RESPONSES: dict[int | str, dict[str, Any]] = {
    **problem_responses({403: "The token lacks the `ingest` scope."}),
    201: {
        "model": IngestedAssessment,
        "description": "A new assessment was created (its URL in `Location`).",
        "headers": {"Location": {"description": "`/v1/assessments/{id}`", "schema": {"type": "string"}}},
    },
    400: outcome_response("The body is not JSON."),
    404: outcome_response("No organisation has the subject's ODS code, or the token may not see it."),
    409: outcome_response(
        "The identified assessment is no longer a draft, or is pinned to another version "
        "(as problem+json: a request with this Idempotency-Key is still running, or failed).",
        also_problem=True,
    ),
    415: outcome_response("The body is neither `application/fhir+json` nor `application/json`."),
    422: outcome_response(
        "The response does not fit, and nothing changed: every issue, each with the FHIRPath of its "
        "element (the `linkId` of a bad answer; each unanswered question of a completed response). "
        "(As problem+json: a bad Idempotency-Key, or one reused with another body.)",
        also_problem=True,
    ),
}
_INGEST_DESCRIPTION = """\
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


@router.post(
    "/v1/ingest/fhir/QuestionnaireResponse",
    summary="Create or update an organisation's draft from a FHIR QuestionnaireResponse; submit if completed.",
    description=_INGEST_DESCRIPTION,
    responses=_INGEST_RESPONSES,
    openapi_extra=_INGEST_BODY,
)
async def ingest_questionnaire_response(
    request: Request,
    principal: IngestPrincipal,
    session: SessionDep,
    scoring: ScoringClientDep,
    response: Response,
) -> IngestedAssessment:
    """200 with the updated assessment, or 201 with a new one (see ``fhir.ingest``)."""
    body = await _json_body(request)
    ingested = await ingest.ingest_questionnaire_response(session, scoring, principal, body)
    assessment = ingested.assessment
    if ingested.created:
        response.status_code = 201
        response.headers["Location"] = f"/v1/assessments/{assessment.id}"
    response.headers["ETag"] = etag(assessment.revision)
    return IngestedAssessment.of(assessment, ingested.result)


async def _json_body(request: Request) -> object:
    """The body as JSON: 415 for another media type (none at all is read as JSON), 400 if not JSON."""
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type and media_type not in _ACCEPTED_MEDIA_TYPES:
        message = f"Content-Type {media_type!r} is not accepted: send {' or '.join(_ACCEPTED_MEDIA_TYPES)}."
        raise FhirError(415, [Issue("not-supported", message)])
    try:
        return await request.json()
    except (ValueError, RecursionError):  # not UTF-8, not JSON, or nested past what json can read
        raise FhirError(
            400, [Issue("structure", "The body is not JSON: send a QuestionnaireResponse.")]
        ) from None
