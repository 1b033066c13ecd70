"""HTTP routes of assessments, their responses, results and progress: parse, authorise, return."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query
from fastapi import Response as HttpResponse

from baseline_api.auth import ReadPrincipal, WritePrincipal
from baseline_api.carry_forward import service as carry_forward
from baseline_api.carry_forward.schemas import AssessmentCreated
from baseline_api.core.db import AutocommitDep, SessionDep
from baseline_api.core.pagination import CursorDep, LimitDep, Page
from baseline_api.core.responses import problems_of
from baseline_api.core.scoring_client import ScoringClientDep

from . import progress, service, submission
from . import responses as answering
from .etag import etag, expected_revisions
from .models import Assessment
from .result import ScoreResult
from .schemas import (
    AssessmentCreate,
    AssessmentOut,
    AssessmentStatus,
    AssessmentUpdate,
    Progress,
    ResponseBatch,
    ResponseIn,
    ResponseList,
    ResponseOut,
    SubmitOut,
)

__all__ = ["router"]

router = APIRouter(prefix="/v1")

_ERRORS = {
    404: "No such assessment or organisation, or it is outside the token's reach.",
    409: "The assessment is not in a state that allows this.",
    412: "`If-Match` does not match the assessment's current ETag.",
    422: "The request does not validate (an id that is not a UUID, say); `errors` names each field.",
    503: "The scoring service is unavailable or serves different framework content.",
}


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return problems_of(_ERRORS, *codes)


async def _if_match(
    if_match: Annotated[
        str | None,
        Header(description='The ETag last seen, e.g. `"3"`: refuse (412) if the assessment changed.'),
    ] = None,
) -> frozenset[int] | None:
    return expected_revisions(if_match)


ExpectedRevisions = Annotated[frozenset[int] | None, Depends(_if_match)]


def _tagged(response: HttpResponse, assessment: Assessment) -> None:
    response.headers["ETag"] = etag(assessment.revision)


@router.post(
    "/organisations/{organisation_id}/assessments",
    status_code=201,
    tags=["assessments"],
    summary="Start an assessment, pinned to a framework version, empty or carried forward.",
    description="With `carry_forward_from`, the new draft starts from that scored assessment's answers, "
    "carried to the new version through the crosswalk: each is marked `carried` until someone answers "
    "it again, and submit refuses (422) while any is. `carried` counts them; `not_carried` lists what "
    "could not be carried, and why.",
    responses=_errors(404),
)
async def create_assessment(
    organisation_id: uuid.UUID,
    body: AssessmentCreate,
    principal: WritePrincipal,
    session: SessionDep,
    response: HttpResponse,
) -> AssessmentCreated:
    assessment = await carry_forward.create_assessment(session, principal, organisation_id, body)
    response.headers["Location"] = f"/v1/assessments/{assessment.id}"
    response.headers["ETag"] = etag(assessment.revision)
    return assessment


@router.get(
    "/organisations/{organisation_id}/assessments",
    tags=["assessments"],
    summary="List an organisation's assessments, newest first.",
    responses=_errors(404),
)
async def list_assessments(
    organisation_id: uuid.UUID,
    principal: ReadPrincipal,
    session: SessionDep,
    cursor: CursorDep = None,
    limit: LimitDep = 20,
    status: Annotated[AssessmentStatus | None, Query(description="Only assessments in this status.")] = None,
    framework_id: Annotated[str | None, Query(max_length=64, description="Only this framework.")] = None,
) -> Page[AssessmentOut]:
    filters = {k: v for k, v in {"status": status, "framework_id": framework_id}.items() if v is not None}
    items, next_cursor = await service.list_assessments(
        session, principal, organisation_id, limit=limit, cursor=cursor, filters=filters
    )
    return Page(items=[AssessmentOut.model_validate(a) for a in items], next_cursor=next_cursor)


@router.get(
    "/assessments/{assessment_id}",
    tags=["assessments"],
    summary="Get an assessment; its ETag is the revision.",
    responses=_errors(404),
)
async def get_assessment(
    assessment_id: uuid.UUID, principal: ReadPrincipal, session: SessionDep, response: HttpResponse
) -> AssessmentOut:
    assessment = await service.visible_assessment(session, principal, assessment_id)
    _tagged(response, assessment)
    return AssessmentOut.model_validate(assessment)


@router.patch(
    "/assessments/{assessment_id}",
    tags=["assessments"],
    summary="Change a draft's title or targets.",
    responses=_errors(404, 409, 412),
)
async def update_assessment(
    assessment_id: uuid.UUID,
    body: AssessmentUpdate,
    principal: WritePrincipal,
    session: SessionDep,
    expected: ExpectedRevisions,
    response: HttpResponse,
) -> AssessmentOut:
    assessment = await service.update_assessment(session, principal, assessment_id, body, expected)
    _tagged(response, assessment)
    return AssessmentOut.model_validate(assessment)


@router.put(
    "/assessments/{assessment_id}/responses/{question_id}",
    tags=["responses"],
    summary="Answer one question of a draft.",
    responses=_errors(404, 409, 412),
)
async def put_response(
    assessment_id: uuid.UUID,
    question_id: str,
    body: ResponseIn,
    principal: WritePrincipal,
    connections: AutocommitDep,
    expected: ExpectedRevisions,
    response: HttpResponse,
) -> ResponseOut:
    target = (assessment_id, question_id)
    revision, stored = await answering.answer_one(connections, principal, target, body, expected)
    response.headers["ETag"] = etag(revision)
    return ResponseOut.model_validate(stored)


@router.patch(
    "/assessments/{assessment_id}/responses",
    tags=["responses"],
    summary="Answer many questions of a draft at once: all or nothing.",
    responses=_errors(404, 409, 412),
)
async def patch_responses(
    assessment_id: uuid.UUID,
    body: ResponseBatch,
    principal: WritePrincipal,
    session: SessionDep,
    expected: ExpectedRevisions,
    response: HttpResponse,
) -> ResponseList:
    revision, stored = await answering.answer_many(session, principal, assessment_id, body, expected)
    response.headers["ETag"] = etag(revision)
    return ResponseList(items=[ResponseOut.model_validate(r) for r in stored])


@router.get(
    "/assessments/{assessment_id}/responses",
    tags=["responses"],
    summary="List an assessment's answers in the framework's question order.",
    responses=_errors(404),
)
async def list_responses(
    assessment_id: uuid.UUID, principal: ReadPrincipal, session: SessionDep, response: HttpResponse
) -> ResponseList:
    assessment, stored = await answering.list_responses(session, principal, assessment_id)
    _tagged(response, assessment)
    return ResponseList(items=[ResponseOut.model_validate(r) for r in stored])


@router.get(
    "/assessments/{assessment_id}/preview",
    tags=["assessments"],
    summary="Score the current answers now (unanswered count as 0); nothing is stored.",
    responses=_errors(404, 503),
)
async def preview_assessment(
    assessment_id: uuid.UUID,
    principal: ReadPrincipal,
    connections: AutocommitDep,
    scoring: ScoringClientDep,
) -> ScoreResult:
    return await service.preview_assessment(connections, scoring, principal, assessment_id)


@router.post(
    "/assessments/{assessment_id}/submit",
    tags=["assessments"],
    summary="Submit a complete draft: scored now (200), or accepted and scored later (202).",
    response_model=SubmitOut,
    description=(
        "Scores the assessment and stores the result (200). When the scoring service is down, slow or "
        "failing, the assessment is kept as `submitted` and answered 202: a background worker scores it "
        "once the service is back, and an `assessment.scored` webhook tells subscribers."
    ),
    responses={
        **_errors(404, 409, 412),
        202: {
            "model": SubmitOut,
            "description": "Accepted; scoring will happen when the scoring service is back.",
        },
    },
)
async def submit_assessment(
    assessment_id: uuid.UUID,
    principal: WritePrincipal,
    connections: AutocommitDep,
    scoring: ScoringClientDep,
    expected: ExpectedRevisions,
) -> HttpResponse:
    submitted = await submission.submit_assessment(connections, scoring, principal, assessment_id, expected)
    headers = {"ETag": etag(submitted.revision)}
    if submitted.scored is None:
        headers["Location"] = f"/v1/assessments/{assessment_id}"
        return HttpResponse(b'{"status":"submitted","result":null}', 202, headers, "application/json")
    # The scoring service's document, forwarded byte for byte: it was validated as a result and is
    # what was stored, so encoding it again would only cost time.
    body = b'{"status":"scored","result":' + submitted.scored.document + b"}"
    return HttpResponse(body, 200, headers, "application/json")


@router.get(
    "/assessments/{assessment_id}/result",
    tags=["assessments"],
    summary="Get the stored result of a scored assessment.",
    responses=_errors(404, 409),
)
async def get_assessment_result(
    assessment_id: uuid.UUID, principal: ReadPrincipal, session: SessionDep
) -> ScoreResult:
    return await service.stored_result(session, principal, assessment_id)


@router.get(
    "/organisations/{organisation_id}/progress",
    tags=["assessments"],
    summary="An organisation's scores over time for one framework: baseline, latest and deltas.",
    responses=_errors(404),
)
async def get_organisation_progress(
    organisation_id: uuid.UUID,
    principal: ReadPrincipal,
    session: SessionDep,
    framework_id: Annotated[str, Query(min_length=1, max_length=64, examples=["nhs-digital-readiness"])],
) -> Progress:
    return await progress.organisation_progress(session, principal, organisation_id, framework_id)
