"""FHIR: what we emit and what we accept is checked with ``fhir.resources`` (R4B models), not our own code.

``fhir.resources`` checks structure and types but not code values or FHIRPath invariants, so the
R4 rules that matter (item types, unique linkIds, groups with children...) are asserted here too.
"""

from __future__ import annotations

import copy
import json
import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse,
    QuestionnaireResponseItem,
    QuestionnaireResponseItemAnswer,
)
from fhir.resources.R4B.reference import Reference

from baseline_api.auth import Actor, Principal, authenticate
from baseline_api.fhir.canonical import (
    CRITICAL_QUESTION_URL,
    ITEM_WEIGHT_URL,
    NOT_APPLICABLE_CODE,
    NOT_APPLICABLE_SYSTEM,
    ODS_SYSTEM,
    parse_questionnaire_canonical,
    questionnaire_url,
)
from baseline_api.fhir.outcome import (
    FHIR_JSON,
    FhirError,
    Issue,
    install_fhir_error_handler,
    operation_outcome,
)
from baseline_api.fhir.questionnaire import questionnaire_for, questionnaire_name
from baseline_api.fhir.questionnaire_response import ParsedResponse, parse_questionnaire_response
from baseline_api.fhir.router import router
from baseline_service_kit import (
    Conflict,
    FieldError,
    NotFound,
    ServiceUnavailable,
    Unprocessable,
    create_service_app,
)
from framework_model import Answer, Framework, framework_index, load_framework

FRAMEWORK_ID = "nhs-digital-readiness"
VERSIONS = ["1.0.0", "1.1.0"]
R4_ITEM_TYPES = {"group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time", "string"}
R4_ITEM_TYPES |= {"text", "url", "choice", "open-choice", "attachment", "reference", "quantity"}
QUESTIONNAIRE_PATH = "/v1/frameworks/{}/versions/{}/fhir/Questionnaire"
Json = dict[str, Any]


def framework(version: str = "1.1.0") -> Framework:
    return load_framework(FRAMEWORK_ID, version)


def walk(items: list[Json]) -> Iterator[Json]:
    for item in items:
        yield item
        yield from walk(item.get("item", []))


def questions(document: Json) -> list[Json]:
    return [item for item in walk(document["item"]) if item["type"] == "choice"]


def weight(option: Json) -> float:
    (extension,) = [e for e in option["valueCoding"].get("extension", []) if e["url"] == ITEM_WEIGHT_URL]
    return extension["valueDecimal"]


# --- Questionnaire ------------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_questionnaire_validates_as_fhir(version):
    document = questionnaire_for(framework(version))
    parsed = Questionnaire.model_validate(document)
    assert parsed.url == f"https://baseline.nhs.example/fhir/Questionnaire/{FRAMEWORK_ID}"
    assert parsed.version == version
    assert parsed.id == f"{FRAMEWORK_ID}-{version.replace('.', '-')}"
    assert parsed.status == "active"
    assert parsed.name == "NhsDigitalReadiness"
    assert parsed.title == framework(version).title
    assert "date" not in document
    # The JSON round trip through the FHIR model loses nothing we emitted.
    assert json.loads(parsed.model_dump_json()) == json.loads(json.dumps(document))


@pytest.mark.parametrize("version", VERSIONS)
def test_questionnaire_keeps_r4_rules(version):
    document = questionnaire_for(framework(version))
    items = list(walk(document["item"]))
    link_ids = [item["linkId"] for item in items]
    assert len(link_ids) == len(set(link_ids))  # que-2
    assert {item["type"] for item in items} <= R4_ITEM_TYPES
    assert all(item.get("item") for item in items if item["type"] == "group")  # que-1
    for display in (item for item in items if item["type"] == "display"):
        assert "item" not in display
        assert "required" not in display
        assert "answerOption" not in display
    assert re.fullmatch(r"[A-Z]([A-Za-z0-9_]){0,254}", document["name"])  # que-0
    assert re.fullmatch(r"[A-Za-z0-9\-.]{1,64}", document["id"])


@pytest.mark.parametrize("version", VERSIONS)
def test_groups_are_pillars_then_capabilities(version):
    fw = framework(version)
    document = questionnaire_for(fw)
    assert [(g["linkId"], g["text"], g["type"]) for g in document["item"]] == [
        (p.pillar_id, p.title, "group") for p in fw.pillars
    ]
    for pillar, group in zip(fw.pillars, document["item"], strict=True):
        assert [(c["linkId"], c["text"], c["type"]) for c in group["item"]] == [
            (c.capability_id, c.title, "group") for c in pillar.capabilities
        ]
        for capability, cap_group in zip(pillar.capabilities, group["item"], strict=True):
            assert [q["linkId"] for q in cap_group["item"]] == [q.question_id for q in capability.questions]


@pytest.mark.parametrize("version", VERSIONS)
def test_question_items_carry_options_scores_and_flags(version):
    index = framework_index(framework(version))
    items = questions(questionnaire_for(framework(version)))
    assert [item["linkId"] for item in items] == list(index.questions)
    for item in items:
        question = index.questions[item["linkId"]].question
        assert item["text"] == question.text
        assert item["required"] is True
        scored = [o for o in item["answerOption"] if o["valueCoding"]["system"] != NOT_APPLICABLE_SYSTEM]
        assert [o["valueCoding"]["code"] for o in scored] == [o.option_id for o in question.options]
        assert [o["valueCoding"]["display"] for o in scored] == [o.label for o in question.options]
        assert [weight(o) for o in scored] == [o.score for o in question.options]
        assert len(item["answerOption"]) - len(scored) == (1 if question.allow_na else 0)
        critical = {"url": CRITICAL_QUESTION_URL, "valueBoolean": True} in item.get("extension", [])
        assert critical is question.critical


def test_not_applicable_is_offered_only_where_allowed_and_is_not_scored():
    items = {item["linkId"]: item for item in questions(questionnaire_for(framework()))}
    not_applicable = {
        "system": NOT_APPLICABLE_SYSTEM,
        "code": NOT_APPLICABLE_CODE,
        "display": "Not Applicable",
    }
    offered = {qid for qid, item in items.items() if {"valueCoding": not_applicable} in item["answerOption"]}
    allowed = {qid for qid, ref in framework_index(framework()).questions.items() if ref.question.allow_na}
    assert offered == allowed
    assert offered


def test_guidance_is_a_help_display_item():
    question = framework().pillars[0].capabilities[0].questions[0]
    item = next(i for i in questions(questionnaire_for(framework())) if i["linkId"] == question.question_id)
    (guidance,) = item["item"]
    assert guidance["linkId"] == f"{question.question_id}-guidance"
    assert guidance["type"] == "display"
    assert guidance["text"] == question.guidance
    assert guidance["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] == "help"


@pytest.mark.parametrize(("status", "fhir_status"), [("draft", "draft"), ("retired", "retired")])
def test_framework_status_maps_to_fhir_status(status, fhir_status):
    changed = Framework.model_validate({**framework().model_dump(), "status": status})
    assert questionnaire_for(changed)["status"] == fhir_status


def test_questionnaire_is_deterministic_and_a_fresh_dict():
    first = questionnaire_for(framework())
    first["item"][0]["item"].clear()
    assert questionnaire_for(framework()) != first
    assert json.dumps(questionnaire_for(framework())) == json.dumps(questionnaire_for(framework()))


def test_computable_name_starts_with_a_letter():
    assert questionnaire_name("nhs-digital-readiness") == "NhsDigitalReadiness"
    assert questionnaire_name("2024-review") == "Framework2024Review"


def test_canonical_round_trip():
    assert parse_questionnaire_canonical(f"{questionnaire_url('a-b')}|1.2.3") == ("a-b", "1.2.3")
    for bad in [
        questionnaire_url("a-b"),
        f"{questionnaire_url('a-b')}|",
        "http://other/Questionnaire/a|1.0.0",
    ]:
        assert parse_questionnaire_canonical(bad) is None


# --- QuestionnaireResponse ----------------------------------------------------------------------


def chosen_coding(item: Json) -> Json:
    """What a form filler sends: the coding of an offered option, N/A where offered, else the last."""
    return item["answerOption"][-1]["valueCoding"]


def expected_answer(item: Json) -> Answer:
    coding = chosen_coding(item)
    if coding["system"] == NOT_APPLICABLE_SYSTEM:
        return Answer(question_id=item["linkId"], not_applicable=True)
    return Answer(question_id=item["linkId"], value=coding["code"])


def response_item(item: Json) -> QuestionnaireResponseItem:
    if item["type"] == "group":
        return QuestionnaireResponseItem(linkId=item["linkId"], item=[response_item(i) for i in item["item"]])
    answer = QuestionnaireResponseItemAnswer(valueCoding=Coding.model_validate(chosen_coding(item)))
    return QuestionnaireResponseItem(linkId=item["linkId"], answer=[answer])


def questionnaire_response(version: str = "1.1.0", status: str = "completed") -> Json:
    """A complete response built with the FHIR models (so valid FHIR), as the JSON a client sends."""
    document = questionnaire_for(framework(version))
    resource = QuestionnaireResponse(
        status=status,
        questionnaire=f"{document['url']}|{document['version']}",
        subject=Reference(identifier=Identifier(system=ODS_SYSTEM, value="RX1")),
        item=[response_item(group) for group in document["item"]],
    )
    return json.loads(resource.model_dump_json())


def answer_item(body: Json, question_id: str) -> Json:
    return next(item for item in walk(body["item"]) if item["linkId"] == question_id)


def issues_of(body: object) -> list[Issue]:
    result = parse_questionnaire_response(body)
    assert isinstance(result, list), result
    OperationOutcome.model_validate(operation_outcome(result))
    return result


def issue_at(issues: list[Issue], fragment: str) -> Issue:
    found = [issue for issue in issues if any(fragment in e for e in issue.expression)]
    assert len(found) == 1, issues
    return found[0]


@pytest.mark.parametrize("version", VERSIONS)
def test_a_complete_response_parses_to_every_answer(version):
    parsed = parse_questionnaire_response(questionnaire_response(version))
    assert isinstance(parsed, ParsedResponse)
    assert (parsed.framework_id, parsed.version, parsed.ods_code) == (FRAMEWORK_ID, version, "RX1")
    items = questions(questionnaire_for(framework(version)))
    assert list(parsed.answers) == [expected_answer(item) for item in items]
    assert any(answer.not_applicable for answer in parsed.answers)
    assert parsed.status == "completed"
    assert parsed.submit


@pytest.mark.parametrize(
    ("status", "submit"), [("in-progress", False), ("completed", True), ("amended", True)]
)
def test_status_decides_whether_to_submit(status, submit):
    parsed = parse_questionnaire_response(questionnaire_response(status=status))
    assert isinstance(parsed, ParsedResponse)
    assert parsed.status == status
    assert parsed.submit is submit


def test_a_partial_flat_response_without_systems_is_accepted():
    body = questionnaire_response(status="in-progress")
    wanted = answer_item(body, "wow-cul-blameless-review")
    wanted["answer"][0]["valueCoding"] = {"code": "measured"}
    body["item"] = [wanted, {"linkId": "unanswered-group"}]
    parsed = parse_questionnaire_response(body)
    assert isinstance(parsed, ParsedResponse)
    assert parsed.answers == (Answer(question_id="wow-cul-blameless-review", value="measured"),)


def test_not_a_questionnaire_response():
    assert issues_of(["not", "an", "object"])[0].code == "structure"
    body = questionnaire_response()
    body["resourceType"] = "Patient"
    (issue,) = issues_of(body)
    assert issue.code == "invalid"
    assert "Patient" in issue.diagnostics


@pytest.mark.parametrize(
    ("questionnaire", "code"),
    [
        (f"{questionnaire_url(FRAMEWORK_ID)}|9.9.9", "not-found"),
        (f"{questionnaire_url('no-such-framework')}|1.0.0", "not-found"),
        (questionnaire_url(FRAMEWORK_ID), "value"),  # no version
        ("http://example.org/Questionnaire/x|1.0.0", "value"),
        (None, "required"),
    ],
)
def test_questionnaire_must_be_a_known_framework_version(questionnaire, code):
    body = questionnaire_response()
    body["questionnaire"] = questionnaire
    (issue,) = issues_of(body)
    assert issue.code == code
    assert issue.expression == ("QuestionnaireResponse.questionnaire",)


@pytest.mark.parametrize(
    ("subject", "expression"),
    [
        (
            {"identifier": {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "RX1"}},
            "identifier.system",
        ),
        ({"identifier": {"system": ODS_SYSTEM, "value": "rx1"}}, "identifier.value"),
        ({"identifier": {"system": ODS_SYSTEM, "value": "RX1-TOO-LONG"}}, "identifier.value"),
        ({"reference": "Organization/1"}, "identifier"),
        (None, "identifier"),
    ],
)
def test_subject_must_be_an_ods_code(subject, expression):
    body = questionnaire_response()
    body["subject"] = subject
    (issue,) = issues_of(body)
    assert issue.expression == (f"QuestionnaireResponse.subject.{expression}",)


@pytest.mark.parametrize(
    ("status", "code"), [("stopped", "value"), ("entered-in-error", "value"), (None, "required")]
)
def test_status_must_be_accepted(status, code):
    body = questionnaire_response()
    body["status"] = status
    (issue,) = issues_of(body)
    assert issue.code == code
    assert issue.expression == ("QuestionnaireResponse.status",)


def test_unknown_link_id_is_named():
    body = questionnaire_response()
    body["item"][0]["item"][0]["item"].append(
        {"linkId": "no-such-question", "answer": [{"valueCoding": {"code": "none"}}]}
    )
    issue = issue_at(issues_of(body), "no-such-question")
    assert issue.code == "invalid"
    assert issue.expression == (
        "QuestionnaireResponse.item.where(linkId='ways-of-working').item.where(linkId='culture')"
        ".item.where(linkId='no-such-question')",
    )


def test_option_not_offered():
    body = questionnaire_response()
    answer_item(body, "wow-cul-blameless-review")["answer"][0]["valueCoding"]["code"] = "brilliant"
    issue = issue_at(issues_of(body), "wow-cul-blameless-review")
    assert issue.code == "code-invalid"
    assert "'brilliant' is not an option" in issue.diagnostics
    assert issue.expression[0].endswith("item.where(linkId='wow-cul-blameless-review').answer[0].value")


def test_not_applicable_where_not_allowed():
    body = questionnaire_response()
    coding = {"system": NOT_APPLICABLE_SYSTEM, "code": NOT_APPLICABLE_CODE}
    answer_item(body, "wow-cul-blameless-review")["answer"][0]["valueCoding"] = coding
    issue = issue_at(issues_of(body), "wow-cul-blameless-review")
    assert issue.code == "business-rule"
    assert "not applicable" in issue.diagnostics


def test_duplicate_answers_name_both_places():
    body = questionnaire_response()
    duplicate = copy.deepcopy(answer_item(body, "wow-cul-blameless-review"))
    body["item"].append(duplicate)
    (issue,) = issues_of(body)
    assert issue.code == "invalid"
    assert "more than once" in issue.diagnostics
    assert issue.expression == ("QuestionnaireResponse.item.where(linkId='wow-cul-blameless-review')",)
    assert "item.where(linkId='culture').item.where(linkId='wow-cul-blameless-review')" in issue.diagnostics


def test_answer_must_be_one_coding_from_the_question_system():
    body = questionnaire_response()
    answer_item(body, "wow-cul-blameless-review")["answer"] = [{"valueString": "measured"}]
    item = answer_item(body, "wow-cul-psych-safety")
    item["answer"] = item["answer"] * 2
    other = answer_item(body, "wow-cul-experimentation")["answer"][0]["valueCoding"]
    other["system"] = other["system"].replace("wow-cul-experimentation", "wow-cul-blameless-review")
    issues = issues_of(body)
    assert issue_at(issues, "'wow-cul-blameless-review').answer[0].value").code == "value"
    assert issue_at(issues, "'wow-cul-psych-safety').answer").code == "value"
    assert issue_at(issues, "'wow-cul-experimentation').answer[0].value").code == "code-invalid"


def test_every_issue_is_reported_at_once():
    body = questionnaire_response()
    body["status"] = "stopped"
    body["subject"]["identifier"]["value"] = "bad code"
    answer_item(body, "wow-cul-blameless-review")["answer"][0]["valueCoding"]["code"] = "brilliant"
    body["item"].append({"answer": []})
    assert len(issues_of(body)) == 4


def test_malformed_items_are_issues_not_crashes():
    body = questionnaire_response()
    body["item"][0]["item"] = "not a list"
    body["item"].append({"linkId": "x" * 100, "answer": [{"valueCoding": {"code": "none"}}]})
    issues = issues_of(body)
    assert {issue.code for issue in issues} == {"structure", "invalid"}


@pytest.mark.parametrize(
    ("identifier", "external_id"),
    [
        (
            {"system": "https://trust.example/assessments", "value": "2026-q1"},
            "https://trust.example/assessments|2026-q1",
        ),
        ({"value": "2026-q1"}, "2026-q1"),
        (None, None),
    ],
)
def test_identifier_becomes_the_external_id_in_token_form(identifier, external_id):
    body = questionnaire_response()
    if identifier is not None:
        body["identifier"] = identifier
        QuestionnaireResponse.model_validate(body)
    parsed = parse_questionnaire_response(body)
    assert isinstance(parsed, ParsedResponse)
    assert parsed.external_id == external_id


@pytest.mark.parametrize(
    ("identifier", "expression", "code"),
    [
        ([{"value": "r4-has-one"}], "identifier", "structure"),
        ({"system": "https://trust.example/assessments"}, "identifier.value", "required"),
        ({"value": " padded"}, "identifier.value", "value"),
        ({"value": "nul\x00inside"}, "identifier.value", "value"),
        ({"system": "not a uri", "value": "x"}, "identifier.system", "value"),
        ({"system": "https://trust.example/" + "s" * 200, "value": "x"}, "identifier", "value"),
    ],
)
def test_identifier_must_fit_an_external_id(identifier, expression, code):
    body = questionnaire_response()
    body["identifier"] = identifier
    (issue,) = issues_of(body)
    assert issue.code == code
    assert issue.expression == (f"QuestionnaireResponse.{expression}",)


def test_items_nested_too_deep_are_refused_not_a_crash():
    item: Json = {"linkId": "leaf"}
    for level in range(2000):  # far past Python's recursion limit
        item = {"linkId": f"group-{level}", "item": [item]}
    body = questionnaire_response()
    body["item"].append(item)
    (issue,) = issues_of(body)
    assert issue.code == "structure"
    assert "nest more than" in issue.diagnostics


# --- OperationOutcome and the route -------------------------------------------------------------


def test_operation_outcome_validates_as_fhir():
    issues = [Issue("not-found", "no such thing"), Issue("value", "bad", ("QuestionnaireResponse.status",))]
    outcome = operation_outcome(issues)
    parsed = OperationOutcome.model_validate(outcome)
    assert [i.code for i in parsed.issue] == ["not-found", "value"]
    assert outcome["issue"][1]["expression"] == ["QuestionnaireResponse.status"]
    assert "expression" not in outcome["issue"][0]


def test_an_outcome_needs_an_issue():
    with pytest.raises(ValueError, match="at least one issue"):
        operation_outcome([])
    with pytest.raises(ValueError, match="at least one issue"):
        FhirError(422, [])
    response = FhirError(422, [Issue("value", "bad")]).response()
    assert response.status_code == 422
    assert response.media_type == FHIR_JSON


@pytest.mark.parametrize(
    ("problem", "code", "diagnostics"),
    [
        (NotFound("No such organisation."), "not-found", ["No such organisation."]),
        (Conflict("The assessment is scored."), "conflict", ["The assessment is scored."]),
        (
            Unprocessable(
                "2 problems.", errors=[FieldError(field="a", message="x"), FieldError(field="b", message="y")]
            ),
            "invalid",
            ["a: x", "b: y"],
        ),
        (ServiceUnavailable(), "processing", ["Service Unavailable"]),
    ],
)
def test_a_shared_rule_refusal_reads_as_an_operation_outcome(problem, code, diagnostics):
    error = FhirError.from_problem(problem)
    assert error.status == problem.status
    outcome = OperationOutcome.model_validate(operation_outcome(error.issues))
    assert [(issue.code, issue.diagnostics) for issue in outcome.issue] == [(code, d) for d in diagnostics]


@pytest.fixture
async def fhir_client() -> Any:
    """The router alone, with authentication stubbed: no database, whether or not app.py wires it."""
    app: FastAPI = create_service_app(title="fhir test", version="0", description="")
    install_fhir_error_handler(app)
    app.include_router(router)
    principal = Principal(
        Actor.api_key(uuid.uuid4(), "fhir test"), frozenset({"read"}), organisation_ids=None
    )
    app.dependency_overrides[authenticate] = lambda: principal
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        yield client


async def test_route_serves_the_questionnaire_as_fhir_json(fhir_client):
    response = await fhir_client.get(QUESTIONNAIRE_PATH.format(FRAMEWORK_ID, "1.0.0"))
    assert response.status_code == 200
    assert response.headers["content-type"] == FHIR_JSON
    assert response.json() == questionnaire_for(framework("1.0.0"))


@pytest.mark.parametrize(
    ("framework_id", "version"), [(FRAMEWORK_ID, "9.9.9"), ("no-such-framework", "1.0.0")]
)
async def test_route_answers_unknown_versions_with_an_operation_outcome(fhir_client, framework_id, version):
    response = await fhir_client.get(QUESTIONNAIRE_PATH.format(framework_id, version))
    assert response.status_code == 404
    assert response.headers["content-type"] == FHIR_JSON
    outcome = OperationOutcome.model_validate(response.json())
    assert outcome.issue[0].code == "not-found"


async def test_wired_route_needs_a_token_and_serves_fhir(api, admin_headers):
    path = QUESTIONNAIRE_PATH.format(FRAMEWORK_ID, "1.1.0")
    assert (await api.get(path)).status_code == 401
    response = await api.get(path, headers=admin_headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == FHIR_JSON
    Questionnaire.model_validate(response.json())


@pytest.mark.parametrize(("scope", "status"), [("read", 200), ("ingest", 200), ("write", 403)])
async def test_an_ingesting_system_may_read_the_questionnaire_it_answers(api, make_headers, scope, status):
    response = await api.get(
        QUESTIONNAIRE_PATH.format(FRAMEWORK_ID, "1.1.0"), headers=await make_headers(scope)
    )
    assert response.status_code == status
