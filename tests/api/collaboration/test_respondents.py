"""Respondents over HTTP: each answers a draft independently, their agreement comes from the real
scoring service, ``apply`` fills the agreed answers, and submit stores the confidence."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import text

from framework_model import Question, framework_index, load_framework
from tests.api.test_assessments_support import (
    FRAMEWORK_ID,
    LATEST,
    answers,
    create_assessment,
    highest,
    lowest,
    middle,
    problem_fields,
    submit,
)

QUESTIONS = framework_index(load_framework(FRAMEWORK_ID, LATEST)).questions


def _score(question: Question, option_id: str) -> float:
    return next(option.score for option in question.options if option.option_id == option_id)


def _spread(question: Question) -> float:
    return _score(question, highest(question)) - _score(question, lowest(question))


@pytest.fixture
async def organisation(make_organisation):
    return await make_organisation("RX1")


@pytest.fixture
async def assessment(api, admin_headers, organisation):
    return await create_assessment(api, admin_headers, organisation["id"])


def _url(assessment: dict, path: str = "") -> str:
    return f"/v1/assessments/{assessment['id']}{path}"


async def add(api: httpx.AsyncClient, headers: dict, assessment: dict, **body: str) -> dict:
    body = {"name": "Dr Priya Shah", "role": "clinical", **body}
    response = await api.post(_url(assessment, "/respondents"), json=body, headers=headers)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == _url(assessment, f"/respondents/{response.json()['id']}")
    return response.json()


async def answer_as(
    api: httpx.AsyncClient, headers: dict, assessment: dict, respondent: dict, items: list
) -> None:
    url = _url(assessment, f"/respondents/{respondent['id']}/responses")
    response = await api.patch(url, json={"responses": items}, headers=headers)
    assert response.status_code == 200, response.text
    assert [item["question_id"] for item in response.json()["items"]] == [
        item["question_id"] for item in items
    ]


async def three_respondents(api, headers, assessment) -> list[dict]:
    """Three respondents answering every question: lowest, middle and highest option."""
    people = [
        await add(api, headers, assessment, name="A", role="clinical", email="a@nhs.net"),
        await add(api, headers, assessment, name="B", role="digital"),
        await add(api, headers, assessment, name="C", role="finance"),
    ]
    for person, pick in zip(people, [lowest, middle, highest], strict=True):
        await answer_as(api, headers, assessment, person, answers(LATEST, pick))
    return people


async def test_three_respondents_apply_and_submit(api, admin_headers, make_headers, assessment):
    people = await three_respondents(api, admin_headers, assessment)
    listed = (await api.get(_url(assessment, "/respondents"), headers=admin_headers)).json()["items"]
    assert [(p["name"], p["role"], p["email"]) for p in listed] == [
        ("A", "clinical", "a@nhs.net"),
        ("B", "digital", None),
        ("C", "finance", None),
    ]
    found = await api.get(_url(assessment, "/agreement"), headers=admin_headers)
    assert found.status_code == 200, found.text
    agreement = found.json()
    expected = round(1 - sum(_spread(ref.question) for ref in QUESTIONS.values()) / len(QUESTIONS), 4)
    assert (agreement["confidence"], agreement["questions_compared"]) == (
        pytest.approx(expected),
        len(QUESTIONS),
    )
    assert [p["name"] for p in agreement["roster"]] == ["A", "B", "C"]
    first = agreement["questions"][0]
    question = QUESTIONS[first["question_id"]].question
    assert [a["respondent_id"] for a in first["answers"]] == [p["id"] for p in people]
    assert (first["suggested_value"], first["lowest_value"]) == (middle(question), lowest(question))
    assert (first["agreed_value"], first["spread"]) == (None, pytest.approx(_spread(question)))

    applied = await api.post(
        _url(assessment, "/agreement/apply"), json={"strategy": "median"}, headers=admin_headers
    )
    assert applied.status_code == 200, applied.text
    items = applied.json()["items"]
    assert [item["value"] for item in items] == [a["value"] for a in answers(LATEST, middle)]
    assert all("median" in item["comment"] for item in items)
    again = (await api.get(_url(assessment, "/agreement"), headers=admin_headers)).json()
    assert again["questions"][0]["agreed_value"] == middle(question)

    submitted = await submit(api, admin_headers, assessment["id"])
    assert submitted.status_code == 200, submitted.text
    stored = (await api.get(_url(assessment, "/result"), headers=await make_headers("read"))).json()
    assert stored["agreement"]["confidence"] == pytest.approx(expected)
    assert stored["agreement"]["respondents"] == 3
    assert stored["agreement"]["questions"] == []  # confidences only, never who said what
    assert {p["pillar_id"] for p in stored["agreement"]["pillars"]} == {
        p["pillar_id"] for p in stored["pillars"]
    }
    report = await api.get(_url(assessment, "/report"), headers=await make_headers("read"))
    assert report.status_code == 200, report.text
    assert "<dd>3: 1 clinical, 1 digital, 1 finance</dd>" in report.text  # roles, never names
    assert "Overall confidence (agreement among respondents):" in report.text
    assert f"over {len(QUESTIONS)} questions compared" in report.text


async def test_apply_lowest_only_where_unanswered(api, admin_headers, assessment):
    await three_respondents(api, admin_headers, assessment)
    kept = answers(LATEST, highest)[:1]
    await api.patch(_url(assessment, "/responses"), json={"responses": kept}, headers=admin_headers)
    etag = (await api.get(_url(assessment), headers=admin_headers)).headers["etag"]
    body = {"strategy": "lowest", "only_unanswered": True}
    applied = await api.post(
        _url(assessment, "/agreement/apply"), json=body, headers={**admin_headers, "If-Match": etag}
    )
    assert applied.status_code == 200, applied.text
    assert applied.headers["etag"] != etag
    items = applied.json()["items"]
    assert (items[0]["value"], items[0]["comment"]) == (kept[0]["value"], None)
    assert [item["value"] for item in items[1:]] == [a["value"] for a in answers(LATEST, lowest)[1:]]
    assert all("lowest" in item["comment"] for item in items[1:])
    stale = await api.post(
        _url(assessment, "/agreement/apply"), json=body, headers={**admin_headers, "If-Match": etag}
    )
    assert stale.status_code == 412, stale.text


async def test_one_respondent_is_not_sent_to_scoring_on_submit(api, admin_headers, assessment):
    alone = await add(api, admin_headers, assessment)
    await answer_as(api, admin_headers, assessment, alone, answers(LATEST, lowest))
    await api.patch(_url(assessment, "/responses"), json={"responses": answers()}, headers=admin_headers)
    submitted = await submit(api, admin_headers, assessment["id"])
    assert submitted.status_code == 200, submitted.text
    assert "agreement" not in submitted.json()["result"]


async def test_a_read_token_sees_figures_without_names_or_answers(
    api, admin_headers, make_headers, assessment
):
    people = await three_respondents(api, admin_headers, assessment)
    reader = await make_headers("read")
    listed = (await api.get(_url(assessment, "/respondents"), headers=reader)).json()["items"]
    assert [(p["name"], p["email"], p["role"]) for p in listed] == [
        (None, None, "clinical"),
        (None, None, "digital"),
        (None, None, "finance"),
    ]
    agreement = (await api.get(_url(assessment, "/agreement"), headers=reader)).json()
    assert agreement["confidence"] is not None
    assert all(q["answers"] is None for q in agreement["questions"])
    assert [p["name"] for p in agreement["roster"]] == [None, None, None]
    own = await api.get(_url(assessment, f"/respondents/{people[0]['id']}/responses"), headers=reader)
    assert own.status_code == 403, own.text
    writer = await make_headers("read", "write")
    own = await api.get(_url(assessment, f"/respondents/{people[0]['id']}/responses"), headers=writer)
    assert [item["value"] for item in own.json()["items"]] == [a["value"] for a in answers(LATEST, lowest)]


async def test_deleting_a_respondent_deletes_their_answers(api, admin_headers, assessment, sessions):
    people = await three_respondents(api, admin_headers, assessment)
    deleted = await api.delete(_url(assessment, f"/respondents/{people[0]['id']}"), headers=admin_headers)
    assert deleted.status_code == 204, deleted.text
    listed = (await api.get(_url(assessment, "/respondents"), headers=admin_headers)).json()["items"]
    assert [p["name"] for p in listed] == ["B", "C"]
    gone = await api.get(_url(assessment, f"/respondents/{people[0]['id']}/responses"), headers=admin_headers)
    assert gone.status_code == 404
    async with sessions() as session:
        left = await session.scalar(
            text("SELECT count(*) FROM respondent_responses WHERE respondent_id = :id"),
            {"id": people[0]["id"]},
        )
        audit = (
            await session.execute(
                text("SELECT action, target, detail FROM audit_events WHERE assessment_id = :id ORDER BY id"),
                {"id": assessment["id"]},
            )
        ).all()
    assert left == 0
    audit = [row for row in audit if row.action.startswith("respondent.")]
    actions = [row.action for row in audit]
    assert actions == ["respondent.added"] * 3 + ["respondent.answered"] * 3 + ["respondent.deleted"]
    assert audit[-1].target == people[0]["id"]
    assert audit[-1].detail == {"role": "clinical", "answers": len(QUESTIONS)}
    assert all("nhs.net" not in str(row.detail) and "Priya" not in str(row.detail) for row in audit)


async def test_respondents_answers_are_checked_all_or_nothing(api, admin_headers, assessment):
    person = await add(api, admin_headers, assessment)
    items = answers()[:3]
    items[1] = {**items[1], "value": "not-an-option"}
    items[2] = {**items[2], "question_id": "no-such-question"}
    url = _url(assessment, f"/respondents/{person['id']}/responses")
    refused = await api.patch(url, json={"responses": items}, headers=admin_headers)
    assert refused.status_code == 422
    assert problem_fields(refused) == ["responses[1].value", "responses[2].question_id"]
    assert (await api.get(url, headers=admin_headers)).json()["items"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "X", "role": "surgeon"}, "role"),
        ({"role": "clinical"}, "name"),
        ({"name": "X", "role": "clinical", "email": "not an email"}, "email"),
        ({"name": "X", "role": "clinical", "colour": "blue"}, "colour"),
    ],
)
async def test_a_bad_respondent_is_refused(api, admin_headers, assessment, body, field):
    refused = await api.post(_url(assessment, "/respondents"), json=body, headers=admin_headers)
    assert refused.status_code == 422
    assert [f.rsplit(".", 1)[-1] for f in problem_fields(refused)] == [field]


async def test_at_most_fifty_respondents(api, admin_headers, assessment):
    for i in range(50):
        await add(api, admin_headers, assessment, name=f"Person {i}")
    refused = await api.post(
        _url(assessment, "/respondents"), json={"name": "51", "role": "other"}, headers=admin_headers
    )
    assert refused.status_code == 422
    assert problem_fields(refused) == ["respondents"]


async def test_unknown_respondents_are_404(api, admin_headers, assessment, make_organisation):
    other = await create_assessment(api, admin_headers, (await make_organisation("RX2"))["id"])
    stranger = await add(api, admin_headers, other)
    person = _url(assessment, f"/respondents/{stranger['id']}")
    assert (await api.delete(person, headers=admin_headers)).status_code == 404
    assert (await api.get(f"{person}/responses", headers=admin_headers)).status_code == 404
    patch = await api.patch(
        _url(assessment, f"/respondents/{stranger['id']}/responses"),
        json={"responses": answers()[:1]},
        headers=admin_headers,
    )
    assert patch.status_code == 404


async def test_nothing_changes_once_submitted(api, admin_headers, assessment):
    people = await three_respondents(api, admin_headers, assessment)
    await api.post(_url(assessment, "/agreement/apply"), json={"strategy": "median"}, headers=admin_headers)
    assert (await submit(api, admin_headers, assessment["id"])).status_code == 200
    person = _url(assessment, f"/respondents/{people[0]['id']}")
    refusals = [
        await api.post(
            _url(assessment, "/respondents"), json={"name": "D", "role": "other"}, headers=admin_headers
        ),
        await api.delete(person, headers=admin_headers),
        await api.patch(f"{person}/responses", json={"responses": answers()[:1]}, headers=admin_headers),
        await api.post(
            _url(assessment, "/agreement/apply"), json={"strategy": "lowest"}, headers=admin_headers
        ),
        await api.post(
            _url(assessment, "/agreement/apply"),
            json={"strategy": "lowest", "only_unanswered": True},
            headers=admin_headers,
        ),
    ]
    assert [r.status_code for r in refusals] == [409] * 5
    assert len((await api.get(_url(assessment, "/respondents"), headers=admin_headers)).json()["items"]) == 3


async def test_another_organisations_token_gets_404_everywhere(
    api, admin_headers, make_headers, assessment, make_organisation
):
    people = await three_respondents(api, admin_headers, assessment)
    elsewhere = await make_organisation("RX9")
    outsider = await make_headers("read", "write", organisation_ids=[elsewhere["id"]])
    person = _url(assessment, f"/respondents/{people[0]['id']}")
    calls = [
        api.post(_url(assessment, "/respondents"), json={"name": "D", "role": "other"}, headers=outsider),
        api.get(_url(assessment, "/respondents"), headers=outsider),
        api.delete(person, headers=outsider),
        api.patch(f"{person}/responses", json={"responses": answers()[:1]}, headers=outsider),
        api.get(f"{person}/responses", headers=outsider),
        api.get(_url(assessment, "/agreement"), headers=outsider),
        api.post(_url(assessment, "/agreement/apply"), json={"strategy": "median"}, headers=outsider),
    ]
    assert [(await call).status_code for call in calls] == [404] * len(calls)


async def test_respondent_changes_move_the_etag_and_honour_if_match(api, admin_headers, assessment):
    etag = (await api.get(_url(assessment), headers=admin_headers)).headers["etag"]
    created = await api.post(
        _url(assessment, "/respondents"),
        json={"name": "A", "role": "other"},
        headers={**admin_headers, "If-Match": etag},
    )
    assert created.status_code == 201, created.text
    assert created.headers["etag"] != etag
    url = _url(assessment, f"/respondents/{created.json()['id']}/responses")
    stale = await api.patch(
        url, json={"responses": answers()[:1]}, headers={**admin_headers, "If-Match": etag}
    )
    assert stale.status_code == 412, stale.text
    assert (await api.get(url, headers=admin_headers)).json()["items"] == []
    fresh = await api.patch(
        url, json={"responses": answers()[:1]}, headers={**admin_headers, "If-Match": created.headers["etag"]}
    )
    assert fresh.status_code == 200, fresh.text


async def test_erasure_replaces_a_respondent_and_keeps_the_agreement(
    api, admin_headers, assessment, organisation
):
    people = await three_respondents(api, admin_headers, assessment)
    before = (await api.get(_url(assessment, "/agreement"), headers=admin_headers)).json()
    url = f"/v1/organisations/{organisation['id']}/personal-data/erase"
    erased = await api.post(url, json={"email": "A@nhs.net"}, headers=admin_headers)
    assert erased.status_code == 200, erased.text
    assert erased.json()["changed"]["respondents"] == 1
    listed = (await api.get(_url(assessment, "/respondents"), headers=admin_headers)).json()["items"]
    assert listed[0]["id"] == people[0]["id"]
    assert listed[0]["email"].endswith("@erased.invalid")
    after = (await api.get(_url(assessment, "/agreement"), headers=admin_headers)).json()
    assert (after["confidence"], after["pillars"]) == (before["confidence"], before["pillars"])
