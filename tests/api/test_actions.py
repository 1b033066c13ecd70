"""Actions: recommendation steps taken on, with owners, due dates and status."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from baseline_api.actions.dates import london_today
from baseline_api.actions.service import open_actions_for_assessment
from framework_model import latest_published
from tests.api.test_assessments_support import (
    FRAMEWORK_ID,
    create_assessment,
    lowest,
    problem_fields,
    scored_assessment,
)

MISSING = "00000000-0000-4000-8000-000000000000"


async def _scored(api, headers, organisation_id: str, version: str = "1.1.0") -> dict:
    return await scored_assessment(api, headers, organisation_id, version=version, pick=lowest)


async def _take_on(api, headers, organisation_id: str, body: dict) -> dict:
    response = await api.post(f"/v1/organisations/{organisation_id}/actions", json=body, headers=headers)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/v1/actions/{response.json()['id']}"
    return response.json()


def _body(result: dict, index: int = 0, **fields: object) -> dict:
    recommendation = result["recommendations"][index]
    return {
        "assessment_id": result["assessment_id"],
        "recommendation_id": recommendation["recommendation_id"],
        "owner": "Head of IT",
        **fields,
    }


async def test_an_action_copies_its_step_and_is_due_in_a_quarter_by_default(
    api, admin_headers, make_organisation
):
    organisation = await make_organisation("RX1")
    result = await _scored(api, admin_headers, organisation["id"])
    recommendation = result["recommendations"][0]
    action = await _take_on(api, admin_headers, organisation["id"], _body(result, notes="Start small."))
    assert action["organisation_id"] == organisation["id"]
    assert action["assessment_id"] == result["assessment_id"]
    assert action["recommendation_id"] == recommendation["recommendation_id"]
    assert action["capability_id"] == recommendation["capability_id"]
    assert action["title"] == recommendation["title"]
    assert action["done_when"] is None  # 1.x steps have none
    assert action["due_on"] == (london_today() + timedelta(days=90)).isoformat()
    assert (action["status"], action["overdue"], action["notes"]) == ("planned", False, "Start small.")
    assert action["completed_at"] is None
    fetched = await api.get(f"/v1/actions/{action['id']}", headers=admin_headers)
    assert fetched.status_code == 200
    assert fetched.json() == action


async def test_done_sets_completed_at_and_leaving_done_clears_it(api, admin_headers, make_organisation):
    organisation = await make_organisation("RX1")
    result = await _scored(api, admin_headers, organisation["id"])
    action = await _take_on(api, admin_headers, organisation["id"], _body(result, due_on="2030-01-31"))
    url = f"/v1/actions/{action['id']}"
    started = await api.patch(url, json={"status": "in_progress", "owner": "PMO"}, headers=admin_headers)
    assert started.status_code == 200, started.text
    assert (started.json()["status"], started.json()["owner"], started.json()["completed_at"]) == (
        "in_progress",
        "PMO",
        None,
    )
    done = (await api.patch(url, json={"status": "done"}, headers=admin_headers)).json()
    assert done["status"] == "done"
    assert done["completed_at"] is not None
    noted = (await api.patch(url, json={"notes": "Signed off."}, headers=admin_headers)).json()
    assert noted["completed_at"] == done["completed_at"]  # still done: the completion stays as it was
    reopened = (await api.patch(url, json={"status": "planned"}, headers=admin_headers)).json()
    assert (reopened["status"], reopened["completed_at"]) == ("planned", None)
    assert reopened["due_on"] == "2030-01-31"
    assert reopened["notes"] == "Signed off."
    cleared = (await api.patch(url, json={"notes": None}, headers=admin_headers)).json()
    assert cleared["notes"] is None


async def test_one_open_action_per_recommendation(api, admin_headers, make_organisation):
    organisation = await make_organisation("RX1")
    first = await _scored(api, admin_headers, organisation["id"])
    second = await _scored(api, admin_headers, organisation["id"])
    action = await _take_on(api, admin_headers, organisation["id"], _body(first))
    url = f"/v1/organisations/{organisation['id']}/actions"
    again = await api.post(url, json=_body(second), headers=admin_headers)  # the same step, another result
    assert again.status_code == 409, again.text
    assert problem_fields(again) == ["recommendation_id"]
    await api.patch(f"/v1/actions/{action['id']}", json={"status": "dropped"}, headers=admin_headers)
    replacement = await _take_on(api, admin_headers, organisation["id"], _body(second))
    reopened = await api.patch(
        f"/v1/actions/{action['id']}", json={"status": "planned"}, headers=admin_headers
    )
    assert reopened.status_code == 409, reopened.text
    unchanged = await api.get(f"/v1/actions/{action['id']}", headers=admin_headers)
    assert unchanged.json()["status"] == "dropped"
    assert replacement["status"] == "planned"


async def test_list_filters_and_pages_newest_first(api, admin_headers, make_organisation):
    organisation = await make_organisation("RX1")
    result = await _scored(api, admin_headers, organisation["id"])
    yesterday = (london_today() - timedelta(days=1)).isoformat()
    created = [
        await _take_on(api, admin_headers, organisation["id"], _body(result, i, due_on=yesterday))
        for i in range(3)
    ]
    await api.patch(f"/v1/actions/{created[0]['id']}", json={"status": "done"}, headers=admin_headers)
    url = f"/v1/organisations/{organisation['id']}/actions"

    async def ids(**params: object) -> list[str]:
        response = await api.get(url, params=params, headers=admin_headers)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    newest_first = [a["id"] for a in reversed(created)]
    assert await ids() == newest_first
    assert await ids(overdue="true") == newest_first[:2]
    assert await ids(overdue="false") == newest_first[2:]
    assert await ids(status="done") == [created[0]["id"]]
    capability = result["recommendations"][1]["capability_id"]
    assert created[1]["id"] in await ids(capability_id=capability)
    assert await ids(capability_id="no-such-capability") == []
    page = (await api.get(url, params={"limit": 2}, headers=admin_headers)).json()
    assert [a["id"] for a in page["items"]] == newest_first[:2]
    rest = await ids(limit=2, cursor=page["next_cursor"])
    assert rest == newest_first[2:]
    overdue = (await api.get(f"/v1/actions/{created[1]['id']}", headers=admin_headers)).json()
    assert overdue["overdue"] is True


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"recommendation_id": "rec-not-in-the-result"}, "recommendation_id"),
        ({"assessment_id": MISSING}, "assessment_id"),
        ({"due_on": "2027-02-30"}, "due_on"),
        ({"due_on": "next week"}, "due_on"),
        ({"owner": ""}, "owner"),
        ({"owner": "   "}, "owner"),
        ({"status": "done"}, "status"),  # not a field of a new action
    ],
)
async def test_bad_new_actions_are_422_naming_the_field(api, admin_headers, make_organisation, change, field):
    organisation = await make_organisation("RX1")
    result = await _scored(api, admin_headers, organisation["id"])
    url = f"/v1/organisations/{organisation['id']}/actions"
    response = await api.post(url, json=_body(result) | change, headers=admin_headers)
    assert response.status_code == 422, response.text
    assert problem_fields(response) == [field]
    assert (await api.get(url, headers=admin_headers)).json()["items"] == []


async def test_an_assessment_of_another_organisation_or_a_draft_is_422(api, admin_headers, make_organisation):
    ours, theirs = await make_organisation("RX1"), await make_organisation("RX2")
    their_result = await _scored(api, admin_headers, theirs["id"])
    url = f"/v1/organisations/{ours['id']}/actions"
    response = await api.post(url, json=_body(their_result), headers=admin_headers)
    assert (response.status_code, problem_fields(response)) == (422, ["assessment_id"])
    draft = await create_assessment(api, admin_headers, ours["id"])
    body = _body(their_result) | {"assessment_id": draft["id"]}
    response = await api.post(url, json=body, headers=admin_headers)
    assert (response.status_code, problem_fields(response)) == (422, ["assessment_id"])


@pytest.mark.parametrize(
    "change",
    [{"status": "finished"}, {"status": None}, {"due_on": "31/01/2030"}, {"due_on": None}, {"owner": None}],
)
async def test_bad_changes_are_422_naming_the_field(api, admin_headers, make_organisation, change):
    organisation = await make_organisation("RX1")
    result = await _scored(api, admin_headers, organisation["id"])
    action = await _take_on(api, admin_headers, organisation["id"], _body(result))
    response = await api.patch(f"/v1/actions/{action['id']}", json=change, headers=admin_headers)
    assert response.status_code == 422, response.text
    assert problem_fields(response) == list(change)
    assert (await api.get(f"/v1/actions/{action['id']}", headers=admin_headers)).json() == action


async def test_another_organisations_token_gets_404_everywhere(
    api, admin_headers, make_organisation, make_headers
):
    ours, theirs = await make_organisation("RX1"), await make_organisation("RX2")
    result = await _scored(api, admin_headers, ours["id"])
    action = await _take_on(api, admin_headers, ours["id"], _body(result))
    other = await make_headers("read", "write", organisation_ids=[theirs["id"]])
    requests = [
        api.get(f"/v1/actions/{action['id']}", headers=other),
        api.patch(f"/v1/actions/{action['id']}", json={"status": "done"}, headers=other),
        api.get(f"/v1/organisations/{ours['id']}/actions", headers=other),
        api.post(f"/v1/organisations/{ours['id']}/actions", json=_body(result), headers=other),
        api.get(f"/v1/actions/{MISSING}", headers=admin_headers),
    ]
    for request in requests:
        assert (await request).status_code == 404
    assert (await api.get(f"/v1/actions/{action['id']}", headers=admin_headers)).json()["status"] == "planned"


async def test_actions_record_who_created_and_changed_them(
    api, admin_headers, make_organisation, make_headers
):
    organisation = await make_organisation("RX1")
    result = await _scored(api, admin_headers, organisation["id"])
    writer = await make_headers("read", "write")
    action = await _take_on(api, writer, organisation["id"], _body(result))
    keys = (await api.get("/v1/api-keys", headers=admin_headers)).json()["items"]
    assert action["created_by"] == action["updated_by"] == keys[0]["id"]
    changed = await api.patch(f"/v1/actions/{action['id']}", json={"owner": "CNIO"}, headers=admin_headers)
    assert (changed.json()["created_by"], changed.json()["updated_by"]) == (keys[0]["id"], None)


async def test_marking_done_records_one_completed_event_with_the_change(
    api, admin_headers, make_organisation, sessions
):
    organisation = await make_organisation("RX1")
    result = await _scored(api, admin_headers, organisation["id"])
    action = await _take_on(api, admin_headers, organisation["id"], _body(result))
    url = f"/v1/actions/{action['id']}"
    for status in ("in_progress", "done", "done", "planned", "done"):
        assert (await api.patch(url, json={"status": status}, headers=admin_headers)).status_code == 200
    async with sessions() as session:
        rows = (
            await session.execute(text("SELECT type, payload FROM events WHERE type LIKE 'action.%'"))
        ).all()
    assert [row.type for row in rows] == ["action.completed", "action.completed"]  # done twice, from not done
    payload = rows[-1].payload
    assert payload["action_id"] == action["id"]
    assert payload["status"] == "done"
    assert payload["due_on"] == action["due_on"]
    assert payload["completed_at"].endswith("Z")
    assert date.fromisoformat(payload["due_on"]) > london_today()


async def test_the_reports_open_actions_are_those_taking_on_its_recommendations(
    api, admin_headers, make_organisation, sessions
):
    organisation = await make_organisation("RX1")
    first = await _scored(api, admin_headers, organisation["id"], version="1.0.0")
    later = await _scored(api, admin_headers, organisation["id"])
    shared = [r["recommendation_id"] for r in first["recommendations"]]
    open_one = await _take_on(api, admin_headers, organisation["id"], _body(first, 0, due_on="2030-02-01"))
    soonest = await _take_on(api, admin_headers, organisation["id"], _body(first, 1, due_on="2030-01-01"))
    done = await _take_on(api, admin_headers, organisation["id"], _body(first, 2))
    await api.patch(f"/v1/actions/{done['id']}", json={"status": "done"}, headers=admin_headers)
    only_later = next(r for r in later["recommendations"] if r["recommendation_id"] not in shared)
    body = _body(later) | {"recommendation_id": only_later["recommendation_id"], "due_on": "2031-01-01"}
    newest = await _take_on(api, admin_headers, organisation["id"], body)
    async with sessions() as session:
        for_later = await open_actions_for_assessment(session, uuid.UUID(later["assessment_id"]))
        for_first = await open_actions_for_assessment(session, uuid.UUID(first["assessment_id"]))
        draft = await create_assessment(api, admin_headers, organisation["id"])
        for_draft = await open_actions_for_assessment(session, uuid.UUID(draft["id"]))
    later_ids = {r["recommendation_id"] for r in later["recommendations"]}
    expected = [a["id"] for a in (soonest, open_one, newest) if a["recommendation_id"] in later_ids]
    assert [str(a.id) for a in for_later] == expected  # soonest due first, whichever result it came from
    assert [str(a.id) for a in for_first] == [soonest["id"], open_one["id"]]
    assert for_draft == []


LATEST_FRAMEWORK = latest_published(FRAMEWORK_ID)
STEPS_WITH_DURATIONS = any(r.duration_days for r in LATEST_FRAMEWORK.recommendations)


@pytest.mark.skipif(not STEPS_WITH_DURATIONS, reason="the latest version gives its steps no duration_days")
async def test_an_action_on_a_step_with_a_duration_is_due_when_the_step_says(
    api, admin_headers, make_organisation
):
    organisation = await make_organisation("RX1")
    result = await _scored(api, admin_headers, organisation["id"], version=LATEST_FRAMEWORK.version)
    steps = {r.recommendation_id: r for r in LATEST_FRAMEWORK.recommendations}
    index, step = next(
        (i, steps[r["recommendation_id"]])
        for i, r in enumerate(result["recommendations"])
        if steps[r["recommendation_id"]].duration_days
    )
    action = await _take_on(api, admin_headers, organisation["id"], _body(result, index))
    assert step.duration_days is not None
    assert action["due_on"] == (london_today() + timedelta(days=step.duration_days)).isoformat()
    assert action["done_when"] == step.done_when
    assert action["title"] == step.title
