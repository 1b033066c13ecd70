"""Personal-data erasure over HTTP: a person who signed in, answered, added evidence, approved and
owns an action is replaced by one pseudonym everywhere in the organisation; counts per table are
reported, no score changes, and other organisations are untouched."""

from __future__ import annotations

from sqlalchemy import text

from tests.api.auth.conftest import bearer
from tests.api.collaboration.support import APPROVAL, add_evidence
from tests.api.test_assessments_support import answers, create_assessment, question_ids, submit

SUB, NAME = "910000000001", "Dr Jane Smith"
SCOPES = "openid baseline:read baseline:write baseline:approve"


async def _worked(gateway, person, organisation_id: str) -> str:
    """What the person does: an assessment answered, evidenced, submitted and approved."""
    assessment = await create_assessment(gateway, person, organisation_id)
    url = f"/v1/assessments/{assessment['id']}"
    assert (
        await gateway.patch(f"{url}/responses", json={"responses": answers()}, headers=person)
    ).status_code == 200
    assert (await add_evidence(gateway, person, assessment["id"], question_ids()[0])).status_code == 201
    assert (await submit(gateway, person, assessment["id"])).status_code == 200
    approved = await gateway.post(f"{url}/approve", json=APPROVAL, headers=person)
    assert approved.status_code == 200, approved.text
    return str(assessment["id"])


async def test_erasure_replaces_the_person_everywhere_and_changes_no_score(
    api, admin_headers, issuer, oidc_gateway, make_organisation, sessions
):
    organisation = await make_organisation("RX1")
    elsewhere = await make_organisation("RX2")
    gateway = await oidc_gateway()
    person = bearer(issuer.token(scope=SCOPES))
    assessment_id = await _worked(gateway, person, organisation["id"])
    untouched = await _worked(gateway, bearer(issuer.token(scope=SCOPES, ods_codes=["RX2"])), elsewhere["id"])
    result = (await api.get(f"/v1/assessments/{assessment_id}/result", headers=admin_headers)).json()
    recommendation = result["recommendations"][0]["recommendation_id"] if result["recommendations"] else None
    if recommendation is not None:
        action = {"assessment_id": assessment_id, "recommendation_id": recommendation, "owner": NAME.upper()}
        made = await api.post(
            f"/v1/organisations/{organisation['id']}/actions", json=action, headers=admin_headers
        )
        assert made.status_code == 201, made.text

    url = f"/v1/organisations/{organisation['id']}/personal-data/erase"
    assert (await api.post(url, json={}, headers=admin_headers)).status_code == 422
    assert (await gateway.post(url, json={"subject": SUB}, headers=person)).status_code == 403
    erased = await api.post(url, json={"subject": SUB, "name": NAME}, headers=admin_headers)
    assert erased.status_code == 200, erased.text
    report = erased.json()
    pseudonym = report["pseudonym"]
    answered = len(answers())
    assert report["changed"] == {
        "organisations": 0,  # the admin made it
        "assessments": 1,
        "responses": answered,
        "actions": 1 if recommendation else 0,
        "evidence": 1,
        "respondents": 0,
        "respondent_responses": 0,
        "audit_events": 1 + answered + 1 + 3,  # created, answers, evidence, submitted + scored + approved
        "approval_documents": 1,
    }
    assert report["total"] == sum(report["changed"].values())

    after = await api.get(f"/v1/assessments/{assessment_id}", headers=admin_headers)
    stored = after.json()
    assert stored["status"] == "approved"
    assert (stored["updated_by_name"], stored["approved_by_name"], stored["approver_name"]) == (
        pseudonym,
    ) * 3
    assert stored["approved_by"].startswith("erased:")
    assert stored["updated_by"] == stored["approved_by"]
    assert (await api.get(f"/v1/assessments/{assessment_id}/result", headers=admin_headers)).json() == result
    audit = (
        await api.get(f"/v1/assessments/{assessment_id}/audit", params={"limit": 100}, headers=admin_headers)
    ).json()
    assert {(e["by"], e["by_name"]) for e in audit["items"]} == {(stored["approved_by"], pseudonym)}
    report_html = await api.get(
        f"/v1/assessments/{assessment_id}/report", params={"format": "pdf"}, headers=admin_headers
    )
    assert report_html.status_code == 200
    assert "repr-digest" not in report_html.headers
    async with sessions() as session:
        named = await session.scalar(
            text(
                "SELECT count(*) FROM assessments a JOIN responses r ON r.assessment_id = a.id "
                "WHERE a.organisation_id = :o AND (r.updated_by = :by OR r.updated_by_name = :name)"
            ),
            {"o": organisation["id"], "by": f"user:{SUB}", "name": NAME},
        )
    assert named == 0
    other = (await api.get(f"/v1/assessments/{untouched}", headers=admin_headers)).json()
    assert (other["approved_by"], other["approver_name"]) == (f"user:{SUB}", NAME)


async def test_erasure_of_an_unknown_organisation_is_404(api, admin_headers):
    url = "/v1/organisations/00000000-0000-0000-0000-000000000000/personal-data/erase"
    assert (await api.post(url, json={"name": NAME}, headers=admin_headers)).status_code == 404
