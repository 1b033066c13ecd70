"""Progress: an organisation's scored assessments over time, baseline against latest."""

from __future__ import annotations

from decimal import Decimal

import pytest

from baseline_api.assessments.progress_to_date import pillar_progress_to_date
from framework_model import framework_index, has_profile, latest_published
from tests.api.test_assessments_support import (
    FRAMEWORK_ID,
    answer,
    answers_lifting,
    create_assessment,
    highest,
    lowest,
    problem_fields,
    scored_assessment,
    scored_lifting,
    submit,
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


def _progress(api, headers, organisation: dict):
    return api.get(_url(organisation), params={"framework_id": FRAMEWORK_ID}, headers=headers)


async def test_progress_to_date_by_hand(api, admin_headers, make_organisation):
    """Every 1.1.0 capability weighs 1: ways of working and operating model have five each (20 points
    a capability answered at its highest), supplier ecosystem six (16.7). Band minima: level 2 is
    20, level 3 is 40."""
    organisation = await make_organisation("RX1")
    # Baseline: ways of working 20.0, operating model 0.0, supplier ecosystem 33.3.
    await scored_lifting(
        api, admin_headers, organisation["id"], "1.1.0", {"culture", "ecosystem-health", "fit-to-need"}
    )
    # In between: not the baseline, not the latest.
    await scored_lifting(
        api, admin_headers, organisation["id"], "1.1.0", {"culture", "skills", "patient-focus"}
    )
    # Latest: ways of working 0.0, operating model 20.0, supplier ecosystem 0.0; targets 2, 3, 3.
    await scored_lifting(
        api, admin_headers, organisation["id"], "1.1.0", {"patient-focus"}, targets={"ways-of-working": 2}
    )
    progress = (await _progress(api, admin_headers, organisation)).json()
    assert progress["targets"] == {"ways-of-working": 2, "operating-model": 3, "supplier-ecosystem": 3}
    assert progress["progress_to_date"] == {
        "ways-of-working": None,  # the baseline (20.0) already met level 2 (20)
        "operating-model": 50.0,  # 100 x (20 - 0) / (40 - 0)
        "supplier-ecosystem": -100.0,  # 100 x (0 - 33.3) / (40 - 33.3) = -497, clamped
    }


async def test_progress_to_date_is_100_once_the_target_is_reached(api, admin_headers, make_organisation):
    organisation = await make_organisation("RX1")
    await scored_lifting(api, admin_headers, organisation["id"], "1.0.0", {"culture"})  # 20.0, 0.0, 0.0
    # 1.1.0: ways of working 60.0 and operating model 40.0 reach level 3 (40); supplier 16.7 does not.
    lifted = {"culture", "skills", "leadership", "patient-focus", "team-structure", "open-standards"}
    await scored_lifting(api, admin_headers, organisation["id"], "1.1.0", lifted)
    progress = (await _progress(api, admin_headers, organisation)).json()
    assert progress["progress_to_date"] == {
        "ways-of-working": 100.0,
        "operating-model": 100.0,
        "supplier-ecosystem": 41.8,  # 100 x 16.7 / 40 = 41.75, to one decimal place
    }


async def test_one_scored_assessment_has_made_no_progress_yet(api, admin_headers, make_organisation):
    organisation = await make_organisation("RX1")
    await scored_lifting(api, admin_headers, organisation["id"], "1.1.0", {"culture", "skills"})
    progress = (await _progress(api, admin_headers, organisation)).json()
    assert progress["progress_to_date"] == {
        "ways-of-working": None,  # 40.0 meets level 3 already
        "operating-model": 0.0,
        "supplier-ecosystem": 0.0,
    }


async def test_no_progress_to_date_without_a_scored_assessment(api, admin_headers, make_organisation):
    organisation = await make_organisation("RX1")
    assert (await _progress(api, admin_headers, organisation)).json()["progress_to_date"] == {}


@pytest.mark.parametrize(
    ("baseline", "latest", "target_score", "expected"),
    [
        (0.0, 20.0, 40.0, 50.0),
        (10.0, 20.0, 40.0, 33.3),
        (10.0, 30.0, 40.0, 66.7),
        (20.0, 40.0, 40.0, 100.0),
        (20.0, 95.5, 40.0, 100.0),
        (40.0, 10.0, 40.0, None),
        (55.0, 10.0, 40.0, None),
        (30.0, 25.0, 40.0, -50.0),
        (39.9, 0.0, 40.0, -100.0),
        (None, 10.0, 40.0, None),
        (10.0, None, 40.0, None),
    ],
)
def test_samm_progress_to_date(baseline, latest, target_score, expected):
    assert pillar_progress_to_date(baseline, latest, target_score) == expected


LATEST_FRAMEWORK = latest_published(FRAMEWORK_ID)


@pytest.mark.skipif(not has_profile(LATEST_FRAMEWORK, "quick"), reason="no quick profile yet")
async def test_a_quick_result_never_counts_towards_progress_to_date(api, admin_headers, make_organisation):
    organisation = await make_organisation("RX1")
    version = LATEST_FRAMEWORK.version
    everything = {c.capability_id for p in LATEST_FRAMEWORK.pillars for c in p.capabilities}
    await scored_lifting(api, admin_headers, organisation["id"], version, set())  # 0 everywhere
    await scored_lifting(api, admin_headers, organisation["id"], version, everything)  # 100 everywhere
    quick = await create_assessment(
        api, admin_headers, organisation["id"], framework_version=version, profile="quick"
    )
    leads = {qid for qid, ref in framework_index(LATEST_FRAMEWORK).questions.items() if ref.question.lead}
    await answer(
        api,
        admin_headers,
        quick["id"],
        [a for a in answers_lifting(version, set()) if a["question_id"] in leads],
    )
    assert (await submit(api, admin_headers, quick["id"])).status_code == 200
    progress = (await _progress(api, admin_headers, organisation)).json()
    assert progress["series"][-1]["indicative"] is True
    assert progress["latest"]["assessment_id"] != quick["id"]
    assert set(progress["progress_to_date"].values()) == {100.0}
