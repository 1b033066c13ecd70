"""HTTP routes of respondents, their own answers and their agreement: parse, authorise, return."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter
from fastapi import Response as HttpResponse
from fastapi.responses import JSONResponse

from baseline_api.assessments.etag import etag
from baseline_api.assessments.router import ExpectedRevisions
from baseline_api.assessments.schemas import AnswerOut, ResponseBatch, ResponseList, ResponseOut
from baseline_api.auth import Principal, ReadPrincipal, WritePrincipal
from baseline_api.core.db import SessionDep
from baseline_api.core.responses import problems_of
from baseline_api.core.scoring_client import ScoringClientDep

from . import agreement as agreeing
from . import service
from .models import Respondent
from .schemas import AgreementOut, ApplyIn, RespondentIn, RespondentList, RespondentOut, RespondentResponses

__all__ = ["router"]

router = APIRouter(prefix="/v1/assessments/{assessment_id}", tags=["respondents"])

_ERRORS = {
    403: "The token lacks the scope, or the respondent signs in and answers only for themselves.",
    404: "No such assessment or respondent, or it is outside the token's reach.",
    409: "The assessment is no longer a draft: respondents and their answers lock at submit.",
    412: "`If-Match` does not match the assessment's current ETag.",
    422: "The request does not validate; `errors` names each field.",
    503: "The scoring service is unavailable.",
}


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return problems_of(_ERRORS, *codes)


def _out(respondent: Respondent, principal: Principal) -> RespondentOut:
    out = RespondentOut.model_validate(respondent)
    if service.sees_people(principal):
        return out
    return out.model_copy(update={"name": None, "email": None, "subject": None})


@router.post(
    "/respondents",
    status_code=201,
    summary="Add a respondent: a person who answers the draft independently (at most 50).",
    responses=_errors(404, 409, 412),
)
async def add_respondent(
    assessment_id: uuid.UUID,
    body: RespondentIn,
    principal: WritePrincipal,
    session: SessionDep,
    expected: ExpectedRevisions,
    response: HttpResponse,
) -> RespondentOut:
    assessment, respondent = await service.add_respondent(session, principal, assessment_id, body, expected)
    response.headers["Location"] = f"/v1/assessments/{assessment_id}/respondents/{respondent.id}"
    response.headers["ETag"] = etag(assessment.revision)
    return _out(respondent, principal)


@router.get(
    "/respondents",
    summary="List the respondents; names and contacts only for `write`, `approve` or `admin` tokens.",
    responses=_errors(404),
)
async def list_respondents(
    assessment_id: uuid.UUID, principal: ReadPrincipal, session: SessionDep
) -> RespondentList:
    found = await service.list_respondents(session, principal, assessment_id)
    return RespondentList(items=[_out(respondent, principal) for respondent in found])


@router.delete(
    "/respondents/{respondent_id}",
    status_code=204,
    summary="Delete a respondent of a draft, and their answers with them.",
    responses=_errors(404, 409, 412),
)
async def delete_respondent(
    assessment_id: uuid.UUID,
    respondent_id: uuid.UUID,
    principal: WritePrincipal,
    session: SessionDep,
    expected: ExpectedRevisions,
) -> HttpResponse:
    assessment = await service.delete_respondent(session, principal, (assessment_id, respondent_id), expected)
    return HttpResponse(status_code=204, headers={"ETag": etag(assessment.revision)})


@router.patch(
    "/respondents/{respondent_id}/responses",
    summary="Answer for one respondent, as PATCH .../responses does for the assessment: all or nothing.",
    responses=_errors(403, 404, 409, 412),
)
async def patch_respondent_responses(
    assessment_id: uuid.UUID,
    respondent_id: uuid.UUID,
    body: ResponseBatch,
    principal: WritePrincipal,
    session: SessionDep,
    expected: ExpectedRevisions,
    response: HttpResponse,
) -> RespondentResponses:
    assessment, stored = await service.answer(
        session, principal, (assessment_id, respondent_id), body, expected
    )
    response.headers["ETag"] = etag(assessment.revision)
    return RespondentResponses(
        respondent_id=respondent_id, items=[AnswerOut.model_validate(r) for r in stored]
    )


@router.get(
    "/respondents/{respondent_id}/responses",
    summary="One respondent's own answers (for `write`, `approve` or `admin` tokens only).",
    responses=_errors(403, 404),
)
async def list_respondent_responses(
    assessment_id: uuid.UUID, respondent_id: uuid.UUID, principal: ReadPrincipal, session: SessionDep
) -> RespondentResponses:
    stored = await service.list_answers(session, principal, (assessment_id, respondent_id))
    return RespondentResponses(
        respondent_id=respondent_id, items=[AnswerOut.model_validate(r) for r in stored]
    )


@router.get(
    "/agreement",
    response_model=AgreementOut,
    summary="How far the respondents agree: spread, suggested answers and confidence.",
    description="Each question any respondent answered, with its spread, whether it is agreed (spread "
    "<= 0.25), the suggested (lower median) and lowest answers, and the assessment's own answer "
    "(`agreed_value`); confidence per pillar and overall. Who answered what (`answers`) and the "
    "respondents' names only for `write`, `approve` or `admin` tokens.",
    responses=_errors(404, 503),
)
async def get_agreement(
    assessment_id: uuid.UUID, principal: ReadPrincipal, session: SessionDep, scoring: ScoringClientDep
) -> JSONResponse:
    return JSONResponse(await agreeing.agreement(session, scoring, principal, assessment_id))


@router.post(
    "/agreement/apply",
    summary="Fill the draft's answers from the respondents': their median or their lowest answer.",
    description="Each filled answer's comment names the strategy. With `only_unanswered`, questions the "
    "assessment already answers keep their answers. Returns all the assessment's answers.",
    responses=_errors(404, 409, 412, 503),
)
async def apply_agreement(
    assessment_id: uuid.UUID,
    body: ApplyIn,
    principal: WritePrincipal,
    session: SessionDep,
    scoring: ScoringClientDep,
    expected: ExpectedRevisions,
    response: HttpResponse,
) -> ResponseList:
    revision, stored = await agreeing.apply(session, scoring, principal, assessment_id, body, expected)
    response.headers["ETag"] = etag(revision)
    return ResponseList(items=[ResponseOut.model_validate(r) for r in stored])
