"""Progress: an organisation's scored assessments over time, baseline against latest."""

from __future__ import annotations

from decimal import Decimal

from tests.api.test_assessments_support import (
    FRAMEWORK_ID,
    create_assessment,
    highest,
    lowest,
    problem_fields,
    scored_assessment,
)


def _url(organisation: dict) -> str:
    return f"/v1/organisations/{organisation['id']}/progress"


def _pillars(result: dict) -> dict[str, float | None]:
    return {pillar["pillar_id"]: pillar["score"] for pillar in result["pillars"]}


async def test_progress_compares_latest_with_baseline_across_versions(api, admin_headers, make_organisation):
    organisation = await make_organisation("RX1")
    first = await scored_assessment(api, admin_headers, organisation["id"], version="1.0.0", pick=lowest)
    second = await scored_assessment(api, admin_headers, organisation["id"], version="1.1.0", pick=highest)
    await create_assessment(api, admin_headers, organisation["id"])  # a draft: not part of the series
    response = await api.get(_url(organisation), params={"framework_id": FRAMEWORK_ID}, headers=admin_headers)
    assert response.status_code == 200, response.text
    progress = response.json()
    assert [point["assessment_id"] for point in progress["series"]] == [
        first["assessment_id"],
        second["assessment_id"],
    ]
    assert (progress["baseline"], progress["latest"]) == tuple(progress["series"])
    assert progress["baseline"]["framework_version"] == "1.0.0"
    assert progress["baseline"]["pillars"] == _pillars(first)
    assert progress["latest"]["overall"] == second["overall"]["score"]
    expected = {
        pillar_id: float(Decimal(str(score)) - Decimal(str(_pillars(first)[pillar_id])))
        for pillar_id, score in _pillars(second).items()
    }
    assert progress["deltas"] == expected
    assert all(delta > 0 for delta in expected.values())
    assert "clinical-safety" in progress["capability_deltas"]
    assert "interoperability-and-data-sharing" not in progress["capability_deltas"]  # new in 1.1.0
    assert progress["targets"] == {"ways-of-working": 3, "operating-model": 3, "supplier-ecosystem": 3}


async def test_progress_without_scored_assessments_is_empty(api, admin_headers, make_organisation):
    organisation = await make_organisation("RX1")
    await create_assessment(api, admin_headers, organisation["id"])
    response = await api.get(_url(organisation), params={"framework_id": FRAMEWORK_ID}, headers=admin_headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["baseline"], body["latest"], body["series"], body["deltas"]) == (None, None, [], {})
    assert body["targets"] is None


async def test_progress_needs_a_known_framework(api, admin_headers, make_organisation):
    organisation = await make_organisation("RX1")
    assert problem_fields(await api.get(_url(organisation), headers=admin_headers)) == ["query.framework_id"]
    unknown = await api.get(_url(organisation), params={"framework_id": "nope"}, headers=admin_headers)
    assert problem_fields(unknown) == ["query.framework_id"]


async def test_progress_of_a_missing_organisation_is_404(api, admin_headers):
    url = "/v1/organisations/00000000-0000-4000-8000-000000000000/progress"
    response = await api.get(url, params={"framework_id": FRAMEWORK_ID}, headers=admin_headers)
    assert response.status_code == 404
