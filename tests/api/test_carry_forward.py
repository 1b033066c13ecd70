"""Carry forward over HTTP: the next assessment starts from the last one's answers, mapped through
the crosswalk, each marked ``carried`` until answered again, with what could not be carried.

Every (older, latest) pair of versions the catalogue joins with a crosswalk is covered, so the
tests follow the latest version as it is published. Expectations are worked out from the
crosswalk itself (``crosswalk_routes``), not from the code under test.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framework_model import (
    Framework,
    Question,
    default_catalogue,
    framework_index,
    has_profile,
    load_framework,
)
from tests.api.test_assessments_support import (
    FRAMEWORK_ID,
    answer,
    insert_assessment_row,
    problem_fields,
    submit,
)
from tests.framework_model.support import Route, crosswalk_routes

VERSIONS = [f.version for f in default_catalogue().versions(FRAMEWORK_ID)]
LATEST = VERSIONS[-1]
PAIRS = [old for old in VERSIONS[:-1] if old in load_framework(FRAMEWORK_ID, LATEST).crosswalk]
Item = dict[str, Any]


def _framework(version: str) -> Framework:
    return load_framework(FRAMEWORK_ID, version)


def random_answers(framework: Framework, rng: random.Random) -> list[Item]:
    """Every question answered (so the assessment can be scored): an option at random, or not
    applicable now and then where allowed; each with a comment naming it."""
    items = []
    for question_id, ref in framework_index(framework).questions.items():
        item: Item = {"question_id": question_id, "comment": f"evidence for {question_id}"}
        if ref.question.allow_na and rng.random() < 0.2:
            item |= {"value": None, "not_applicable": True, "reason": f"n/a: {question_id}"}
        else:
            item["value"] = rng.choice(ref.question.options).option_id
        items.append(item)
    return items


async def _organisation(api: httpx.AsyncClient, headers: dict[str, str]) -> str:
    body = {"ods_code": f"T{uuid.uuid4().hex[:8].upper()}", "name": "Trust", "kind": "trust"}
    response = await api.post("/v1/organisations", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _new(
    api: httpx.AsyncClient, headers: dict[str, str], organisation_id: str, **body: Any
) -> httpx.Response:
    url = f"/v1/organisations/{organisation_id}/assessments"
    return await api.post(url, json={"framework_id": FRAMEWORK_ID, **body}, headers=headers)


async def _scored(
    api: httpx.AsyncClient, headers: dict[str, str], organisation_id: str, version: str, items: list[Item]
) -> str:
    created = await _new(api, headers, organisation_id, framework_version=version)
    assert created.status_code == 201, created.text
    await answer(api, headers, created.json()["id"], items)
    submitted = await submit(api, headers, created.json()["id"])
    assert submitted.status_code == 200, submitted.text
    return str(created.json()["id"])


async def _responses(api: httpx.AsyncClient, headers: dict[str, str], assessment_id: str) -> dict[str, Item]:
    response = await api.get(f"/v1/assessments/{assessment_id}/responses", headers=headers)
    assert response.status_code == 200, response.text
    return {item["question_id"]: item for item in response.json()["items"]}


Expected = tuple[set[str] | None, list[str]]  # allowed options (None: not applicable), sources


def expected_carry(source: Framework, target: Framework, given: dict[str, Item]) -> tuple[dict, dict]:
    """From the crosswalk alone: each target question's carried answer (``Expected``), and each
    question not carried with its code."""
    routes_to: dict[str, list[Route]] = defaultdict(list)
    for route in crosswalk_routes(source, target):
        routes_to[route[1]].append(route)
    routed = {route[0] for routes in routes_to.values() for route in routes}
    not_carried = {qid: "dropped" for qid in given if qid not in routed}
    carried: dict[str, Expected] = {}
    questions = framework_index(target).questions
    for to, routes in routes_to.items():
        answered = [given[route[0]] for route in routes if route[0] in given]
        if not answered:
            continue
        if len(answered) < len(routes):
            not_carried[to] = "source-unanswered"
            continue
        outcome = _expected_one(questions[to].question, routes, answered)
        if isinstance(outcome, str):
            not_carried[to] = outcome
        else:
            carried[to] = (outcome, [route[0] for route in routes])
    return carried, not_carried


def _expected_one(question: Question, routes: list[Route], answered: list[Item]) -> set[str] | str | None:
    """The allowed carried options (None: not applicable), or the code of why it is not carried."""
    if any(item.get("not_applicable") for item in answered):
        all_na = all(item.get("not_applicable") for item in answered)
        return None if all_na and question.allow_na else "not-applicable"
    mapped = [route[2][item["value"]] for route, item in zip(routes, answered, strict=True)]
    if None in mapped:
        return "no-counterpart"
    scores = {option.option_id: option.score for option in question.options}
    lowest = min(scores[option] for option in mapped)
    return {option for option in mapped if scores[option] == lowest}


@pytest.mark.parametrize("old", PAIRS)
@pytest.mark.parametrize("seed", [1, 2])
async def test_carry_forward_to_the_latest_question_by_question(api, admin_headers, old, seed):
    source_framework, target = _framework(old), _framework(LATEST)
    organisation_id = await _organisation(api, admin_headers)
    items = random_answers(source_framework, random.Random(f"{old}-{seed}"))
    source_id = await _scored(api, admin_headers, organisation_id, old, items)

    created = await _new(api, admin_headers, organisation_id, carry_forward_from=source_id)
    assert created.status_code == 201, created.text
    draft = created.json()
    given = {item["question_id"]: item for item in items}
    carried, not_carried = expected_carry(source_framework, target, given)
    assert (draft["framework_version"], draft["status"], draft["carried_forward_from"]) == (
        LATEST,
        "draft",
        source_id,
    )
    assert draft["carried"] == len(carried)
    assert {n["question_id"]: n["code"] for n in draft["not_carried"]} == not_carried
    assert all(n["reason"] for n in draft["not_carried"])

    stored = await _responses(api, admin_headers, draft["id"])
    assert set(stored) == set(carried)
    for question_id, (options, sources) in carried.items():
        response = stored[question_id]
        assert response["carried"] is True
        if options is None:
            assert (response["value"], response["not_applicable"]) == (None, True)
        else:
            assert response["value"] in options, question_id
        only: Item = given[sources[0]] if len(sources) == 1 else {}
        assert response["comment"] == only.get("comment")
        assert response["reason"] == (only.get("reason") if options is None else None)


async def test_submit_waits_until_every_carried_answer_is_confirmed(api, admin_headers):
    organisation_id = await _organisation(api, admin_headers)
    source_framework = _framework(PAIRS[-1])
    items = random_answers(source_framework, random.Random(7))
    source_id = await _scored(api, admin_headers, organisation_id, PAIRS[-1], items)
    draft = (await _new(api, admin_headers, organisation_id, carry_forward_from=source_id)).json()
    stored = await _responses(api, admin_headers, draft["id"])
    questions = list(framework_index(_framework(LATEST)).questions)

    refused = await submit(api, admin_headers, draft["id"])
    assert refused.status_code == 422
    assert problem_fields(refused) == [f"responses.{qid}" for qid in questions]  # carried or unanswered

    confirmed_id, confirmed = next(iter(stored.items()))
    same = {k: confirmed[k] for k in ("value", "not_applicable", "reason", "comment")}
    put = await api.put(
        f"/v1/assessments/{draft['id']}/responses/{confirmed_id}", json=same, headers=admin_headers
    )
    assert put.status_code == 200, put.text
    assert put.json()["carried"] is False
    assert put.json()["value"] == confirmed["value"]
    after = await _responses(api, admin_headers, draft["id"])
    assert [qid for qid, r in after.items() if r["carried"]] == [qid for qid in stored if qid != confirmed_id]
    refused = await submit(api, admin_headers, draft["id"])
    assert f"responses.{confirmed_id}" not in problem_fields(refused)

    fresh = random_answers(_framework(LATEST), random.Random(8))
    await answer(api, admin_headers, draft["id"], fresh)  # a PATCH confirms every answer it sends
    assert not any(r["carried"] for r in (await _responses(api, admin_headers, draft["id"])).values())
    assert (await submit(api, admin_headers, draft["id"])).status_code == 200


@settings(
    max_examples=4,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
async def test_carrying_forward_then_answering_everything_scores_as_a_fresh_draft(api, admin_headers, data):
    old = data.draw(st.sampled_from(PAIRS), label="old")
    seeds = data.draw(st.tuples(st.integers(0, 10**6), st.integers(0, 10**6)), label="seeds")
    organisation_id = await _organisation(api, admin_headers)
    source_id = await _scored(
        api, admin_headers, organisation_id, old, random_answers(_framework(old), random.Random(seeds[0]))
    )
    now = random_answers(_framework(LATEST), random.Random(seeds[1]))

    carried = (await _new(api, admin_headers, organisation_id, carry_forward_from=source_id)).json()
    await answer(api, admin_headers, carried["id"], now)
    fresh = (await _new(api, admin_headers, organisation_id)).json()
    await answer(api, admin_headers, fresh["id"], now)
    results = [(await submit(api, admin_headers, a["id"])).json()["result"] for a in (carried, fresh)]
    assert results[0] == results[1]


async def test_the_same_version_carries_every_answer(api, admin_headers):
    organisation_id = await _organisation(api, admin_headers)
    items = random_answers(_framework(LATEST), random.Random(3))
    source_id = await _scored(api, admin_headers, organisation_id, LATEST, items)
    body = {"carry_forward_from": source_id, "framework_version": LATEST, "targets": {"operating-model": 5}}
    draft = (await _new(api, admin_headers, organisation_id, **body)).json()
    assert (draft["carried"], draft["not_carried"]) == (len(items), [])
    assert draft["targets"]["operating-model"] == 5
    stored = await _responses(api, admin_headers, draft["id"])
    for item in items:
        assert stored[item["question_id"]]["value"] == item.get("value")
        assert stored[item["question_id"]]["comment"] == item["comment"]


async def test_bad_carry_forward_is_422_naming_the_field_and_changes_nothing(
    api, admin_headers, make_headers, sessions
):
    ours, theirs = await _organisation(api, admin_headers), await _organisation(api, admin_headers)
    items = random_answers(_framework(LATEST), random.Random(4))
    scored = await _scored(api, admin_headers, ours, LATEST, items)
    their_scored = await _scored(api, admin_headers, theirs, LATEST, items)
    draft = (await _new(api, admin_headers, ours, framework_version=LATEST)).json()["id"]
    other_framework = await insert_assessment_row(sessions, ours, framework_id="another-framework")
    limited = await make_headers("read", "write", organisation_ids=[ours])
    cases = [
        (admin_headers, {"carry_forward_from": draft}, "carry_forward_from"),
        (admin_headers, {"carry_forward_from": their_scored}, "carry_forward_from"),
        (limited, {"carry_forward_from": their_scored}, "carry_forward_from"),
        (admin_headers, {"carry_forward_from": str(uuid.uuid4())}, "carry_forward_from"),
        (admin_headers, {"carry_forward_from": other_framework}, "carry_forward_from"),
        (admin_headers, {"carry_forward_from": "not-a-uuid"}, "carry_forward_from"),
        (admin_headers, {"carry_forward_from": scored, "framework_version": "9.9.9"}, "framework_version"),
        (
            admin_headers,
            {"carry_forward_from": scored, "targets": {"no-such-pillar": 3}},
            "targets.no-such-pillar",
        ),
    ]
    if VERSIONS.index(LATEST) > 0:  # answers never carry back to an earlier version
        cases.append(
            (
                admin_headers,
                {"carry_forward_from": scored, "framework_version": VERSIONS[0]},
                "framework_version",
            )
        )
    before = await api.get(f"/v1/organisations/{ours}/assessments", headers=admin_headers)
    for headers, body, field in cases:
        response = await _new(api, headers, ours, **body)
        assert response.status_code == 422, (body, response.text)
        assert problem_fields(response) == [field], body
    after = await api.get(f"/v1/organisations/{ours}/assessments", headers=admin_headers)
    assert after.json() == before.json()


async def test_another_organisations_token_cannot_carry_forward_into_it(api, admin_headers, make_headers):
    ours, theirs = await _organisation(api, admin_headers), await _organisation(api, admin_headers)
    scored = await _scored(
        api, admin_headers, ours, LATEST, random_answers(_framework(LATEST), random.Random(5))
    )
    other = await make_headers("read", "write", organisation_ids=[theirs])
    response = await _new(api, other, ours, carry_forward_from=scored)
    assert response.status_code == 404


QUICK = has_profile(_framework(LATEST), "quick")


@pytest.mark.skipif(not QUICK, reason="the latest version marks no lead questions")
async def test_a_quick_draft_carries_and_lists_only_its_lead_questions(api, admin_headers):
    old, target = PAIRS[-1], _framework(LATEST)
    organisation_id = await _organisation(api, admin_headers)
    items = random_answers(_framework(old), random.Random(9))
    source_id = await _scored(api, admin_headers, organisation_id, old, items)
    created = await _new(api, admin_headers, organisation_id, carry_forward_from=source_id, profile="quick")
    assert created.status_code == 201, created.text
    draft = created.json()
    leads = {qid for qid, ref in framework_index(target).questions.items() if ref.question.lead}
    carried, not_carried = expected_carry(_framework(old), target, {i["question_id"]: i for i in items})
    assert draft["profile"] == "quick"
    assert draft["carried"] == len(carried.keys() & leads)
    expected = {qid: code for qid, code in not_carried.items() if qid in leads or code == "dropped"}
    assert {n["question_id"]: n["code"] for n in draft["not_carried"]} == expected
    stored = await _responses(api, admin_headers, draft["id"])
    assert set(stored) == carried.keys() & leads
    confirm = [
        {"question_id": qid, "value": r["value"], "not_applicable": r["not_applicable"]}
        for qid, r in stored.items()
    ]
    rest = [i for i in random_answers(target, random.Random(10)) if i["question_id"] in leads - set(stored)]
    await answer(api, admin_headers, draft["id"], confirm + rest)
    submitted = await submit(api, admin_headers, draft["id"])
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["result"]["profile"] == "quick"
