"""Every error, whatever raised it, reaches the client as problem+json and never as a traceback."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel, Field

from baseline_service_kit import (
    MAX_BODY_BYTES,
    PROBLEM_JSON,
    Conflict,
    FieldError,
    Unprocessable,
    create_service_app,
)


class Item(BaseModel):
    name: str = Field(max_length=5)
    tags: list[int] = []


def _app() -> FastAPI:
    app = create_service_app(title="t", version="0", description="d")

    @app.post("/items")
    async def create_item(item: Item) -> Item:
        return item

    @app.get("/conflict")
    async def conflict() -> None:
        raise Conflict("already there", errors=[FieldError(field="name", message="taken")])

    @app.get("/v1/things")
    async def list_things(limit: int = 20) -> list[int]:
        return list(range(limit))

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    return app


@pytest.fixture
async def client():
    transport = httpx.ASGITransport(app=_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        yield client


def _assert_problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert body["status"] == status
    assert {"type", "title", "status", "detail"} <= body.keys()
    return body


async def test_validation_errors_name_each_field(client):
    response = await client.post("/items", json={"name": "too long", "tags": [1, "x"]})
    body = _assert_problem(response, 422)
    assert sorted(e["field"] for e in body["errors"]) == ["name", "tags[1]"]


async def test_malformed_json_is_a_problem(client):
    response = await client.post("/items", content=b"{not json", headers={"content-type": "application/json"})
    _assert_problem(response, 422)


async def test_unknown_route_is_a_problem(client):
    _assert_problem(await client.get("/nowhere"), 404)


async def test_wrong_method_is_a_problem(client):
    _assert_problem(await client.delete("/items"), 405)


async def test_business_errors_keep_their_status_and_fields(client):
    body = _assert_problem(await client.get("/conflict"), 409)
    assert body["detail"] == "already there"
    assert body["errors"] == [{"field": "name", "message": "taken"}]


async def test_unexpected_errors_hide_internals(client):
    response = await client.get("/boom")
    body = _assert_problem(response, 500)
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text
    assert body["title"] == "Internal Server Error"


@pytest.mark.parametrize("chunked", [False, True])
async def test_bodies_over_the_limit_are_refused(client, chunked):
    payload = b'{"name": "' + b"x" * MAX_BODY_BYTES + b'"}'

    async def stream():
        for start in range(0, len(payload), 65536):
            yield payload[start : start + 65536]

    content = stream() if chunked else payload
    response = await client.post("/items", content=content, headers={"content-type": "application/json"})
    _assert_problem(response, 413)


def test_unprocessable_carries_field_errors():
    problem = Unprocessable("bad", errors=[FieldError(field="a", message="b")]).to_problem()
    assert problem.status == 422
    assert problem.errors == [FieldError(field="a", message="b")]


async def test_an_unknown_query_parameter_is_refused_by_name(client):
    response = await client.get("/v1/things?limt=5&limit=2")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert error["field"] == "query.limt"
    assert "limit" in error["message"]


async def test_outside_the_versioned_api_extra_parameters_are_ignored(client):
    assert (await client.get("/healthz?probe=1")).status_code == 200
