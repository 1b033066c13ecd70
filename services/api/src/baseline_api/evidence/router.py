"""HTTP routes of evidence: parse, authorise, return."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from baseline_api.auth import ReadPrincipal, WritePrincipal
from baseline_api.core.db import SessionDep
from baseline_api.core.pagination import CursorDep, LimitDep, Page
from baseline_api.core.responses import problems_of

from . import service
from .schemas import EvidenceCreate, EvidenceOut, EvidenceSummary, EvidenceUpdate

__all__ = ["router"]

router = APIRouter(prefix="/v1/assessments/{assessment_id}/evidence", tags=["evidence"])

_ERRORS = {
    404: "No such assessment or evidence, or it is outside the token's reach.",
    409: "The assessment is approved: its evidence is locked.",
    422: "The body does not validate (a url that is not https, neither url nor reference, an unknown "
    "question, `expires_on` before `evidence_date`, more than 500 pieces); `errors` names each field.",
}


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return problems_of(_ERRORS, *codes)


@router.post(
    "",
    status_code=201,
    summary="Add a piece of evidence supporting some answers.",
    responses=_errors(404, 409),
)
async def create_evidence(
    assessment_id: uuid.UUID,
    body: EvidenceCreate,
    principal: WritePrincipal,
    session: SessionDep,
    response: Response,
) -> EvidenceOut:
    created = await service.create(session, principal, assessment_id, body)
    response.headers["Location"] = f"/v1/assessments/{assessment_id}/evidence/{created.id}"
    return created


@router.get(
    "",
    summary="List the assessment's evidence, oldest first.",
    description="`url` and `reference` are shown to `write`, `approve` and `admin` principals only: for a "
    "`read` principal they are null and `redacted` is true.",
    responses=_errors(404),
)
async def list_evidence(
    assessment_id: uuid.UUID,
    principal: ReadPrincipal,
    session: SessionDep,
    cursor: CursorDep = None,
    limit: LimitDep = 20,
    question_id: Annotated[
        str | None, Query(min_length=1, max_length=64, description="Only evidence supporting this question.")
    ] = None,
    expired: Annotated[
        bool | None,
        Query(
            description="Only expired (`true`) or unexpired (`false`) evidence, on the summary's `as_of` day."
        ),
    ] = None,
) -> Page[EvidenceOut]:
    filters = {"question_id": question_id, "expired": expired}
    items, next_cursor = await service.evidence_page(
        session, principal, assessment_id, filters=filters, limit=limit, cursor=cursor
    )
    return Page(items=items, next_cursor=next_cursor)


@router.get(
    "/summary",
    summary="Evidence coverage of the answers, the answers without evidence, and the evidence expired.",
    responses=_errors(404),
)
async def evidence_summary(
    assessment_id: uuid.UUID, principal: ReadPrincipal, session: SessionDep
) -> EvidenceSummary:
    found = await service.summary(session, principal, assessment_id)
    return EvidenceSummary(
        coverage=found.coverage, unevidenced=found.unevidenced, expired=found.expired, as_of=found.as_of
    )


@router.patch("/{evidence_id:uuid}", summary="Change a piece of evidence.", responses=_errors(404, 409))
async def update_evidence(
    assessment_id: uuid.UUID,
    evidence_id: uuid.UUID,
    body: EvidenceUpdate,
    principal: WritePrincipal,
    session: SessionDep,
) -> EvidenceOut:
    return await service.update(session, principal, (assessment_id, evidence_id), body)


@router.delete(
    "/{evidence_id:uuid}", status_code=204, summary="Delete a piece of evidence.", responses=_errors(404, 409)
)
async def delete_evidence(
    assessment_id: uuid.UUID, evidence_id: uuid.UUID, principal: WritePrincipal, session: SessionDep
) -> Response:
    await service.delete(session, principal, (assessment_id, evidence_id))
    return Response(status_code=204)
