"""The framework versions this service scores."""

from __future__ import annotations

from fastapi import APIRouter

from baseline_scoring.http.schemas import FrameworkDefinition, FrameworkList
from baseline_service_kit import NotFound, Problem
from framework_model import UnknownFrameworkError, definition_document, list_frameworks, load_framework

router = APIRouter(prefix="/v1/frameworks", tags=["frameworks"])


def find_framework_or_404(framework_id: str, version: str) -> FrameworkDefinition:
    try:
        framework = load_framework(framework_id, version)
    except UnknownFrameworkError as exc:
        raise NotFound(str(exc)) from exc
    return FrameworkDefinition.model_validate(definition_document(framework))


@router.get("", summary="List framework versions.")
def list_framework_versions() -> FrameworkList:
    return FrameworkList(items=list_frameworks())


@router.get(
    "/{framework_id}/versions/{version}",
    summary="Get a framework definition.",
    responses={404: {"model": Problem, "description": "No such framework or version."}},
)
def get_framework_definition(framework_id: str, version: str) -> FrameworkDefinition:
    return find_framework_or_404(framework_id, version)
