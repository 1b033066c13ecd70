"""Respondents in ``POST /v1/score`` and ``POST /v1/agreement`` over HTTP on the real scoring process."""

from __future__ import annotations

import httpx
import pytest

FRAMEWORK = {"framework_id": "nhs-digital-readiness", "framework_version": "1.1.0"}
QUESTION = "wow-cs-safety-officer"


@pytest.fixture
def scoring(scoring_url: str):
    with httpx.Client(base_url=scoring_url) as client:
        yield client


def _respondent(respondent_id: str, *answers: tuple[str, str]) -> dict:
    return {
        "respondent_id": respondent_id,
        "responses": [{"question_id": question_id, "value": value} for question_id, value in answers],
    }


def _options(scoring: httpx.Client, question_id: str) -> list[str]:
    definition = scoring.get("/v1/frameworks/nhs-digital-readiness/versions/1.1.0").json()
    for pillar in definition["pillars"]:
        for capability in pillar["capabilities"]:
            for question in capability["questions"]:
                if question["question_id"] == question_id:
                    return [option["option_id"] for option in question["options"]]
    raise AssertionError(question_id)


def test_without_respondents_the_result_has_no_agreement(scoring: httpx.Client) -> None:
    response = scoring.post("/v1/score", json={**FRAMEWORK, "responses": []})
    assert response.status_code == 200, response.text
    assert "agreement" not in response.json()


def test_respondents_give_the_result_its_agreement(scoring: httpx.Client) -> None:
    lowest, *_, highest = _options(scoring, QUESTION)
    respondents = [_respondent("a", (QUESTION, lowest)), _respondent("b", (QUESTION, highest))]
    response = scoring.post("/v1/score", json={**FRAMEWORK, "responses": [], "respondents": respondents})
    assert response.status_code == 200, response.text
    found = response.json()["agreement"]
    assert (found["respondents"], found["confidence"], found["questions_compared"]) == (2, 0.0, 1)
    assert {p["pillar_id"]: p["confidence"] for p in found["pillars"]}["ways-of-working"] == 0.0
    assert found["questions"] == []  # a result keeps the confidences; /v1/agreement has the rest
    alone = scoring.post("/v1/agreement", json={**FRAMEWORK, "respondents": respondents})
    assert alone.status_code == 200, alone.text
    [question] = alone.json()["questions"]
    assert (question["question_id"], question["spread"], question["suggested_value"]) == (
        QUESTION,
        1.0,
        lowest,
    )
    assert alone.json() == {**found, "questions": [question]}


@pytest.mark.parametrize("path", ["/v1/score", "/v1/agreement"])
def test_respondents_answers_are_checked_like_responses(scoring: httpx.Client, path: str) -> None:
    option = _options(scoring, QUESTION)[0]
    good = _respondent("a", (QUESTION, option))
    bad = _respondent("b", *[(QUESTION, option)] * 3, (QUESTION, "not-an-option"))
    bad["responses"][1]["question_id"] = "no-such-question"
    body = {**FRAMEWORK, "respondents": [good, bad, {**good}]}
    response = scoring.post(path, json={**body, "responses": []} if path == "/v1/score" else body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    fields = [error["field"] for error in response.json()["errors"]]
    assert fields == [
        "respondents[1].responses[1].question_id",
        "respondents[1].responses[2].question_id",
        "respondents[1].responses[3].question_id",
        "respondents[1].responses[3].value",
        "respondents[2].respondent_id",
    ]


def test_at_most_fifty_respondents(scoring: httpx.Client) -> None:
    respondents = [_respondent(str(i)) for i in range(51)]
    response = scoring.post("/v1/agreement", json={**FRAMEWORK, "respondents": respondents})
    assert response.status_code == 422, response.text
    assert [error["field"] for error in response.json()["errors"]] == ["respondents"]


@pytest.mark.parametrize("path", ["/v1/score", "/v1/agreement"])
def test_an_empty_value_is_not_taken_for_not_applicable(scoring: httpx.Client, path: str) -> None:
    # The question allows "not applicable", which once stood as "" among its accepted answers: an
    # empty value then passed the check and failed scoring with a 500.
    respondents = [_respondent("a", ("wow-dp-automated-testing", ""))]
    body = {**FRAMEWORK, "respondents": respondents}
    response = scoring.post(path, json={**body, "responses": []} if path == "/v1/score" else body)
    assert response.status_code == 422, response.text
    assert [error["field"] for error in response.json()["errors"]] == ["respondents[0].responses[0].value"]
