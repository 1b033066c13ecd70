"""POST /v1/ingest/fhir/QuestionnaireResponse on a real PostgreSQL, with a real scoring service.

Every response sent is built from the Questionnaire the API itself serves and checked with
``fhir.resources`` (R4B models) before it is sent; every OperationOutcome that comes back is
checked with them too. What the endpoint did is read back through the REST API.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse,
    QuestionnaireResponseItem,
    QuestionnaireResponseItemAnswer,
)
from fhir.resources.R4B.reference import Reference

from baseline_api.app import create_app
from baseline_api.fhir.canonical import NOT_APPLICABLE_SYSTEM, ODS_SYSTEM, questionnaire_url
from baseline_devstack.processes import free_port
from tests.api.test_assessments_support import FRAMEWORK_ID, create_assessment

URL = "/v1/ingest/fhir/QuestionnaireResponse"
FHIR_JSON = "application/fhir+json"
PROBLEM_JSON = "application/problem+json"
IDENTIFIER = {"system": "https://trust.example/assessments", "value": "2026-q1"}
EXTERNAL_ID = "https://trust.example/assessments|2026-q1"
Json = dict[str, Any]
Pick = Callable[[Json], Json]


def first(item: Json) -> Json:
    return item["answerOption"][0]["valueCoding"]


def last(item: Json) -> Json:
    """The last option offered: "not applicable" where a question allows it."""
    return item["answerOption"][-1]["valueCoding"]


def walk(items: list[Json]) -> Iterator[Json]:
    for item in items:
        yield item
        yield from walk(item.get("item", []))


def question_ids(questionnaire: Json) -> list[str]:
    return [item["linkId"] for item in walk(questionnaire["item"]) if item["type"] == "choice"]


def _response_item(item: Json, pick: Pick, skip: frozenset[str]) -> QuestionnaireResponseItem | None:
    if item["type"] == "group":
        children = [c for c in (_response_item(i, pick, skip) for i in item["item"]) if c is not None]
        return QuestionnaireResponseItem(linkId=item["linkId"], item=children) if children else None
    if item["type"] != "choice" or item["linkId"] in skip:
        return None
    answer = QuestionnaireResponseItemAnswer(valueCoding=Coding.model_validate(pick(item)))
    return QuestionnaireResponseItem(linkId=item["linkId"], answer=[answer])


def build_response(
    questionnaire: Json,
    *,
    status: str = "in-progress",
    pick: Pick = first,
    skip: frozenset[str] = frozenset(),
    identifier: Json | None = None,
    ods_code: str = "RX1",
) -> Json:
    """A QuestionnaireResponse to ``questionnaire`` made with the FHIR models, as the JSON sent."""
    items = [_response_item(group, pick, skip) for group in questionnaire["item"]]
    resource = QuestionnaireResponse(
        status=status,
        questionnaire=f"{questionnaire['url']}|{questionnaire['version']}",
        subject=Reference(identifier=Identifier(system=ODS_SYSTEM, value=ods_code)),
        identifier=None if identifier is None else Identifier(**identifier),
        item=[item for item in items if item is not None],
    )
    return json.loads(resource.model_dump_json())


def expected_answers(body: Json) -> dict[str, tuple[str | None, bool]]:
    """question id -> (value, not_applicable), as the REST API should list them."""
    found = {}
    for item in walk(body["item"]):
        for answer in item.get("answer", []):
            coding = answer["valueCoding"]
            not_applicable = coding["system"] == NOT_APPLICABLE_SYSTEM
            found[item["linkId"]] = (None if not_applicable else coding["code"], not_applicable)
    return found


async def send(
    api: httpx.AsyncClient, headers: dict[str, str], body: Json, content_type: str = FHIR_JSON
) -> httpx.Response:
    QuestionnaireResponse.model_validate(body)  # only valid FHIR is sent (tests of bad input edit it after)
    return await post(api, headers, json.dumps(body).encode(), content_type)


async def post(
    api: httpx.AsyncClient, headers: dict[str, str], content: bytes, content_type: str = FHIR_JSON
) -> httpx.Response:
    return await api.post(URL, content=content, headers={**headers, "Content-Type": content_type})


def outcome(response: httpx.Response, status: int) -> OperationOutcome:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == FHIR_JSON
    return OperationOutcome.model_validate(response.json())


def expressions(parsed: OperationOutcome) -> list[str]:
    return [str(expression) for issue in parsed.issue for expression in issue.expression or []]


@pytest.fixture
async def organisation(make_organisation) -> Json:
    return await make_organisation("RX1")


@pytest.fixture
async def ingest(make_headers) -> dict[str, str]:
    return await make_headers("ingest")


@pytest.fixture
async def questionnaire(api, admin_headers) -> Json:
    response = await api.get(
        f"/v1/frameworks/{FRAMEWORK_ID}/versions/1.1.0/fhir/Questionnaire", headers=admin_headers
    )
    assert response.status_code == 200, response.text
    return response.json()


async def stored_answers(api, headers, assessment_id: str) -> dict[str, tuple[str | None, bool]]:
    response = await api.get(f"/v1/assessments/{assessment_id}/responses", headers=headers)
    assert response.status_code == 200, response.text
    return {r["question_id"]: (r["value"], r["not_applicable"]) for r in response.json()["items"]}


async def assessments_of(api, headers, organisation_id: str) -> list[Json]:
    response = await api.get(f"/v1/organisations/{organisation_id}/assessments", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


# --- drafts: created, updated, replaced ------------------------------------------------------------


@pytest.mark.parametrize("content_type", [FHIR_JSON, "application/json", f"{FHIR_JSON}; fhirVersion=4.0"])
async def test_an_in_progress_response_creates_a_draft(
    api, admin_headers, ingest, organisation, questionnaire, content_type
):
    ids = question_ids(questionnaire)
    body = build_response(questionnaire, skip=frozenset(ids[5:]), identifier=IDENTIFIER)
    response = await send(api, ingest, body, content_type)
    assert response.status_code == 201, response.text
    assert response.headers["content-type"] == "application/json"
    created = response.json()
    assert response.headers["location"] == f"/v1/assessments/{created['id']}"
    assert response.headers["etag"] == f'"{created["revision"]}"'
    assert (created["organisation_id"], created["framework_id"], created["framework_version"]) == (
        organisation["id"],
        FRAMEWORK_ID,
        "1.1.0",
    )
    assert (created["status"], created["external_id"], created["result"]) == ("draft", EXTERNAL_ID, None)
    assert await stored_answers(api, admin_headers, created["id"]) == expected_answers(body)
    assert len(expected_answers(body)) == 5


async def test_the_same_identifier_updates_and_replaces_the_answers(
    api, admin_headers, ingest, organisation, questionnaire
):
    ids = question_ids(questionnaire)
    first_body = build_response(questionnaire, skip=frozenset(ids[6:]), identifier=IDENTIFIER)
    created = (await send(api, ingest, first_body)).json()
    second_body = build_response(questionnaire, pick=last, skip=frozenset(ids[:3]), identifier=IDENTIFIER)
    response = await send(api, ingest, second_body)
    assert response.status_code == 200, response.text
    assert "location" not in response.headers
    updated = response.json()
    assert (updated["id"], updated["status"]) == (created["id"], "draft")
    assert updated["revision"] > created["revision"]
    stored = await stored_answers(api, admin_headers, created["id"])
    assert stored == expected_answers(second_body)  # ids[:3], answered before, are gone
    assert not set(ids[:3]) & set(stored)
    assert any(not_applicable for _, not_applicable in stored.values())
    assert len(await assessments_of(api, admin_headers, organisation["id"])) == 1


async def test_without_identifier_the_newest_unnamed_draft_is_updated(
    api, admin_headers, ingest, organisation, questionnaire
):
    named = (await send(api, ingest, build_response(questionnaire, identifier=IDENTIFIER))).json()
    older = await create_assessment(api, admin_headers, organisation["id"], framework_version="1.1.0")
    newer = await create_assessment(api, admin_headers, organisation["id"], framework_version="1.1.0")
    other_version = await create_assessment(api, admin_headers, organisation["id"], framework_version="1.0.0")
    body = build_response(questionnaire, pick=last)
    response = await send(api, ingest, body)
    assert response.status_code == 200, response.text
    assert (response.json()["id"], response.json()["external_id"]) == (newer["id"], None)
    assert await stored_answers(api, admin_headers, newer["id"]) == expected_answers(body)
    for untouched in (named, older, other_version):
        after = (await api.get(f"/v1/assessments/{untouched['id']}", headers=admin_headers)).json()
        assert after["revision"] == untouched["revision"]


async def test_without_identifier_or_draft_a_new_one_is_created(
    api, admin_headers, ingest, organisation, questionnaire
):
    await send(api, ingest, build_response(questionnaire, identifier=IDENTIFIER))
    response = await send(api, ingest, build_response(questionnaire))
    assert response.status_code == 201, response.text
    assert response.json()["external_id"] is None
    assert len(await assessments_of(api, admin_headers, organisation["id"])) == 2


async def test_concurrent_responses_for_one_organisation_make_one_draft(
    api, admin_headers, ingest, organisation, questionnaire
):
    body = build_response(questionnaire)
    responses = await asyncio.gather(*(send(api, ingest, body) for _ in range(3)))
    assert sorted(r.status_code for r in responses) == [200, 200, 201]
    assert len({r.json()["id"] for r in responses}) == 1
    assert len(await assessments_of(api, admin_headers, organisation["id"])) == 1


# --- completed: submitted and scored -----------------------------------------------------------------


async def test_a_completed_response_is_scored_and_the_result_stored(
    api, admin_headers, ingest, organisation, questionnaire
):
    body = build_response(questionnaire, status="completed", pick=last, identifier=IDENTIFIER)
    response = await send(api, ingest, body)
    assert response.status_code == 201, response.text
    scored = response.json()
    assert (scored["status"], scored["submitted_at"] is not None, scored["scored_at"] is not None) == (
        "scored",
        True,
        True,
    )
    assert scored["result"]["framework_version"] == "1.1.0"
    assert scored["result"]["completeness"] == 1
    stored = await api.get(f"/v1/assessments/{scored['id']}/result", headers=admin_headers)
    assert stored.status_code == 200
    assert stored.json() == scored["result"]
    assert await stored_answers(api, admin_headers, scored["id"]) == expected_answers(body)


async def test_completing_an_existing_draft_updates_it(
    api, admin_headers, ingest, organisation, questionnaire
):
    draft = (await send(api, ingest, build_response(questionnaire, identifier=IDENTIFIER))).json()
    response = await send(api, ingest, build_response(questionnaire, status="amended", identifier=IDENTIFIER))
    assert response.status_code == 200, response.text
    assert (response.json()["id"], response.json()["status"]) == (draft["id"], "scored")


async def test_completed_with_scoring_down_is_kept_submitted(
    api, admin_headers, settings, organisation, questionnaire
):
    body = build_response(questionnaire, status="completed", identifier=IDENTIFIER)
    # Nothing listens on a fresh free port: the scoring service is "down", no mock needed.
    down = create_app(settings.model_copy(update={"scoring_url": f"http://127.0.0.1:{free_port()}"}))
    async with LifespanManager(down) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
            response = await send(client, admin_headers, body)
    assert response.status_code == 201, response.text
    kept = response.json()
    assert (kept["status"], kept["result"], kept["scored_at"]) == ("submitted", None, None)
    assert kept["submitted_at"] is not None
    after = (await api.get(f"/v1/assessments/{kept['id']}", headers=admin_headers)).json()
    assert after["status"] == "submitted"
    assert await stored_answers(api, admin_headers, kept["id"]) == expected_answers(body)


@pytest.mark.parametrize("existing", [True, False])
async def test_completed_but_incomplete_changes_nothing(
    api, admin_headers, ingest, organisation, questionnaire, existing
):
    ids = question_ids(questionnaire)
    before = None
    if existing:
        before = (await send(api, ingest, build_response(questionnaire, identifier=IDENTIFIER))).json()
    skipped = frozenset({ids[2], ids[-1]})
    body = build_response(questionnaire, status="completed", pick=last, skip=skipped, identifier=IDENTIFIER)
    parsed = outcome(await send(api, ingest, body), 422)
    assert {issue.code for issue in parsed.issue} == {"required"}
    assert expressions(parsed) == [
        f"QuestionnaireResponse.repeat(item).where(linkId='{question_id}')"
        for question_id in (ids[2], ids[-1])
    ]
    listed = await assessments_of(api, admin_headers, organisation["id"])
    if before is None:
        assert listed == []
    else:
        (after,) = listed
        assert (after["revision"], after["status"]) == (before["revision"], "draft")
        assert await stored_answers(api, admin_headers, before["id"]) == expected_answers(
            build_response(questionnaire, identifier=IDENTIFIER)
        )


async def test_a_scored_assessment_is_409(api, admin_headers, ingest, organisation, questionnaire):
    body = build_response(questionnaire, status="completed", identifier=IDENTIFIER)
    scored = (await send(api, ingest, body)).json()
    for status in ("completed", "in-progress"):
        again = build_response(questionnaire, status=status, pick=last, identifier=IDENTIFIER)
        parsed = outcome(await send(api, ingest, again), 409)
        assert [(issue.code, issue.expression) for issue in parsed.issue] == [
            ("conflict", ["QuestionnaireResponse.identifier"])
        ]
    assert await stored_answers(api, admin_headers, scored["id"]) == expected_answers(body)


async def test_an_identifier_pinned_to_another_version_is_409(
    api, admin_headers, ingest, organisation, questionnaire
):
    older = await api.get(
        f"/v1/frameworks/{FRAMEWORK_ID}/versions/1.0.0/fhir/Questionnaire", headers=admin_headers
    )
    created = (await send(api, ingest, build_response(older.json(), identifier=IDENTIFIER))).json()
    parsed = outcome(await send(api, ingest, build_response(questionnaire, identifier=IDENTIFIER)), 409)
    assert expressions(parsed) == ["QuestionnaireResponse.questionnaire"]
    after = (await api.get(f"/v1/assessments/{created['id']}", headers=admin_headers)).json()
    assert (after["framework_version"], after["revision"]) == ("1.0.0", created["revision"])


# --- who may ingest for whom ---------------------------------------------------------------------------


async def test_an_unknown_ods_code_is_404(api, admin_headers, ingest, organisation, questionnaire):
    parsed = outcome(await send(api, ingest, build_response(questionnaire, ods_code="ZZZ99")), 404)
    assert [(issue.code, issue.expression) for issue in parsed.issue] == [
        ("not-found", ["QuestionnaireResponse.subject.identifier.value"])
    ]
    assert await assessments_of(api, admin_headers, organisation["id"]) == []


async def test_a_token_limited_to_another_organisation_gets_404(
    api, admin_headers, make_headers, make_organisation, questionnaire
):
    mine, theirs = await make_organisation("RX2"), await make_organisation("RX1")
    limited = await make_headers("ingest", organisation_ids=[mine["id"]])
    hidden = await send(api, limited, build_response(questionnaire, ods_code="RX1"))
    unknown = await send(api, limited, build_response(questionnaire, ods_code="ZZZ99"))
    assert [issue.code for issue in outcome(hidden, 404).issue] == ["not-found"]
    # The same answer as for a code nobody has: nothing tells that RX1 exists.
    assert json.dumps(unknown.json()).replace("ZZZ99", "RX1") == json.dumps(hidden.json())
    assert await assessments_of(api, admin_headers, theirs["id"]) == []
    assert (await send(api, limited, build_response(questionnaire, ods_code="RX2"))).status_code == 201


async def test_the_ingest_scope_is_needed(api, make_headers, organisation, questionnaire):
    body = build_response(questionnaire)
    refused = await send(api, await make_headers("read", "write"), body)
    assert refused.status_code == 403
    assert refused.headers["content-type"] == PROBLEM_JSON
    anonymous = await send(api, {}, body)
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"].startswith("Bearer")


# --- what is refused before anything is read ---------------------------------------------------------


@pytest.mark.parametrize(
    ("canonical", "code"),
    [
        ("http://example.org/fhir/Questionnaire/nhs-digital-readiness|1.1.0", "value"),
        (f"{questionnaire_url(FRAMEWORK_ID)}|9.9.9", "not-found"),
        (f"{questionnaire_url('no-such-framework')}|1.1.0", "not-found"),
        (questionnaire_url(FRAMEWORK_ID), "value"),  # no version: answers are pinned to one
    ],
)
async def test_a_wrong_questionnaire_is_422(
    api, admin_headers, ingest, organisation, questionnaire, canonical, code
):
    body = build_response(questionnaire)
    body["questionnaire"] = canonical
    parsed = outcome(await send(api, ingest, body), 422)
    assert [(issue.code, issue.expression) for issue in parsed.issue] == [
        (code, ["QuestionnaireResponse.questionnaire"])
    ]
    assert await assessments_of(api, admin_headers, organisation["id"]) == []


async def test_bad_option_codes_name_each_items_link_id(
    api, admin_headers, ingest, organisation, questionnaire
):
    body = build_response(questionnaire, identifier=IDENTIFIER)
    wanted = question_ids(questionnaire)[:2]
    for item in walk(body["item"]):
        if item["linkId"] in wanted:
            item["answer"][0]["valueCoding"]["code"] = "brilliant"
    QuestionnaireResponse.model_validate(body)  # still valid FHIR: only our rules refuse it
    parsed = outcome(await send(api, ingest, body), 422)
    assert {issue.code for issue in parsed.issue} == {"code-invalid"}
    for question_id, expression in zip(wanted, expressions(parsed), strict=True):
        assert expression.endswith(f".item.where(linkId='{question_id}').answer[0].value")
    assert await assessments_of(api, admin_headers, organisation["id"]) == []


@pytest.mark.parametrize(
    "content", [b"{not json", b"", b'{"resourceType": "Questionnaire\xff"}', b"[" * 5000]
)
async def test_a_body_that_is_not_json_is_400(api, ingest, organisation, content):
    parsed = outcome(await post(api, ingest, content), 400)
    assert parsed.issue[0].code == "structure"


async def test_a_body_that_is_json_but_no_resource_is_422(api, ingest, organisation):
    parsed = outcome(await post(api, ingest, b'["QuestionnaireResponse"]'), 422)
    assert parsed.issue[0].code == "structure"


async def test_another_media_type_is_415(api, ingest, organisation, questionnaire):
    content = json.dumps(build_response(questionnaire)).encode()
    parsed = outcome(await post(api, ingest, content, "application/xml"), 415)
    assert parsed.issue[0].code == "not-supported"


async def test_the_documented_example_is_valid_fhir_and_is_ingested(
    api, settings, admin_headers, ingest, organisation
):
    operation = create_app(settings).openapi()["paths"][URL]["post"]
    examples = [media["example"] for media in operation["requestBody"]["content"].values()]
    assert list(operation["requestBody"]["content"]) == [FHIR_JSON, "application/json"]
    response = await send(api, ingest, examples[0])
    assert response.status_code == 201, response.text
    assert response.json()["external_id"] == EXTERNAL_ID
    assert await stored_answers(api, admin_headers, response.json()["id"]) == expected_answers(examples[0])
