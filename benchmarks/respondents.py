"""Issue 13: what respondents cost, on the whole system as `make run` starts it.

- ``GET .../agreement`` of an assessment with 8 respondents beside ``GET .../responses`` of the
  same assessment (goal: at most 3 x): agreement reads every respondent's answers and asks the
  scoring service.
- Submit of an assessment with 8 respondents beside one without (goal: at most 1.5 x): the
  respondents' answers travel to the scoring service and their agreement is stored.

Latency medians, each pair interleaved request by request (the order alternating), so that a
slow spell of this shared machine falls on both alike.
"""

from __future__ import annotations

import asyncio
import statistics
from typing import Any

import httpx

from benchmarks.fixtures import framework, score_body
from benchmarks.load import Send, timed
from benchmarks.servers import TOKEN, system
from benchmarks.table import Row

__all__ = ["respondent_rows"]

AUTH = {"Authorization": f"Bearer {TOKEN}"}
RESPONDENTS, READS, SUBMITS = 8, 300, 100
ROLES = ["clinical", "digital", "operational", "commercial", "finance", "executive", "other", "clinical"]


async def _draft(client: httpx.AsyncClient, organisation_id: str, answers: list[dict[str, Any]]) -> str:
    body = {"framework_id": "nhs-digital-readiness", "framework_version": "1.0.0"}
    created = await client.post(f"/v1/organisations/{organisation_id}/assessments", json=body, headers=AUTH)
    created.raise_for_status()
    assessment_id = str(created.json()["id"])
    url = f"/v1/assessments/{assessment_id}/responses"
    (await client.patch(url, json={"responses": answers}, headers=AUTH)).raise_for_status()
    return assessment_id


def _shifted(answers: list[dict[str, Any]], options: dict[str, list[str]], by: int) -> list[dict[str, Any]]:
    """Each respondent answers one option further along: disagreement to compute."""
    return [
        {
            "question_id": a["question_id"],
            "value": options[a["question_id"]][
                (options[a["question_id"]].index(a["value"]) + by) % len(options[a["question_id"]])
            ],
        }
        for a in answers
    ]


async def _with_respondents(
    client: httpx.AsyncClient,
    assessment_id: str,
    answers: list[dict[str, Any]],
    options: dict[str, list[str]],
) -> None:
    for i, role in enumerate(ROLES[:RESPONDENTS]):
        url = f"/v1/assessments/{assessment_id}/respondents"
        created = await client.post(url, json={"name": f"Respondent {i}", "role": role}, headers=AUTH)
        created.raise_for_status()
        patch = {"responses": _shifted(answers, options, i % 3)}
        answered = await client.patch(f"{url}/{created.json()['id']}/responses", json=patch, headers=AUTH)
        answered.raise_for_status()


async def _interleaved_medians(
    client: httpx.AsyncClient, series: dict[str, Send], rounds: int
) -> dict[str, float]:
    latencies: dict[str, list[float]] = {name: [] for name in series}
    pairs = list(series.items())
    for send in series.values():  # warm-up
        for _ in range(5):
            await timed(client, send)
    for round_ in range(rounds):
        for name, send in pairs if round_ % 2 == 0 else pairs[::-1]:
            latencies[name].append(await timed(client, send))
    return {name: statistics.median(found) * 1000 for name, found in latencies.items()}


async def _measure(api: str) -> list[Row]:
    fw = framework()
    answers = score_body(fw)["responses"]
    options = {
        q.question_id: [o.option_id for o in q.options]
        for p in fw.pillars
        for c in p.capabilities
        for q in c.questions
    }
    async with httpx.AsyncClient(base_url=api, timeout=30) as client:
        organisation = await client.post(
            "/v1/organisations", json={"ods_code": "BENCH13", "name": "Bench", "kind": "trust"}, headers=AUTH
        )
        organisation.raise_for_status()
        organisation_id = str(organisation.json()["id"])
        read_target = await _draft(client, organisation_id, answers)
        await _with_respondents(client, read_target, answers, options)
        plain = [await _draft(client, organisation_id, answers) for _ in range(SUBMITS + 5)]
        crowded = [await _draft(client, organisation_id, answers) for _ in range(SUBMITS + 5)]
        for assessment_id in crowded:
            await _with_respondents(client, assessment_id, answers, options)
        reads = await _interleaved_medians(
            client,
            {
                "agreement": lambda c: c.get(f"/v1/assessments/{read_target}/agreement", headers=AUTH),
                "responses": lambda c: c.get(f"/v1/assessments/{read_target}/responses", headers=AUTH),
            },
            READS,
        )
        plain_left, crowded_left = iter(plain), iter(crowded)
        submits = await _interleaved_medians(
            client,
            {
                "with": lambda c: c.post(f"/v1/assessments/{next(crowded_left)}/submit", headers=AUTH),
                "without": lambda c: c.post(f"/v1/assessments/{next(plain_left)}/submit", headers=AUTH),
            },
            SUBMITS,
        )
    return [
        Row(
            f"respondents: GET .../agreement, {RESPONDENTS} respondents (median)",
            reads["agreement"],
            "ms",
            "GET .../responses",
            reads["responses"],
            "<= 3 x responses",
            reads["agreement"] <= 3 * reads["responses"],
        ),
        Row(
            f"respondents: submit with {RESPONDENTS} respondents (median)",
            submits["with"],
            "ms",
            "submit without respondents",
            submits["without"],
            "<= 1.5 x without",
            submits["with"] <= 1.5 * submits["without"],
        ),
    ]


def respondent_rows() -> list[Row]:
    with system() as running:
        return asyncio.run(_measure(running.api))


if __name__ == "__main__":
    from benchmarks.table import render

    print(render(respondent_rows()))
