"""The quick profile over HTTP: only lead questions asked, answered and scored; results indicative."""

from __future__ import annotations

import httpx
import pytest

from framework_model import framework_index, load_framework
from tests.api.test_assessments_support import (
    FRAMEWORK_ID,
    LATEST,
    answer,
    create_assessment,
    highest,
    middle,
    problem_fields,
    submit,
)

FRAMEWORK = load_framework(FRAMEWORK_ID, LATEST)
QUESTIONS = framework_index(FRAMEWORK).questions
LEADS = [qid for qid, ref in QUESTIONS.items() if ref.question.lead]
OTHERS = [qid for qid, ref in QUESTIONS.items() if not ref.question.lead]


def _answers(question_ids: list[str], pick=middle) -> list[dict]:
    return [{"question_id": qid, "value": pick(QUESTIONS[qid].question)} for qid in question_ids]


@pytest.fixture
async def quick(api: httpx.AsyncClient, admin_headers: dict[str, str], make_organisation) -> dict:
    organisation = await make_organisation()
    assessment = await create_assessment(api, admin_headers, organisation["id"], profile="quick")
    assert (assessment["profile"], assessment["framework_version"]) == ("quick", LATEST)
    return assessment


def test_the_latest_version_has_one_lead_per_capability() -> None:
    assert len(LEADS) == len(framework_index(FRAMEWORK).capabilities)
    assert OTHERS


async def test_a_version_without_lead_questions_has_no_quick_profile(api, admin_headers, make_organisation):
    organisation = await make_organisation()
    body = {"framework_id": FRAMEWORK_ID, "framework_version": "1.1.0", "profile": "quick"}
    url = f"/v1/organisations/{organisation['id']}/assessments"
    response = await api.post(url, json=body, headers=admin_headers)
    assert problem_fields(response) == ["profile"]


async def test_only_lead_questions_can_be_answered(api, admin_headers, quick):
    url = f"/v1/assessments/{quick['id']}/responses"
    one = await api.put(
        f"{url}/{OTHERS[0]}", json={"value": middle(QUESTIONS[OTHERS[0]].question)}, headers=admin_headers
    )
    assert problem_fields(one) == ["question_id"]
    batch = _answers([LEADS[0], OTHERS[0]])
    response = await api.patch(url, json={"responses": batch}, headers=admin_headers)
    assert problem_fields(response) == ["responses[1].question_id"]
    assert (await api.get(url, headers=admin_headers)).json()["items"] == []  # all or nothing


async def test_submit_needs_only_the_lead_questions_and_the_result_is_indicative(api, admin_headers, quick):
    await answer(api, admin_headers, quick["id"], _answers(LEADS[1:]))
    refused = await submit(api, admin_headers, quick["id"])
    assert problem_fields(refused) == [f"responses.{LEADS[0]}"]

    await answer(api, admin_headers, quick["id"], _answers(LEADS[:1]))
    response = await submit(api, admin_headers, quick["id"])
    assert response.status_code == 200, response.text
    result = response.json()["result"]
    assert (result["profile"], result["indicative"], result["completeness"]) == ("quick", True, 1.0)
    # A capability scores its lead question's option alone.
    first = next(c for p in result["pillars"] for c in p["capabilities"])
    lead = QUESTIONS[LEADS[0]].question
    assert first["score"] == 100 * next(o.score for o in lead.options if o.option_id == middle(lead))


async def test_quick_results_are_marked_in_the_trend_and_never_the_baseline(api, admin_headers, quick):
    await answer(api, admin_headers, quick["id"], _answers(LEADS, highest))
    assert (await submit(api, admin_headers, quick["id"])).status_code == 200
    url = f"/v1/organisations/{quick['organisation_id']}/progress"
    progress = (await api.get(url, params={"framework_id": FRAMEWORK_ID}, headers=admin_headers)).json()
    assert [(p["profile"], p["indicative"]) for p in progress["series"]] == [("quick", True)]
    assert (progress["baseline"], progress["latest"], progress["deltas"]) == (None, None, {})


async def test_the_quick_questionnaire_asks_the_lead_questions(api, admin_headers):
    path = f"/v1/frameworks/{FRAMEWORK_ID}/versions/{LATEST}/fhir/Questionnaire"
    response = await api.get(path, params={"profile": "quick"}, headers=admin_headers)
    assert response.status_code == 200, response.text
    questionnaire = response.json()
    asked = [q["linkId"] for p in questionnaire["item"] for c in p["item"] for q in c["item"]]
    assert asked == LEADS
    assert questionnaire["url"].endswith("/quick")
    older = f"/v1/frameworks/{FRAMEWORK_ID}/versions/1.1.0/fhir/Questionnaire"
    assert (await api.get(older, params={"profile": "quick"}, headers=admin_headers)).status_code == 404
