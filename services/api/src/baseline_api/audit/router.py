"""``GET /v1/assessments/{id}/audit``: the assessment's append-only history."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from baseline_api.auth import ReadPrincipal
from baseline_api.core.db import SessionDep
from baseline_api.core.pagination import CursorDep, LimitDep, Page
from baseline_api.core.responses import problem_responses

from . import service
from .schemas import AuditEventOut

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["audit"])


@router.get(
    "/assessments/{assessment_id}/audit",
    summary="The assessment's history: every change, who made it and when, oldest first.",
    responses=problem_responses(
        {
            404: "No such assessment, or it is outside the token's reach.",
            422: "An id that is not a UUID, or a cursor we never issued; `errors` names the field.",
        }
    ),
)
async def get_audit(
    assessment_id: uuid.UUID,
    principal: ReadPrincipal,
    session: SessionDep,
    cursor: CursorDep = None,
    limit: LimitDep = 50,
) -> Page[AuditEventOut]:
    items, next_cursor = await service.history(session, principal, assessment_id, limit=limit, cursor=cursor)
    return Page(items=[AuditEventOut.model_validate(item) for item in items], next_cursor=next_cursor)
