"""A respondent who signs in (``subject``) is answered only by that person: anyone else gets 403."""

from __future__ import annotations

from tests.api.auth.conftest import bearer
from tests.api.test_assessments_support import answers, create_assessment


async def test_only_the_signed_in_respondent_writes_their_answers(issuer, oidc_gateway, make_organisation):
    organisation = await make_organisation("RX1")
    gateway = await oidc_gateway()
    jane = bearer(issuer.token())  # sub 910000000001, read and write
    colleague = bearer(issuer.token(sub="910000000002", name="Mr Colleague"))
    assessment = await create_assessment(gateway, jane, organisation["id"])
    base = f"/v1/assessments/{assessment['id']}/respondents"
    body = {"name": "Dr Jane Smith", "role": "clinical", "subject": "910000000001"}
    created = await gateway.post(base, json=body, headers=colleague)
    assert created.status_code == 201, created.text
    url = f"{base}/{created.json()['id']}/responses"
    batch = {"responses": answers()[:2]}
    refused = await gateway.patch(url, json=batch, headers=colleague)
    assert refused.status_code == 403, refused.text
    assert (await gateway.get(url, headers=jane)).json()["items"] == []
    answered = await gateway.patch(url, json=batch, headers=jane)
    assert answered.status_code == 200, answered.text
    assert {item["updated_by"] for item in answered.json()["items"]} == {"user:910000000001"}
    # Without a subject, any write principal of the organisation answers for them (a portal).
    portal = await gateway.post(base, json={"name": "Ward manager", "role": "operational"}, headers=jane)
    other = await gateway.patch(f"{base}/{portal.json()['id']}/responses", json=batch, headers=colleague)
    assert other.status_code == 200, other.text
