"""Issue 3, service: POST /v1/score requests per second on one uvicorn worker, beside a bare
FastAPI echo of the same body, same client, same run, same uvicorn settings."""

from __future__ import annotations

import asyncio
import json

import httpx

from baseline_devstack.processes import free_port
from benchmarks.fixtures import framework, score_body
from benchmarks.load import measure
from benchmarks.servers import served
from benchmarks.table import Row

__all__ = ["scoring_rows"]

REQUESTS, CONCURRENCY = 3000, 8


async def _rate(url: str, path: str, body: bytes) -> float:
    headers = {"content-type": "application/json"}

    async def send(client: httpx.AsyncClient) -> httpx.Response:
        return await client.post(path, content=body, headers=headers)

    await measure(url, send, requests=300, concurrency=CONCURRENCY)  # warm-up
    return (await measure(url, send, requests=REQUESTS, concurrency=CONCURRENCY)).rate


def scoring_rows() -> list[Row]:
    body = json.dumps(score_body(framework())).encode()
    with served("baseline_scoring", free_port(), "/healthz") as url:
        scoring = asyncio.run(_rate(url, "/v1/score", body))
    with served("benchmarks.bare_app", free_port(), "/docs") as url:
        bare = asyncio.run(_rate(url, "/echo", body))
    return [
        Row(
            figure="scoring: POST /v1/score, 1 worker",
            value=scoring,
            unit="req/s",
            baseline_name="bare FastAPI echo",
            baseline=bare,
            goal=">= 0.5 x bare",
            met=scoring >= 0.5 * bare,
        )
    ]
