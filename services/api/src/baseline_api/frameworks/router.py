"""``/v1/frameworks``: the framework versions assessments can be pinned to."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from baseline_api.auth import ReadPrincipal
from baseline_api.core.responses import problem_responses
from baseline_api.frameworks import service
from baseline_api.frameworks.schemas import FrameworkDefinition, FrameworkList
from framework_model import list_frameworks

router = APIRouter(prefix="/v1/frameworks", tags=["frameworks"])

FrameworkId = Annotated[str, Path(max_length=64, examples=["nhs-digital-readiness"])]
Version = Annotated[str, Path(max_length=32, examples=["1.0.0"])]


@router.get("", summary="List framework versions.", responses=problem_responses({}))
async def list_framework_versions(_: ReadPrincipal) -> FrameworkList:
    return FrameworkList(items=list_frameworks())


@router.get(
    "/{framework_id}/versions/{version}",
    summary="Get a framework definition.",
    responses=problem_responses({404: "No such framework or version.", 422: "A path parameter is too long."}),
)
async def get_framework_definition(
    framework_id: FrameworkId, version: Version, _: ReadPrincipal
) -> FrameworkDefinition:
    return service.definition(framework_id, version)
