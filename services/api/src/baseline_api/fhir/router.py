"""FHIR endpoints: a framework version as a Questionnaire, and answers to it ingested as a
QuestionnaireResponse.

Errors a FHIR client can cause here are answered as an OperationOutcome with
``application/fhir+json``; authentication still answers problem+json, because it fails
before the route runs, through the app-wide handlers.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from baseline_api.assessments.etag import etag
from baseline_api.core.auth import IngestPrincipal, ReadOrIngestPrincipal
from baseline_api.core.db import SessionDep
from baseline_api.core.responses import problem_responses
from baseline_api.core.scoring_client import ScoringClientDep
from baseline_api.fhir import ingest
from baseline_api.fhir.openapi import (
    ACCEPTED_MEDIA_TYPES,
    INGEST_DESCRIPTION,
    INGEST_REQUEST_BODY,
    INGEST_RESPONSES,
)
from baseline_api.fhir.outcome import FHIR_JSON, FhirError, FhirJSONResponse, Issue, fhir_response
from baseline_api.fhir.questionnaire import questionnaire_for
from baseline_api.fhir.schemas import IngestedAssessment
from framework_model import Profile, UnknownFrameworkError, has_profile, load_framework

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
    framework_id: FrameworkId,
    version: Version,
    _: ReadOrIngestPrincipal,
    profile: Annotated[
        Profile,
        Query(description="`quick`: only the lead questions (versions 2.0.0 on), its own canonical URL."),
    ] = "full",
) -> FhirJSONResponse:
    return fhir_response(_questionnaire(framework_id, version, profile))


# A framework version never changes while the process runs, so each Questionnaire is built once;
# a miss raises, and functools.cache keeps no raise, so made-up ids cannot grow the cache.
# The cached dict is only ever serialised, never handed to code that could change it.
@functools.cache
def _questionnaire(framework_id: str, version: str, profile: Profile) -> dict[str, Any]:
    try:
        framework = load_framework(framework_id, version)
    except UnknownFrameworkError as exc:
        raise FhirError(404, [Issue("not-found", f"{exc}.")]) from exc
    if not has_profile(framework, profile):
        message = f"{framework_id} {version} has no {profile} profile: it marks no lead questions."
        raise FhirError(404, [Issue("not-found", message)])
    return questionnaire_for(framework, profile)


@router.post(
    "/v1/ingest/fhir/QuestionnaireResponse",
    summary="Create or update an organisation's draft from a FHIR QuestionnaireResponse; submit if completed.",
    description=INGEST_DESCRIPTION,
    responses=INGEST_RESPONSES,
    openapi_extra=INGEST_REQUEST_BODY,
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
    if media_type and media_type not in ACCEPTED_MEDIA_TYPES:
        message = f"Content-Type {media_type!r} is not accepted: send {' or '.join(ACCEPTED_MEDIA_TYPES)}."
        raise FhirError(415, [Issue("not-supported", message)])
    try:
        return await request.json()
    except (ValueError, RecursionError):  # not UTF-8, not JSON, or nested past what json can read
        raise FhirError(
            400, [Issue("structure", "The body is not JSON: send a QuestionnaireResponse.")]
        ) from None
