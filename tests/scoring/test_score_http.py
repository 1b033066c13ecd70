"""``POST /v1/score`` over HTTP on the real scoring process: what it requires and refuses."""

from __future__ import annotations

import httpx
import pytest

from framework_model import framework_index, latest_published

FRAMEWORK = {"framework_id": "nhs-digital-readiness", "framework_version": "1.1.0"}


@pytest.fixture
def scoring(scoring_url: str):
    with httpx.Client(base_url=scoring_url) as client:
        yield client


def _fields(response: httpx.Response) -> list[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return [error["field"] for error in response.json()["errors"]]


def test_responses_are_required(scoring: httpx.Client) -> None:
    assert _fields(scoring.post("/v1/score", json=FRAMEWORK)) == ["responses"]


def test_an_empty_list_scores_an_unanswered_assessment(scoring: httpx.Client) -> None:
    response = scoring.post("/v1/score", json={**FRAMEWORK, "responses": []})
    assert response.status_code == 200, response.text
    assert response.json()["completeness"] == 0
    assert (response.json()["profile"], response.json()["indicative"]) == ("full", False)


def test_a_version_without_lead_questions_has_no_quick_profile(scoring: httpx.Client) -> None:
    response = scoring.post("/v1/score", json={**FRAMEWORK, "responses": [], "profile": "quick"})
    assert _fields(response) == ["profile"]


def test_a_quick_assessment_is_scored_on_its_lead_questions_alone(scoring: httpx.Client) -> None:
    framework = latest_published("nhs-digital-readiness")
    questions = framework_index(framework).questions.values()
    lead = next(ref.question for ref in questions if ref.question.lead)
    other = next(ref.question for ref in questions if not ref.question.lead)
    body = {
        "framework_id": framework.framework_id,
        "framework_version": framework.version,
        "profile": "quick",
    }
    refused = scoring.post(
        "/v1/score",
        json={**body, "responses": [{"question_id": other.question_id, "value": other.options[0].option_id}]},
    )
    assert _fields(refused) == ["responses[0].question_id"]
    response = scoring.post(
        "/v1/score",
        json={**body, "responses": [{"question_id": lead.question_id, "value": lead.options[-1].option_id}]},
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert (result["profile"], result["indicative"]) == ("quick", True)
    lead_count = sum(1 for ref in questions if ref.question.lead)
    assert result["completeness"] == round(1 / lead_count, 4)
