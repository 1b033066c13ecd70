"""Helpers shared by the assessment tests: answers built from the framework definition itself.

(No tests here; the name keeps it beside the tests that use it.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from baseline_api.assessments.submission import score_next_submission
from baseline_api.core.scoring_client import ScoringClient
from baseline_api.core.settings import Settings
from framework_model import Question, framework_index, load_framework

FRAMEWORK_ID = "nhs-digital-readiness"
LATEST = "2.0.0"

Picker = Callable[[Question], str]


def lowest(question: Question) -> str:
    return min(question.options, key=lambda option: option.score).option_id


def highest(question: Question) -> str:
    return max(question.options, key=lambda option: option.score).option_id


def middle(question: Question) -> str:
    return question.options[len(question.options) // 2].option_id


def question_ids(version: str = LATEST) -> list[str]:
    return list(framework_index(load_framework(FRAMEWORK_ID, version)).questions)


def answers(version: str = LATEST, pick: Picker = middle, skip: frozenset[str] = frozenset()) -> list[dict]:
    """One answer per question of the version, in framework order, bar the ``skip``ped ones."""
    questions = framework_index(load_framework(FRAMEWORK_ID, version)).questions
    return [
        {"question_id": qid, "value": pick(ref.question)} for qid, ref in questions.items() if qid not in skip
    ]


def first_question(*, allow_na: bool, version: str = LATEST) -> Question:
    refs = framework_index(load_framework(FRAMEWORK_ID, version)).questions.values()
    return next(ref.question for ref in refs if ref.question.allow_na is allow_na)


async def create_assessment(
    api: httpx.AsyncClient, headers: dict[str, str], organisation_id: str, **body: object
) -> dict:
    body = {"framework_id": FRAMEWORK_ID, **body}
    response = await api.post(f"/v1/organisations/{organisation_id}/assessments", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def answer(
    api: httpx.AsyncClient, headers: dict[str, str], assessment_id: str, items: list[dict]
) -> None:
    response = await api.patch(
        f"/v1/assessments/{assessment_id}/responses", json={"responses": items}, headers=headers
    )
    assert response.status_code == 200, response.text


async def submit(api: httpx.AsyncClient, headers: dict[str, str], assessment_id: str) -> httpx.Response:
    return await api.post(f"/v1/assessments/{assessment_id}/submit", headers=headers)


async def scored_assessment(
    api: httpx.AsyncClient, headers: dict[str, str], organisation_id: str, *, version: str, pick: Picker
) -> dict:
    """A new assessment of ``version``, every question answered with ``pick``, submitted and scored."""
    assessment = await create_assessment(api, headers, organisation_id, framework_version=version)
    await answer(api, headers, assessment["id"], answers(version, pick))
    response = await submit(api, headers, assessment["id"])
    assert response.status_code == 200, response.text
    return response.json()["result"] | {"assessment_id": assessment["id"]}


def problem_fields(response: httpx.Response) -> list[str]:
    assert response.headers["content-type"] == "application/problem+json", response.text
    return [error["field"] for error in response.json()["errors"]]


def answers_lifting(version: str, capabilities: set[str]) -> list[dict]:
    """Every question answered: with its highest option in ``capabilities``, its lowest elsewhere,
    so each capability scores 100 or 0 and a pillar's score is easy to work out by hand."""
    framework = load_framework(FRAMEWORK_ID, version)
    return [
        {
            "question_id": qid,
            "value": (highest if ref.capability_id in capabilities else lowest)(ref.question),
        }
        for qid, ref in framework_index(framework).questions.items()
    ]


async def scored_lifting(
    api: httpx.AsyncClient,
    headers: dict[str, str],
    organisation_id: str,
    version: str,
    capabilities: set[str],
    **body: object,
) -> dict:
    """A new assessment of ``version`` answered by ``answers_lifting``, submitted and scored."""
    assessment = await create_assessment(api, headers, organisation_id, framework_version=version, **body)
    await answer(api, headers, assessment["id"], answers_lifting(version, capabilities))
    response = await submit(api, headers, assessment["id"])
    assert response.status_code == 200, response.text
    return response.json()["result"] | {"assessment_id": assessment["id"]}


async def insert_assessment_row(
    sessions: async_sessionmaker[AsyncSession], organisation_id: str, **columns: Any
) -> str:
    """An assessment row written directly, for what the API cannot make: one of a framework the
    catalogue does not hold, say."""
    values = {
        "framework_id": FRAMEWORK_ID,
        "framework_version": LATEST,
        "content_hash": "sha256:0",
        "targets": "{}",
        **columns,
    }
    statement = text(
        "INSERT INTO assessments (organisation_id, framework_id, framework_version, content_hash, targets,"
        " updated_by, updated_by_name) VALUES (:organisation_id, :framework_id, :framework_version,"
        " :content_hash, CAST(:targets AS jsonb), 'admin', 'admin')"
        " RETURNING id"
    )
    async with sessions() as session, session.begin():
        found = await session.execute(statement, {"organisation_id": organisation_id, **values})
        return str(found.scalar_one())


async def score_by_worker(sessions: async_sessionmaker[AsyncSession], settings: Settings) -> None:
    """One step of the background scoring worker, as it runs in production: it must score one."""
    scoring = ScoringClient(settings)
    try:
        async with sessions() as session, session.begin():
            assert await score_next_submission(session, scoring)
    finally:
        await scoring.aclose()
