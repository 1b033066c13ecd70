"""Every write records who made it: a person (``user:<sub>``, their name), an API key
(``api_key:<id>``, its name) or the bootstrap token (``admin``); never null."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import text

from tests.api.auth.conftest import bearer
from tests.api.test_assessments_support import FRAMEWORK_ID, answers, create_assessment, score_by_worker

PERSON = ("user:910000000001", "Dr Jane Smith")
ADMIN = ("admin", "admin")


def author(resource: dict) -> tuple[str, str]:
    return resource["updated_by"], resource["updated_by_name"]


async def new_key(api: httpx.AsyncClient, admin_headers: dict, *scopes: str) -> tuple[dict, tuple[str, str]]:
    body = {"name": "Trust portal", "scopes": list(scopes)}
    created = (await api.post("/v1/api-keys", json=body, headers=admin_headers)).json()
    return bearer(created["token"]), (f"api_key:{created['id']}", "Trust portal")


async def test_a_key_and_the_admin_token_are_recorded_on_organisations(api, admin_headers):
    headers, key = await new_key(api, admin_headers, "write")
    created = (
        await api.post(
            "/v1/organisations", json={"ods_code": "RX1", "name": "A", "kind": "trust"}, headers=headers
        )
    ).json()
    assert author(created) == key
    url = f"/v1/organisations/{created['id']}"
    assert author((await api.patch(url, json={"name": "B"}, headers=admin_headers)).json()) == ADMIN
    assert author((await api.get(url, headers=admin_headers)).json()) == ADMIN


async def test_a_person_is_recorded_on_assessments_and_answers(issuer, oidc_gateway, make_organisation):
    organisation = await make_organisation("RX1")
    gateway = await oidc_gateway()
    person = bearer(issuer.token())
    assessment = await create_assessment(gateway, person, organisation["id"])
    assert author(assessment) == PERSON
    url = f"/v1/assessments/{assessment['id']}/responses"
    answered = await gateway.patch(url, json={"responses": answers()[:2]}, headers=person)
    assert [author(item) for item in answered.json()["items"]] == [PERSON, PERSON]
    renamed = issuer.token(sub="910000000002", name=None)
    edited = await gateway.patch(
        f"/v1/assessments/{assessment['id']}", json={"title": "Q1"}, headers=bearer(renamed)
    )
    assert author(edited.json()) == ("user:910000000002", "910000000002")  # no name: the sub


async def test_a_submit_is_recorded(api, admin_headers, make_organisation):
    organisation = await make_organisation("RX1")
    headers, key = await new_key(api, admin_headers, "write", "read")
    assessment = await create_assessment(api, admin_headers, organisation["id"])
    await api.patch(
        f"/v1/assessments/{assessment['id']}/responses", json={"responses": answers()}, headers=admin_headers
    )
    submitted = await api.post(f"/v1/assessments/{assessment['id']}/submit", headers=headers)
    assert submitted.status_code == 200, submitted.text
    stored = (await api.get(f"/v1/assessments/{assessment['id']}", headers=admin_headers)).json()
    assert author(stored) == key


async def test_ingestion_is_recorded_and_the_scoring_worker_keeps_the_submitter(
    api, admin_headers, make_organisation, sessions, settings
):
    await make_organisation("RX1")  # by the admin token
    headers, key = await new_key(api, admin_headers, "ingest", "read")
    item = {
        "organisation": {"ods_code": "RX9", "name": "Trust RX9", "kind": "trust"},
        "framework_id": FRAMEWORK_ID,
        "responses": answers(),
        "submit": True,
    }
    report = (await api.post("/v1/ingest/assessments", json=[item], headers=headers)).json()
    assessment_id = report["items"][0]["assessment_id"]
    await score_by_worker(sessions, settings)
    stored = (await api.get(f"/v1/assessments/{assessment_id}", headers=admin_headers)).json()
    assert (stored["status"], author(stored)) == ("scored", key)
    responses = (await api.get(f"/v1/assessments/{assessment_id}/responses", headers=admin_headers)).json()
    assert {author(item) for item in responses["items"]} == {key}
    organisations = (await api.get("/v1/organisations", headers=admin_headers)).json()["items"]
    assert {o["ods_code"]: author(o) for o in organisations} == {"RX1": ADMIN, "RX9": key}


@pytest.mark.parametrize("table", ["organisations", "assessments", "responses"])
async def test_no_table_accepts_a_write_without_an_author(api, sessions, table):
    async with sessions() as session:
        columns = await session.execute(
            text(
                "SELECT column_name, is_nullable FROM information_schema.columns WHERE table_name = :t AND column_name LIKE 'updated_by%'"
            ),
            {"t": table},
        )
        assert dict(columns.all()) == {"updated_by": "NO", "updated_by_name": "NO"}
