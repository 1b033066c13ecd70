"""HTTP route of comparisons between two scored assessments: parse, authorise, return."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from baseline_api.core.auth import ReadPrincipal
from baseline_api.core.db import SessionDep
from baseline_api.core.responses import problem_responses

from . import service
from .schemas import Comparison

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["assessments"])


@router.get(
    "/assessments/{assessment_id}/compare",
    summary="Compare two scored assessments of one organisation: what moved, and which actions went with it.",
    responses=problem_responses(
        {
            404: "No such assessment, or not one this token can see.",
            409: "The assessment is not scored yet.",
            422: "`with` is not a scored assessment of the same organisation and framework; `errors` names it.",
        }
    ),
)
async def compare_assessments(
    assessment_id: uuid.UUID,
    principal: ReadPrincipal,
    session: SessionDep,
    other_id: Annotated[
        uuid.UUID, Query(alias="with", description="The other scored assessment (older or newer).")
    ],
) -> Comparison:
    return await service.compare(session, principal, assessment_id, other_id)
