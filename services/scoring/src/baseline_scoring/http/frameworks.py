"""The framework versions this service scores."""

from __future__ import annotations

import functools

from fastapi import APIRouter

from baseline_scoring.http.schemas import FrameworkDefinition, FrameworkList
from baseline_service_kit import NotFound, Problem
from framework_model import (
    Framework,
    UnknownFrameworkError,
    definition_document,
    list_frameworks,
    load_framework,
)

router = APIRouter(prefix="/v1/frameworks", tags=["frameworks"])


@functools.cache  # a published version never changes, and the catalogue is fixed per process
def _definition(framework_id: str, version: str) -> FrameworkDefinition:
    return FrameworkDefinition.model_validate(definition_document(load_framework(framework_id, version)))


def find_framework_or_404(framework_id: str, version: str) -> FrameworkDefinition:
    try:
        return _definition(framework_id, version)
    except UnknownFrameworkError as exc:
        raise NotFound(str(exc)) from exc


def load_or_404(framework_id: str, version: str) -> Framework:
    """The framework version a request names; 404 when this service has no such version."""
    try:
        return load_framework(framework_id, version)
    except UnknownFrameworkError as exc:
        raise NotFound(str(exc)) from exc


@router.get("", summary="List framework versions.")
async def list_framework_versions() -> FrameworkList:
    return FrameworkList(items=list_frameworks())


@router.get(
    "/{framework_id}/versions/{version}",
    summary="Get a framework definition.",
    responses={404: {"model": Problem, "description": "No such framework or version."}},
)
async def get_framework_definition(framework_id: str, version: str) -> FrameworkDefinition:
    return find_framework_or_404(framework_id, version)
