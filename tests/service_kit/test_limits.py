"""The body size limit: one for the whole service, raised or lowered for chosen path prefixes."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI, Request

from baseline_service_kit import PROBLEM_JSON, create_service_app

LIMITS = {"/bulk/": 1000, "/bulk/small/": 10}


def _app() -> FastAPI:
    app = create_service_app(
        title="t", version="0", description="d", max_body_bytes=100, max_body_bytes_by_prefix=LIMITS
    )

    @app.post("/{path:path}")
    async def size(request: Request) -> int:
        return len(await request.body())

    return app


@pytest.fixture
async def client():
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        yield client


async def _post(client: httpx.AsyncClient, path: str, size: int, *, chunked: bool) -> httpx.Response:
    payload = b"x" * size

    async def stream():
        for start in range(0, len(payload), 64):
            yield payload[start : start + 64]

    return await client.post(path, content=stream() if chunked else payload)


@pytest.mark.parametrize("chunked", [False, True])
@pytest.mark.parametrize(
    ("path", "limit"),
    [("/items", 100), ("/bulk/items", 1000), ("/bulk/small/items", 10), ("/bulky", 100), ("/x/bulk/", 100)],
)
async def test_each_path_gets_the_limit_of_its_longest_prefix(client, path, limit, chunked):
    accepted = await _post(client, path, limit, chunked=chunked)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json() == limit
    refused = await _post(client, path, limit + 1, chunked=chunked)
    assert refused.status_code == 413
    assert refused.headers["content-type"] == PROBLEM_JSON
    assert refused.json()["detail"] == f"The request body is larger than {limit} bytes."
    assert refused.json()["errors"] == [{"field": "body", "message": f"at most {limit} bytes"}]
