"""Comparing two scored assessments, on hand-computed cases: every capability of 1.x has weight 1,
so a capability answered with its highest options scores 100 and one answered with its lowest 0;
a ways-of-working pillar (five capabilities) with k of them lifted scores 20k."""

from __future__ import annotations

from tests.api.test_assessments_support import (
    create_assessment,
    insert_assessment_row,
    problem_fields,
    scored_lifting,
)

MISSING = "00000000-0000-4000-8000-000000000000"


async def _take_on(api, headers, organisation_id: str, result: dict, capability_id: str) -> dict:
    recommendation = next(r for r in result["recommendations"] if r["capability_id"] == capability_id)
    body = {
        "assessment_id": result["assessment_id"],
        "recommendation_id": recommendation["recommendation_id"],
        "owner": "Head of IT",
    }
    response = await api.post(f"/v1/organisations/{organisation_id}/actions", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def _done(api, headers, action: dict) -> dict:
    response = await api.patch(f"/v1/actions/{action['id']}", json={"status": "done"}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def _compare(api, headers, assessment_id: str, other_id: str):
    return await api.get(
        f"/v1/assessments/{assessment_id}/compare", params={"with": other_id}, headers=headers
    )


async def test_what_moved_between_two_versions_and_the_actions_done_in_between(
    api, admin_headers, make_organisation
):
    organisation = (await make_organisation("RX1"))["id"]
    before = await scored_lifting(api, admin_headers, organisation, "1.0.0", {"culture"})
    skills = await _take_on(api, admin_headers, organisation, before, "skills")
    leadership = await _take_on(api, admin_headers, organisation, before, "leadership")
    late = await _take_on(api, admin_headers, organisation, before, "delivery-practices")
    skills, leadership = await _done(api, admin_headers, skills), await _done(api, admin_headers, leadership)
    await _take_on(api, admin_headers, organisation, before, "team-structure")  # open: not listed
    after = await scored_lifting(api, admin_headers, organisation, "1.1.0", {"culture", "skills"})
    await _done(api, admin_headers, late)  # done after the later one was scored: not listed

    response = await _compare(api, admin_headers, after["assessment_id"], before["assessment_id"])
    assert response.status_code == 200, response.text
    compared = response.json()
    assert compared["from"]["assessment_id"] == before["assessment_id"]  # the older, whatever the order
    assert (compared["from"]["framework_version"], compared["to"]["framework_version"]) == ("1.0.0", "1.1.0")
    assert compared["to"]["assessment_id"] == after["assessment_id"]
    pillars = {p["pillar_id"]: p for p in compared["pillars"]}
    # Both capped at level 2 by the clinical-safety questions answered with their lowest options.
    assert pillars["ways-of-working"] == {
        "pillar_id": "ways-of-working",
        "from_score": 20.0,
        "to_score": 40.0,
        "delta": 20.0,
        "from_level": 2,
        "to_level": 2,
    }
    assert (pillars["operating-model"]["delta"], pillars["operating-model"]["to_level"]) == (0.0, 1)
    capabilities = {c["capability_id"]: c for c in compared["capabilities"]}
    assert capabilities["skills"] == {
        "capability_id": "skills",
        "from_score": 0.0,
        "to_score": 100.0,
        "from_level": 1,
        "to_level": 5,
        "delta": 100.0,
    }
    assert capabilities["culture"]["delta"] == 0.0
    assert compared["only_in_from"] == []
    assert compared["only_in_to"] == ["interoperability-and-data-sharing"]  # new in 1.1.0, not guessed
    assert "interoperability-and-data-sharing" not in capabilities
    assert [
        (a["action_id"], a["level_before"], a["level_after"], a["moved"]) for a in compared["actions"]
    ] == [
        (skills["id"], 1, 5, True),
        (leadership["id"], 1, 1, False),
    ]
    assert compared["actions"][0]["completed_at"] == skills["completed_at"]
    forwards = await _compare(api, admin_headers, before["assessment_id"], after["assessment_id"])
    assert forwards.json() == compared


async def test_an_action_on_a_capability_one_side_lacks_has_not_moved_or_stayed(
    api, admin_headers, make_organisation
):
    organisation = (await make_organisation("RX1"))["id"]
    newer_version = await scored_lifting(api, admin_headers, organisation, "1.1.0", set())
    action = await _done(
        api,
        admin_headers,
        await _take_on(api, admin_headers, organisation, newer_version, "interoperability-and-data-sharing"),
    )
    older_version = await scored_lifting(api, admin_headers, organisation, "1.0.0", set())  # scored later
    compared = (
        await _compare(api, admin_headers, newer_version["assessment_id"], older_version["assessment_id"])
    ).json()
    assert compared["from"]["framework_version"] == "1.1.0"
    assert compared["only_in_from"] == ["interoperability-and-data-sharing"]
    assert compared["only_in_to"] == []
    assert [
        (a["action_id"], a["level_before"], a["level_after"], a["moved"]) for a in compared["actions"]
    ] == [(action["id"], 1, None, None)]


async def test_bad_comparisons(api, admin_headers, make_organisation, make_headers, sessions):
    ours, theirs = (await make_organisation("RX1"))["id"], (await make_organisation("RX2"))["id"]
    scored = (await scored_lifting(api, admin_headers, ours, "1.1.0", set()))["assessment_id"]
    their_scored = (await scored_lifting(api, admin_headers, theirs, "1.1.0", set()))["assessment_id"]
    draft = (await create_assessment(api, admin_headers, ours))["id"]
    other_framework = await insert_assessment_row(sessions, ours, framework_id="another-framework")
    for other in (their_scored, draft, other_framework, MISSING, "not-a-uuid"):
        response = await _compare(api, admin_headers, scored, other)
        assert response.status_code == 422, other
        assert problem_fields(response) == ["query.with"]
    no_with = await api.get(f"/v1/assessments/{scored}/compare", headers=admin_headers)
    assert (no_with.status_code, problem_fields(no_with)) == (422, ["query.with"])
    assert (await _compare(api, admin_headers, draft, scored)).status_code == 409
    limited = await make_headers("read", organisation_ids=[theirs])
    assert (await _compare(api, limited, scored, their_scored)).status_code == 404
    assert (await _compare(api, limited, their_scored, scored)).status_code == 422  # ours reads as missing
    assert (await _compare(api, admin_headers, MISSING, scored)).status_code == 404


async def test_an_assessment_compared_with_itself_moved_nothing(api, admin_headers, make_organisation):
    organisation = (await make_organisation("RX1"))["id"]
    scored = (await scored_lifting(api, admin_headers, organisation, "1.1.0", {"culture"}))["assessment_id"]
    compared = (await _compare(api, admin_headers, scored, scored)).json()
    assert {p["delta"] for p in compared["pillars"]} == {0.0}
    assert (compared["only_in_from"], compared["only_in_to"], compared["actions"]) == ([], [], [])
    assert compared["from"]["assessment_id"] == compared["to"]["assessment_id"] == scored
