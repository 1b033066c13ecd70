"""The same request gives byte-identical JSON, across engine versions' code changes too.

``fixtures/result-digests.json`` holds the SHA-256 of ``POST /v1/score``'s body for seeded random
requests, recorded with the engine that built pydantic models for its result. The engine now
writes its result as a plain document serialised straight to JSON; these digests prove that
not one byte of any answer moved. ``test_the_document_serialises_as_the_models_do`` checks the
same for requests Hypothesis makes up.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path
from random import Random
from typing import Any

import httpx
from hypothesis import given
from hypothesis import strategies as st

from baseline_scoring.app import create_app
from baseline_scoring.engine import ScoreResult, score_assessment
from baseline_scoring.http.schemas import ScoreRequest
from baseline_scoring.http.score import score_json
from baseline_service_kit import REQUEST_ID_HEADER
from framework_model import Answer, Framework, content_hash, has_profile, list_frameworks, load_framework
from tests.scoring.engine_support import ENGINE_PROFILE

DIGESTS = Path(__file__).parent / "fixtures" / "result-digests.json"
CASES = 120


def _frameworks() -> list[Framework]:
    return [load_framework(s.framework_id, s.version) for s in list_frameworks()]


def random_request(seed: int) -> dict[str, Any]:
    """A valid request: any version and profile it has, answers, N/A and gaps, targets, increment."""
    rng = Random(seed)
    framework = rng.choice(_frameworks())
    profile = rng.choice(["full", "quick"]) if has_profile(framework, "quick") else "full"
    questions = [
        q
        for p in framework.pillars
        for c in p.capabilities
        for q in c.questions
        if profile == "full" or q.lead
    ]
    rng.shuffle(questions)
    responses: list[dict[str, Any]] = []
    for question in questions[: rng.randint(0, len(questions))]:
        if question.allow_na and rng.random() < 0.15:
            responses.append({"question_id": question.question_id, "not_applicable": True})
        else:
            responses.append(
                {"question_id": question.question_id, "value": rng.choice(question.options).option_id}
            )
    request: dict[str, Any] = {
        "framework_id": framework.framework_id,
        "framework_version": framework.version,
        "responses": responses,
        "profile": profile,
    }
    if rng.random() < 0.7:
        pillars = [p.pillar_id for p in framework.pillars]
        request["targets"] = {
            p: rng.randint(1, len(framework.levels))
            for p in rng.sample(pillars, rng.randint(0, len(pillars)))
        }
    if rng.random() < 0.5:
        request["increment_size"] = rng.randint(1, 8)
    return request


async def _recorded_digests() -> dict[str, str]:
    """Each seed's request sent to the scoring app over HTTP (in process): its body's digest."""
    transport = httpx.ASGITransport(create_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://scoring") as client:
        digests = {}
        for seed in range(CASES):
            # A fixed request id: the one header that differs between two equal requests.
            headers = {REQUEST_ID_HEADER: "result-bytes"}
            response = await client.post("/v1/score", json=random_request(seed), headers=headers)
            assert response.status_code == 200, response.text
            digests[str(seed)] = hashlib.sha256(response.content).hexdigest()
        return digests


async def test_every_recorded_request_gives_the_recorded_bytes() -> None:
    recorded = json.loads(DIGESTS.read_text())
    assert len(recorded) == CASES
    assert await _recorded_digests() == recorded


async def test_the_short_way_and_fastapis_give_the_same_bytes() -> None:
    # application/json is parsed the short way (``JsonBodyRoute``); another JSON type goes
    # through FastAPI's own handling.
    transport = httpx.ASGITransport(create_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://scoring") as client:
        for seed in range(10):
            body = json.dumps(random_request(seed)).encode()
            answers = [
                await client.post("/v1/score", content=body, headers={"Content-Type": media_type})
                for media_type in ("application/json", "application/vnd.baseline+json")
            ]
            assert [a.status_code for a in answers] == [200, 200]
            assert answers[0].content == answers[1].content


@ENGINE_PROFILE
@given(seed=st.integers(min_value=CASES, max_value=2**32))
def test_the_document_serialises_as_the_models_do(seed: int) -> None:
    request = random_request(seed)
    framework = load_framework(request["framework_id"], request["framework_version"])
    modelled = score_assessment(
        framework,
        [Answer.model_validate(r) for r in request["responses"]],
        content_hash=content_hash(framework),
        targets=request.get("targets"),
        increment_size=request.get("increment_size", 3),
        profile=request["profile"],
    )
    assert isinstance(modelled, ScoreResult)
    assert score_json(ScoreRequest.model_validate(request)) == modelled.model_dump_json().encode()


if __name__ == "__main__":
    # Record afresh only when a change is *meant* to change results, with the engine version.
    DIGESTS.write_text(json.dumps(asyncio.run(_recorded_digests()), indent=1) + "\n")
