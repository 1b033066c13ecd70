"""The OpenAPI document says what the wire says: errors are problem+json unless a route declares
a media type of its own (FHIR's OperationOutcome), and then both when it documents both."""

from __future__ import annotations

from fastapi import FastAPI

from baseline_service_kit import PROBLEM_JSON, Problem, create_service_app

OWN = "application/fhir+json"
OWN_CONTENT = {OWN: {"schema": {"type": "object"}}}
PROBLEM = {"schema": {"$ref": "#/components/schemas/Problem"}}


def _app() -> FastAPI:
    app = create_service_app(title="t", version="0", description="")

    @app.post(
        "/things",
        responses={
            403: {"model": Problem, "description": "problem only"},
            404: {"description": "own media type only", "content": OWN_CONTENT},
            422: {"description": "both", "content": {**OWN_CONTENT, PROBLEM_JSON: PROBLEM}},
        },
    )
    def make_thing(body: dict[str, int]) -> dict[str, int]:
        return body

    return app


def test_error_responses_keep_a_routes_own_media_type():
    responses = _app().openapi()["paths"]["/things"]["post"]["responses"]
    assert responses["403"]["content"] == {PROBLEM_JSON: PROBLEM}
    assert responses["404"]["content"] == OWN_CONTENT  # FastAPI's application/json placeholder is gone
    assert responses["422"]["content"] == {**OWN_CONTENT, PROBLEM_JSON: PROBLEM}
    assert responses["413"]["content"] == {PROBLEM_JSON: PROBLEM}  # a body route can always get one
    assert "application/json" in responses["200"]["content"]
