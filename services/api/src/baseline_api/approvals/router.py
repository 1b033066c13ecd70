"""HTTP routes of approval: sign off a scored assessment, or (admin) withdraw the sign-off."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response

from baseline_api.assessments.etag import etag
from baseline_api.assessments.schemas import AssessmentOut
from baseline_api.auth import AdminPrincipal, ApprovePrincipal
from baseline_api.core.db import AutocommitDep, SessionDep
from baseline_api.core.responses import problem_responses
from baseline_api.core.scoring_client import ScoringClientDep
from baseline_api.reports.service import Readers

from . import service
from .schemas import ApprovalIn, WithdrawalIn

__all__ = ["router"]

router = APIRouter(prefix="/v1/assessments/{assessment_id}", tags=["approvals"])


@router.post(
    "/approve",
    summary="Approve (sign off) a scored assessment: the report as it stands is stored with its SHA-256.",
    description="Needs the `approve` scope (or `admin`). `approved_by` is the caller as authenticated; "
    "`approver_name` and `approver_role` are what they give. From then on the assessment is final: every "
    "change to it (answers, respondents, evidence, the assessment itself) is refused with 409, and the "
    "report route serves the stored report. Subscribers hear `assessment.approved`.",
    responses=problem_responses(
        {
            404: "No such assessment, or it is outside the token's reach.",
            409: "The assessment is not scored (a draft, submitted, or already approved), or changed meanwhile.",
            422: "The body does not validate; `errors` names each field.",
        }
    ),
)
async def approve_assessment(
    assessment_id: uuid.UUID,
    body: ApprovalIn,
    principal: ApprovePrincipal,
    request: Request,
    connections: AutocommitDep,
    scoring: ScoringClientDep,
    response: Response,
) -> AssessmentOut:
    readers = Readers(connections, request.state.sessions, scoring, principal)
    approved = await service.approve(readers, assessment_id, body)
    response.headers["ETag"] = etag(approved.revision)
    return AssessmentOut.model_validate(approved)


@router.post(
    "/approval/withdraw",
    summary="Withdraw an approval (admin): the assessment is scored again, and the reason recorded.",
    responses=problem_responses(
        {
            404: "No such assessment.",
            409: "The assessment is not approved.",
            422: "The body does not validate; `errors` names each field.",
        }
    ),
)
async def withdraw_approval(
    assessment_id: uuid.UUID,
    body: WithdrawalIn,
    principal: AdminPrincipal,
    session: SessionDep,
    response: Response,
) -> AssessmentOut:
    withdrawn = await service.withdraw(session, principal, assessment_id, body)
    response.headers["ETag"] = etag(withdrawn.revision)
    return AssessmentOut.model_validate(withdrawn)
