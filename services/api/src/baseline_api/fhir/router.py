"""FHIR endpoints: a framework version as a Questionnaire.

Errors a FHIR client can cause here are answered as an OperationOutcome with
``application/fhir+json``; authentication still answers problem+json, because it fails
before the route runs, through the app-wide handlers.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any

from fastapi import APIRouter, Path

from baseline_api.core.auth import ReadPrincipal
from baseline_api.core.responses import problem_responses
from baseline_api.fhir.outcome import FHIR_JSON, FhirError, FhirJSONResponse, Issue, fhir_response
from baseline_api.fhir.questionnaire import questionnaire_for
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
