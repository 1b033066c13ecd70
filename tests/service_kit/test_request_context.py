"""Request ids: taken from the caller when sensible, made up otherwise, echoed in every answer
(problem bodies included, even a 500's) and on every log line of the request."""

from __future__ import annotations

import json
import logging
import sys
import uuid

import httpx
import pytest
from fastapi import FastAPI

from baseline_service_kit import Conflict, create_service_app
from baseline_service_kit.logs import JsonFormatter, configure_logging


def _app() -> FastAPI:
    app = create_service_app(title="t", version="0", description="d", max_body_bytes=10)

    @app.get("/things/{thing_id}")
    async def thing(thing_id: str) -> dict[str, str]:
        logging.getLogger("baseline.test").info("looking at a thing")
        return {"thing_id": thing_id}

    @app.post("/things")
    async def create(body: dict) -> dict:
        return body

    @app.get("/conflict")
    async def conflict() -> None:
        raise Conflict("already there")

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    return app


@pytest.fixture
async def client():
    transport = httpx.ASGITransport(app=_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        yield client


@pytest.mark.parametrize("request_id", ["abc-123", "Root=1-5759e988-bd862e3fe1be46a994272793", "x" * 128])
async def test_a_sensible_request_id_is_echoed(client, request_id):
    response = await client.get("/things/1", headers={"X-Request-ID": request_id})
    assert response.headers["x-request-id"] == request_id


@pytest.mark.parametrize("sent", [None, "", "x" * 129, "has space", "new\\nline", 'quote"d', "é"])
async def test_otherwise_a_new_one_is_made(client, sent):
    headers = {} if sent is None else {"X-Request-ID": sent.encode("utf-8")}
    first = (await client.get("/things/1", headers=headers)).headers["x-request-id"]
    second = (await client.get("/things/1", headers=headers)).headers["x-request-id"]
    assert uuid.UUID(first) != uuid.UUID(second)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/conflict", 409), ("GET", "/nowhere", 404), ("GET", "/boom", 500), ("POST", "/things", 413)],
)
async def test_problem_bodies_name_the_request(client, method, path, status):
    body = b'{"a": "0123456789"}' if method == "POST" else None  # over the app's 10-byte limit
    response = await client.request(method, path, content=body, headers={"X-Request-ID": "req-42"})
    assert response.status_code == status
    assert response.headers["x-request-id"] == "req-42"
    assert response.json()["request_id"] == "req-42"
    assert "secret internals" not in response.text


async def test_one_access_line_per_request_with_the_route_template(client, caplog):
    caplog.set_level(logging.INFO)
    await client.get("/things/patient-record-99?name=Jane", headers={"X-Request-ID": "req-7"})
    [line] = [r for r in caplog.records if r.name == "baseline.access"]
    fields = {name: getattr(line, name) for name in ("method", "route", "status", "request_id")}
    assert fields == {"method": "GET", "route": "/things/{thing_id}", "status": 200, "request_id": "req-7"}
    assert line.duration_ms >= 0
    assert "patient-record-99" not in line.getMessage()
    assert "Jane" not in line.getMessage()


async def test_json_lines_carry_the_request_id_of_every_record(client, capsys):
    configure_logging("json")
    try:
        await client.get("/things/1", headers={"X-Request-ID": "req-9"})
    finally:
        logging.getLogger().handlers[:] = []
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    by_logger = {line["logger"]: line for line in lines}
    assert by_logger["baseline.test"]["request_id"] == "req-9"
    access = by_logger["baseline.access"]
    assert {access[k] for k in ("method", "route", "status", "request_id")} == {
        "GET",
        "/things/{thing_id}",
        200,
        "req-9",
    }
    assert isinstance(access["duration_ms"], float)


def test_json_formatter_writes_exceptions_as_a_field():
    try:
        raise ValueError("bad")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed %s", ("here",), sys.exc_info())
    line = json.loads(JsonFormatter().format(record))
    assert (line["message"], line["level"], line["request_id"]) == ("failed here", "ERROR", None)
    assert "ValueError: bad" in line["exception"]
