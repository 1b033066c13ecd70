"""OpenAPI generation shared by both services.

FastAPI documents errors as ``application/json`` ``HTTPValidationError``; our services answer
every error as ``application/problem+json``. Generated clients and schemathesis read the
document literally, so it must say what the wire says.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from .errors import PROBLEM_JSON, Problem
from .query import STRICT_PREFIX

__all__ = ["export_openapi", "operation_id", "use_problem_openapi"]

_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def operation_id(route: APIRoute) -> str:
    """Operation ids are the endpoint function names: stable across refactors of paths and tags."""
    return route.name


def _problem_schemas() -> dict[str, Any]:
    schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    definitions: dict[str, Any] = schema.pop("$defs", {})
    return {**definitions, "Problem": schema}


# Answers any operation with a request body can give, whatever its own code does.
_BODY_ERRORS = {
    "400": "The body is not well-formed (for example, not UTF-8 JSON).",
    "413": "The body is larger than the service accepts.",
    "422": "The body does not validate; `errors` names each field.",
}


_UNKNOWN_QUERY = "A parameter does not validate, or is not one this operation takes; `errors` names each."


def _rewrite_error_responses(document: dict[str, Any]) -> None:
    for path, path_item in document.get("paths", {}).items():
        for operation in path_item.values():
            if "requestBody" in operation:
                for code, description in _BODY_ERRORS.items():
                    operation["responses"].setdefault(code, {"description": description})
            if path.startswith(STRICT_PREFIX):
                operation["responses"].setdefault("422", {"description": _UNKNOWN_QUERY})
            for code, response in operation.get("responses", {}).items():
                if code[0] in "45":
                    response["content"] = _error_content(response.get("content", {}))


def _error_content(content: dict[str, Any]) -> dict[str, Any]:
    """A route that declares its own error media type (FHIR's OperationOutcome) keeps it, beside
    problem+json if it documents a Problem too (an answer of the app-wide middleware, say). Plain
    ``application/json``, which FastAPI adds to every response, is never what an error is."""
    own = {
        media: c
        for media, c in content.items()
        if media != "application/json" and c.get("schema") != _PROBLEM_REF
    }
    documents_problem = any(c.get("schema") == _PROBLEM_REF for c in content.values())
    return {**own, PROBLEM_JSON: {"schema": _PROBLEM_REF}} if documents_problem or not own else own


def _drop_receiver_validation_errors(document: dict[str, Any]) -> None:
    """``webhooks`` operations are requests this service sends, not ones it receives: FastAPI's
    422 for a request that does not validate (and its now removed schema) does not apply."""
    for path_item in document.get("webhooks", {}).values():
        for operation in path_item.values():
            operation.get("responses", {}).pop("422", None)


def use_problem_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
                webhooks=app.webhooks.routes,
                tags=app.openapi_tags,
            )
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            schemas.pop("HTTPValidationError", None)
            schemas.pop("ValidationError", None)
            schemas.update(_problem_schemas())
            _rewrite_error_responses(document)
            _drop_receiver_validation_errors(document)
            app.openapi_schema = document
        return app.openapi_schema

    setattr(app, "openapi", openapi)  # noqa: B010 - FastAPI's documented way to customise the schema


def export_openapi(app: FastAPI) -> str:
    """The committed form: sorted keys and a trailing newline, so diffs are reviewable."""
    return json.dumps(app.openapi(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
