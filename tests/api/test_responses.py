"""Responses: one answer at a time or a batch, checked against the pinned framework version."""

from __future__ import annotations

import httpx
import pytest

from framework_model import framework_index, load_framework
from tests.api.test_assessments_support import (
    FRAMEWORK_ID,
    LATEST,
    answers,
    create_assessment,
    first_question,
    highest,
    problem_fields,
    question_ids,
)


@pytest.fixture
async def assessment(api, admin_headers, make_organisation):
    organisation = await make_organisation("RX1")
    return await create_assessment(api, admin_headers, organisation["id"])


def _url(assessment: dict, question_id: str | None = None) -> str:
    base = f"/v1/assessments/{assessment['id']}/responses"
    return base if question_id is None else f"{base}/{question_id}"


async def _revision(api: httpx.AsyncClient, headers: dict[str, str], assessment: dict) -> int:
    return (await api.get(f"/v1/assessments/{assessment['id']}", headers=headers)).json()["revision"]


async def test_put_stores_an_answer_and_bumps_the_revision(api, admin_headers, make_headers, assessment):
    question = first_question(allow_na=False)
    headers = await make_headers("write")
    body = {"value": highest(question), "comment": "Reviewed monthly at the delivery board."}
    response = await api.put(_url(assessment, question.question_id), json=body, headers=headers)
    assert response.status_code == 200, response.text
    stored = response.json()
    assert stored["question_id"] == question.question_id
    assert (stored["value"], stored["not_applicable"], stored["reason"]) == (body["value"], False, None)
    assert stored["comment"] == body["comment"]
    assert stored["updated_by"] is not None
    assert stored["updated_at"]
    assert response.headers["etag"] == '"2"'
    again = await api.put(
        _url(assessment, question.question_id), json={"value": "none"}, headers=admin_headers
    )
    assert again.json()["value"] == "none"
    assert again.json()["updated_by"] is None  # the bootstrap admin is no API key
    assert again.headers["etag"] == '"3"'


async def test_put_not_applicable_where_allowed(api, admin_headers, assessment):
    question = first_question(allow_na=True)
    body = {"value": None, "not_applicable": True, "reason": "No clinical systems are built here."}
    response = await api.put(_url(assessment, question.question_id), json=body, headers=admin_headers)
    assert response.status_code == 200, response.text
    assert (response.json()["not_applicable"], response.json()["reason"]) == (True, body["reason"])


@pytest.mark.parametrize(
    ("body", "allow_na", "field"),
    [
        ({"value": "not-an-option"}, False, "value"),
        ({"value": None, "not_applicable": True}, False, "not_applicable"),
        ({"value": None}, False, "value"),
        ({}, False, "value"),
        ({"value": "OPTION", "not_applicable": True}, True, "value"),
        ({"value": "OPTION", "comment": "x" * 2001}, False, "comment"),
        ({"value": "OPTION", "reason": "x" * 2001}, False, "reason"),
        ({"value": "OPTION", "evidence": "x"}, False, "evidence"),
    ],
)
async def test_put_refuses_answers_that_do_not_fit(api, admin_headers, assessment, body, allow_na, field):
    question = first_question(allow_na=allow_na)
    if body.get("value") == "OPTION":
        body = {**body, "value": question.options[0].option_id}
    response = await api.put(_url(assessment, question.question_id), json=body, headers=admin_headers)
    assert response.status_code == 422, response.text
    assert problem_fields(response) == [field]
    assert await _revision(api, admin_headers, assessment) == 1


async def test_put_to_an_unknown_question_is_404(api, admin_headers, assessment):
    response = await api.put(
        _url(assessment, "no-such-question"), json={"value": "none"}, headers=admin_headers
    )
    assert response.status_code == 404


async def test_put_checks_against_the_pinned_version(api, admin_headers, make_organisation):
    organisation = await make_organisation("RX9")
    old = await create_assessment(api, admin_headers, organisation["id"], framework_version="1.0.0")
    only_in_latest = sorted(set(question_ids("1.1.0")) - set(question_ids("1.0.0")))[0]
    response = await api.put(_url(old, only_in_latest), json={"value": "none"}, headers=admin_headers)
    assert response.status_code == 404


async def test_put_honours_if_match(api, admin_headers, assessment):
    question = first_question(allow_na=False)
    url = _url(assessment, question.question_id)
    stale = await api.put(url, json={"value": "none"}, headers={**admin_headers, "If-Match": '"7"'})
    assert stale.status_code == 412
    fresh = await api.put(url, json={"value": "none"}, headers={**admin_headers, "If-Match": '"1"'})
    assert fresh.status_code == 200
    assert fresh.headers["etag"] == '"2"'


async def test_patch_stores_a_batch_in_one_revision(api, admin_headers, assessment):
    items = answers()
    response = await api.patch(_url(assessment), json={"responses": items[::-1]}, headers=admin_headers)
    assert response.status_code == 200, response.text
    assert [r["question_id"] for r in response.json()["items"]] == question_ids()
    assert response.headers["etag"] == '"2"'
    listed = await api.get(_url(assessment), headers=admin_headers)
    assert listed.json() == response.json()
    assert listed.headers["etag"] == '"2"'


async def test_patch_is_all_or_nothing_and_names_every_bad_item(api, admin_headers, assessment):
    question = first_question(allow_na=False)
    must_answer = {q.question_id for q in _questions() if not q.allow_na}
    others = [a for a in answers() if a["question_id"] in must_answer][5:8]
    batch = [
        {"question_id": question.question_id, "value": highest(question)},
        {"question_id": question.question_id, "value": highest(question)},
        {"question_id": "no-such-question", "value": "none"},
        {**others[0], "value": "nope"},
        {"question_id": others[1]["question_id"], "value": None, "not_applicable": True},
        others[2],
    ]
    response = await api.patch(_url(assessment), json={"responses": batch}, headers=admin_headers)
    assert response.status_code == 422
    assert problem_fields(response) == [
        "responses[1].question_id",
        "responses[2].question_id",
        "responses[3].value",
        "responses[4].not_applicable",
    ]
    assert (await api.get(_url(assessment), headers=admin_headers)).json() == {"items": []}
    assert await _revision(api, admin_headers, assessment) == 1


async def test_patch_names_the_item_whose_shape_is_wrong(api, admin_headers, assessment):
    batch = [*answers()[:2], {**answers()[2], "comment": "x" * 2001}]
    response = await api.patch(_url(assessment), json={"responses": batch}, headers=admin_headers)
    assert problem_fields(response) == ["responses[2].comment"]
    assert (await api.get(_url(assessment), headers=admin_headers)).json() == {"items": []}


@pytest.mark.parametrize("count", [0, 501])
async def test_patch_takes_one_to_five_hundred_items(api, admin_headers, assessment, count):
    items = [{"question_id": f"q-{i}", "value": "none"} for i in range(count)]
    response = await api.patch(_url(assessment), json={"responses": items}, headers=admin_headers)
    assert problem_fields(response) == ["responses"]


async def test_patch_honours_if_match(api, admin_headers, assessment):
    body = {"responses": answers()[:2]}
    stale = await api.patch(_url(assessment), json=body, headers={**admin_headers, "If-Match": '"2"'})
    assert stale.status_code == 412
    fresh = await api.patch(_url(assessment), json=body, headers={**admin_headers, "If-Match": '"1"'})
    assert fresh.status_code == 200


async def test_text_the_database_cannot_store_is_422_not_500(api, admin_headers, make_organisation):
    organisation = await make_organisation("RNUL")
    created = await api.post(
        f"/v1/organisations/{organisation['id']}/assessments",
        json={"framework_id": "nhs-digital-readiness", "title": "ok"},
        headers=admin_headers,
    )
    assert created.status_code == 201
    response = await api.patch(
        f"/v1/assessments/{created.json()['id']}", json={"title": "bad\u0000title"}, headers=admin_headers
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_token_limited_to_another_organisation_cannot_answer_even_after_others_did(
    api, admin_headers, make_headers, make_organisation, assessment
):
    # The admin's answer makes this process remember the assessment's pinning; the limited token
    # must still find the assessment missing, not writable.
    question = first_question(allow_na=False)
    body = {"value": highest(question)}
    assert (
        await api.put(_url(assessment, question.question_id), json=body, headers=admin_headers)
    ).is_success
    other = await make_organisation("RX2")
    limited = await make_headers("write", "read", organisation_ids=[other["id"]])
    put = await api.put(_url(assessment, question.question_id), json=body, headers=limited)
    batch = await api.patch(
        _url(assessment), json={"responses": [{"question_id": question.question_id, **body}]}, headers=limited
    )
    assert (put.status_code, batch.status_code) == (404, 404)
    assert await _revision(api, admin_headers, assessment) == 2


async def test_a_nul_in_a_comment_is_422_at_its_field(api, admin_headers, assessment):
    items = [{**answers()[0], "comment": "ok"}, {**answers()[1], "reason": "bad\u0000reason"}]
    response = await api.patch(_url(assessment), json={"responses": items}, headers=admin_headers)
    assert response.status_code == 422
    assert problem_fields(response) == ["responses[1].reason"]


def _questions():
    return [ref.question for ref in framework_index(load_framework(FRAMEWORK_ID, LATEST)).questions.values()]
