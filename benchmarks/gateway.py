"""Issue 4: the gateway's speed beside baselines from the same run, on the whole system as
`make run` starts it (embedded PostgreSQL, real scoring process, one API worker).

- PUT a response: requests per second beside GET /healthz on the same server.
- Submit end to end (read, scoring call, write): median beside a direct POST /v1/score of the
  same answers. Beside them, for context, the same submit done by the floor
  (``benchmarks.submit_floor``: the gateway's SQL and nothing around it), which shows how much of
  the figure any gateway on this machine would pay.

The three series run in alternating blocks, so that a slow spell of this shared machine (they
come and go, a few seconds long) falls on all three alike rather than on one of them.
"""

from __future__ import annotations

import asyncio
import itertools
import statistics
from typing import Any

import httpx

from baseline_devstack.processes import free_port
from benchmarks.fixtures import framework, score_body
from benchmarks.load import LoadResult, measure
from benchmarks.servers import TOKEN, served, system
from benchmarks.table import Row

__all__ = ["gateway_rows"]

AUTH = {"Authorization": f"Bearer {TOKEN}"}
PUTS, CONCURRENCY, SUBMITS, BLOCK = 3000, 8, 200, 25


async def _new_assessment(client: httpx.AsyncClient, organisation_id: str) -> str:
    response = await client.post(
        f"/v1/organisations/{organisation_id}/assessments",
        json={"framework_id": "nhs-digital-readiness", "framework_version": "1.0.0"},
        headers=AUTH,
    )
    response.raise_for_status()
    return str(response.json()["id"])


async def _organisation(client: httpx.AsyncClient) -> str:
    body = {"ods_code": "BENCH1", "name": "Benchmark trust", "kind": "trust"}
    response = await client.post("/v1/organisations", json=body, headers=AUTH)
    response.raise_for_status()
    return str(response.json()["id"])


async def _put_rate(api: str, drafts: list[str], answers: list[dict[str, Any]]) -> tuple[float, float]:
    # Several people answering several assessments at once, as in a portal: PUTs to one single
    # assessment would queue on its row lock (each change bumps its revision) and measure only
    # the disk's commit latency.
    cycle = zip(itertools.cycle(drafts), itertools.cycle(answers), strict=False)

    def put(client: httpx.AsyncClient) -> object:
        assessment_id, answer = next(cycle)
        url = f"/v1/assessments/{assessment_id}/responses/{answer['question_id']}"
        return client.put(url, json={"value": answer["value"]}, headers=AUTH)

    def health(client: httpx.AsyncClient) -> object:
        return client.get("/healthz")

    await measure(api, put, requests=300, concurrency=CONCURRENCY)  # warm-up
    puts = await measure(api, put, requests=PUTS, concurrency=CONCURRENCY)
    healths = await measure(api, health, requests=PUTS, concurrency=CONCURRENCY)
    return puts.rate, healths.rate


async def _complete_drafts(api: str, organisation_id: str, body: dict[str, Any], count: int) -> list[str]:
    async with httpx.AsyncClient(base_url=api, timeout=30) as client:
        ids = [await _new_assessment(client, organisation_id) for _ in range(count)]
        for assessment_id in ids:
            patch = {"responses": body["responses"]}
            url = f"/v1/assessments/{assessment_id}/responses"
            (await client.patch(url, json=patch, headers=AUTH)).raise_for_status()
    return ids


async def _submit_medians(
    urls: dict[str, str], organisation_id: str, body: dict[str, Any]
) -> dict[str, float]:
    """Median milliseconds of each series: ``gateway`` and ``floor`` submits, ``direct`` scores."""
    drafts = iter(await _complete_drafts(urls["gateway"], organisation_id, body, 2 * SUBMITS + 20))

    def submit(client: httpx.AsyncClient) -> object:
        return client.post(f"/v1/assessments/{next(drafts)}/submit", headers=AUTH)

    def direct(client: httpx.AsyncClient) -> object:
        return client.post("/v1/score", json=body)

    series = {"gateway": submit, "floor": submit, "direct": direct}
    latencies: dict[str, list[float]] = {name: [] for name in series}
    for name, send in series.items():
        await measure(urls[name], send, requests=5, concurrency=1)  # warm-up
    for _ in range(SUBMITS // BLOCK):
        for name, send in series.items():
            block: LoadResult = await measure(urls[name], send, requests=BLOCK, concurrency=1)
            latencies[name] += block.latencies
    return {name: statistics.median(found) * 1000 for name, found in latencies.items()}


async def _measure_all(api: str, scoring: str, floor: str) -> list[Row]:
    body = score_body(framework())
    del body["targets"]  # the assessment uses the framework's default targets: score the same way
    async with httpx.AsyncClient(base_url=api, timeout=30) as client:
        organisation_id = await _organisation(client)
        drafts = [await _new_assessment(client, organisation_id) for _ in range(4 * CONCURRENCY)]
    put_rate, health_rate = await _put_rate(api, drafts, body["responses"])
    medians = await _submit_medians(
        {"gateway": api, "floor": floor, "direct": scoring}, organisation_id, body
    )
    submit_ms, floor_ms, direct_ms = medians["gateway"], medians["floor"], medians["direct"]
    return [
        Row(
            "gateway: PUT a response",
            put_rate,
            "req/s",
            "GET /healthz",
            health_rate,
            ">= 0.3 x health",
            put_rate >= 0.3 * health_rate,
        ),
        Row(
            "gateway: submit end to end (median)",
            submit_ms,
            "ms",
            "direct POST /v1/score",
            direct_ms,
            "<= 3 x direct",
            submit_ms <= 3 * direct_ms,
        ),
        Row("gateway: submit floor, bare (median)", floor_ms, "ms", "direct POST /v1/score", direct_ms),
    ]


def gateway_rows() -> list[Row]:
    with system() as running:
        env = {"DATABASE_URL": running.database_url, "SCORING_URL": running.scoring}
        with served("benchmarks.submit_floor", free_port(), "/healthz", env) as floor:
            return asyncio.run(_measure_all(running.api, running.scoring, floor))
