"""Evidence over HTTP: what a piece must say (422 naming the field), its filters, who sees its
links, coverage on a constructed case (expiry included), carry forward and tenancy."""

from __future__ import annotations

from datetime import timedelta

import pytest

from framework_model import framework_index, load_framework
from tests.api.collaboration.support import add_evidence, draft, evidence_body, scored, today
from tests.api.test_assessments_support import (
    FRAMEWORK_ID,
    LATEST,
    answer,
    highest,
    lowest,
    problem_fields,
    question_ids,
)

QUESTIONS = question_ids(LATEST)


@pytest.fixture
async def organisation(make_organisation):
    return await make_organisation("RX1")


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"url": "http://intranet.example.nhs.uk/a.pdf"}, ["url"]),
        ({"url": "https://"}, ["url"]),
        ({"url": None}, ["url", "reference"]),
        ({"question_ids": ["no-such-question"]}, ["question_ids[0]"]),
        ({"expires_on": "2025-12-31"}, ["expires_on"]),
        ({"title": ""}, ["title"]),
        ({"question_ids": []}, ["question_ids"]),
    ],
)
async def test_a_bad_piece_is_422_naming_the_field_and_stores_nothing(
    api, admin_headers, organisation, change, fields
):
    assessment_id = await draft(api, admin_headers, organisation["id"])
    url = f"/v1/assessments/{assessment_id}/evidence"
    response = await api.post(url, json=evidence_body(QUESTIONS[0]) | change, headers=admin_headers)
    assert response.status_code == 422, response.text
    assert problem_fields(response) == fields
    assert (await api.get(url, headers=admin_headers)).json()["items"] == []


async def test_a_reference_alone_will_do_and_patch_keeps_the_rules(api, admin_headers, organisation):
    assessment_id = await draft(api, admin_headers, organisation["id"])
    created = await add_evidence(
        api, admin_headers, assessment_id, QUESTIONS[0], QUESTIONS[0], url=None, reference="QMS-0142"
    )
    assert created.status_code == 201, created.text
    piece = created.json()
    assert created.headers["location"] == f"/v1/assessments/{assessment_id}/evidence/{piece['id']}"
    assert (piece["reference"], piece["question_ids"], piece["redacted"]) == (
        "QMS-0142",
        [QUESTIONS[0]],
        False,
    )
    url = f"/v1/assessments/{assessment_id}/evidence/{piece['id']}"
    cleared = await api.patch(url, json={"reference": None}, headers=admin_headers)
    assert (cleared.status_code, problem_fields(cleared)) == (422, ["url", "reference"])
    early = await api.patch(url, json={"expires_on": "2025-01-01"}, headers=admin_headers)
    assert (early.status_code, problem_fields(early)) == (422, ["expires_on"])
    changed = await api.patch(
        url, json={"title": "Safety case v2", "question_ids": QUESTIONS[:2]}, headers=admin_headers
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["title"], changed.json()["question_ids"]) == ("Safety case v2", QUESTIONS[:2])
    assert (await api.delete(url, headers=admin_headers)).status_code == 204
    assert (await api.delete(url, headers=admin_headers)).status_code == 404


async def test_filters_by_question_and_expiry(api, admin_headers, organisation):
    assessment_id = await draft(api, admin_headers, organisation["id"])
    yesterday = (today() - timedelta(days=1)).isoformat()
    current = (await add_evidence(api, admin_headers, assessment_id, QUESTIONS[0], QUESTIONS[1])).json()
    old = (await add_evidence(api, admin_headers, assessment_id, QUESTIONS[1], expires_on=yesterday)).json()
    url = f"/v1/assessments/{assessment_id}/evidence"

    async def ids(**params: str) -> list[str]:
        response = await api.get(url, params=params, headers=admin_headers)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert await ids() == [current["id"], old["id"]]
    assert await ids(question_id=QUESTIONS[0]) == [current["id"]]
    assert await ids(question_id=QUESTIONS[1]) == [current["id"], old["id"]]
    assert await ids(expired="true") == [old["id"]]
    assert await ids(expired="false") == [current["id"]]
    first = (await api.get(url, params={"limit": 1}, headers=admin_headers)).json()
    second = (
        await api.get(url, params={"limit": 1, "cursor": first["next_cursor"]}, headers=admin_headers)
    ).json()
    assert [first["items"][0]["id"], second["items"][0]["id"], second["next_cursor"]] == [
        current["id"],
        old["id"],
        None,
    ]


async def test_a_read_principal_sees_links_redacted(api, admin_headers, make_headers, organisation):
    assessment_id = await draft(api, admin_headers, organisation["id"])
    await add_evidence(api, admin_headers, assessment_id, QUESTIONS[0], reference="QMS-1")
    url = f"/v1/assessments/{assessment_id}/evidence"
    reader = await make_headers("read")
    [seen] = (await api.get(url, headers=reader)).json()["items"]
    assert (seen["url"], seen["reference"], seen["redacted"]) == (None, None, True)
    approver = await make_headers("read", "approve")
    [shown] = (await api.get(url, headers=approver)).json()["items"]
    assert (shown["reference"], shown["redacted"]) == ("QMS-1", False)
    assert shown["url"].startswith("https://")


def _expected_claimed(items: list[dict]) -> list[str]:
    """The questions whose answer scores at least 0.5, worked out from the framework."""
    questions = framework_index(load_framework(FRAMEWORK_ID, LATEST)).questions
    claimed = []
    for item in items:
        scores = {o.option_id: o.score for o in questions[item["question_id"]].question.options}
        if scores[item["value"]] >= 0.5:
            claimed.append(item["question_id"])
    return claimed


async def test_coverage_on_a_constructed_case(api, admin_headers, organisation):
    """Four answers: three at the top option (scoring 1), one at the bottom (0, not counted).
    q1 has evidence; q2 only evidence that expired yesterday; q3 evidence that expires today
    (still valid today). Coverage 2/3; q2 unevidenced; one piece expired."""
    framework = framework_index(load_framework(FRAMEWORK_ID, LATEST)).questions
    q1, q2, q3, q4 = QUESTIONS[:4]
    items = [{"question_id": q, "value": highest(framework[q].question)} for q in (q1, q2, q3)]
    items.append({"question_id": q4, "value": lowest(framework[q4].question)})
    assert _expected_claimed(items) == [q1, q2, q3]
    assessment_id = await draft(api, admin_headers, organisation["id"])
    summary_url = f"/v1/assessments/{assessment_id}/evidence/summary"
    empty = (await api.get(summary_url, headers=admin_headers)).json()
    assert (empty["coverage"], empty["unevidenced"], empty["expired"]) == (None, [], [])
    await answer(api, admin_headers, assessment_id, items)
    await add_evidence(api, admin_headers, assessment_id, q1)
    yesterday, day = today() - timedelta(days=1), today()
    old = (await add_evidence(api, admin_headers, assessment_id, q2, expires_on=yesterday.isoformat())).json()
    await add_evidence(api, admin_headers, assessment_id, q3, q4, expires_on=day.isoformat())
    summary = (await api.get(summary_url, headers=admin_headers)).json()
    assert summary == {
        "coverage": round(2 / 3, 4),
        "unevidenced": [q2],
        "expired": [old["id"]],
        "as_of": day.isoformat(),
    }


async def test_evidence_comes_along_when_carried_forward(api, admin_headers, organisation):
    source = await scored(api, admin_headers, organisation["id"])
    await add_evidence(api, admin_headers, source, QUESTIONS[0], QUESTIONS[1])
    body = {"framework_id": FRAMEWORK_ID, "carry_forward_from": source}
    created = await api.post(
        f"/v1/organisations/{organisation['id']}/assessments", json=body, headers=admin_headers
    )
    assert created.status_code == 201, created.text
    carried = (
        await api.get(f"/v1/assessments/{created.json()['id']}/evidence", headers=admin_headers)
    ).json()
    [piece] = carried["items"]
    assert (piece["title"], piece["question_ids"]) == ("Clinical safety case", QUESTIONS[:2])
    assert piece["assessment_id"] == created.json()["id"]
    source_pieces = (await api.get(f"/v1/assessments/{source}/evidence", headers=admin_headers)).json()[
        "items"
    ]
    assert [p["id"] for p in source_pieces] != [piece["id"]]  # a copy: the source keeps its own


async def test_another_organisations_key_gets_404(
    api, admin_headers, make_headers, make_organisation, organisation
):
    other = await make_organisation("RX2")
    assessment_id = await draft(api, admin_headers, organisation["id"])
    piece = (await add_evidence(api, admin_headers, assessment_id, QUESTIONS[0])).json()
    outsider = await make_headers("read", "write", organisation_ids=[other["id"]])
    base = f"/v1/assessments/{assessment_id}/evidence"
    for response in [
        await api.get(base, headers=outsider),
        await api.get(f"{base}/summary", headers=outsider),
        await api.post(base, json=evidence_body(QUESTIONS[0]), headers=outsider),
        await api.patch(f"{base}/{piece['id']}", json={"title": "x"}, headers=outsider),
        await api.delete(f"{base}/{piece['id']}", headers=outsider),
    ]:
        assert response.status_code == 404, response.text
