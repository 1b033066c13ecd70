"""Assessments: creation pinned to a framework version, listing, edits, ETags and reach."""

from __future__ import annotations

import uuid

import pytest

from framework_model import content_hash, load_framework
from tests.api.test_assessments_support import FRAMEWORK_ID, LATEST, create_assessment, problem_fields

URL = "/v1/organisations/{}/assessments"


@pytest.fixture
async def organisation(make_organisation):
    return await make_organisation("RX1")


async def test_creation_defaults_to_latest_published_version_and_default_targets(
    api, admin_headers, organisation
):
    response = await api.post(
        URL.format(organisation["id"]), json={"framework_id": FRAMEWORK_ID}, headers=admin_headers
    )
    assert response.status_code == 201, response.text
    body = response.json()
    framework = load_framework(FRAMEWORK_ID, LATEST)
    assert body["framework_version"] == LATEST
    assert body["content_hash"] == content_hash(framework)
    assert body["targets"] == framework.default_targets
    assert (body["status"], body["revision"], body["title"], body["organisation_id"]) == (
        "draft",
        1,
        None,
        organisation["id"],
    )
    assert (body["submitted_at"], body["scored_at"]) == (None, None)
    assert response.headers["location"] == f"/v1/assessments/{body['id']}"
    assert response.headers["etag"] == '"1"'


async def test_creation_pins_a_chosen_version_and_overlays_targets(api, admin_headers, organisation):
    body = await create_assessment(
        api,
        admin_headers,
        organisation["id"],
        framework_version="1.0.0",
        targets={"ways-of-working": 5},
        title="2026 baseline",
    )
    framework = load_framework(FRAMEWORK_ID, "1.0.0")
    assert body["framework_version"] == "1.0.0"
    assert body["content_hash"] == content_hash(framework)
    assert body["targets"] == {**framework.default_targets, "ways-of-working": 5}
    assert body["title"] == "2026 baseline"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"framework_id": "no-such-framework"}, "framework_id"),
        ({"framework_id": FRAMEWORK_ID, "framework_version": "9.9.9"}, "framework_version"),
        ({"framework_id": FRAMEWORK_ID, "targets": {"no-such-pillar": 3}}, "targets.no-such-pillar"),
        ({"framework_id": FRAMEWORK_ID, "targets": {"ways-of-working": 6}}, "targets.ways-of-working"),
        ({"framework_id": FRAMEWORK_ID, "targets": {"ways-of-working": 0}}, "targets.ways-of-working"),
        ({"framework_id": FRAMEWORK_ID, "title": "x" * 201}, "title"),
        ({"framework_id": FRAMEWORK_ID, "colour": "blue"}, "colour"),
    ],
)
async def test_creation_refuses_what_does_not_fit(api, admin_headers, organisation, body, field):
    response = await api.post(URL.format(organisation["id"]), json=body, headers=admin_headers)
    assert response.status_code == 422, response.text
    assert problem_fields(response) == [field]


async def test_creation_for_a_missing_organisation_is_404(api, admin_headers):
    response = await api.post(
        URL.format(uuid.uuid4()), json={"framework_id": FRAMEWORK_ID}, headers=admin_headers
    )
    assert response.status_code == 404


async def test_get_returns_the_assessment_with_its_etag(api, admin_headers, organisation):
    created = await create_assessment(api, admin_headers, organisation["id"])
    response = await api.get(f"/v1/assessments/{created['id']}", headers=admin_headers)
    assert response.status_code == 200
    assert (created.pop("carried"), created.pop("not_carried")) == (0, [])  # only the 201 says these
    assert response.json() == created
    assert response.headers["etag"] == '"1"'
    assert (await api.get(f"/v1/assessments/{uuid.uuid4()}", headers=admin_headers)).status_code == 404


async def test_list_is_newest_first_paged_and_filtered(api, admin_headers, organisation):
    ids = [(await create_assessment(api, admin_headers, organisation["id"]))["id"] for _ in range(3)]
    older = await create_assessment(api, admin_headers, organisation["id"], framework_version="1.0.0")
    url = URL.format(organisation["id"])
    first = (await api.get(url, params={"limit": 3}, headers=admin_headers)).json()
    assert [a["id"] for a in first["items"]] == [older["id"], *reversed(ids[1:])]
    second = (
        await api.get(url, params={"limit": 3, "cursor": first["next_cursor"]}, headers=admin_headers)
    ).json()
    assert [a["id"] for a in second["items"]] == [ids[0]]
    assert second["next_cursor"] is None
    pinned = await api.get(
        url, params={"framework_id": FRAMEWORK_ID, "status": "draft"}, headers=admin_headers
    )
    assert len(pinned.json()["items"]) == 4
    scored = await api.get(url, params={"status": "scored"}, headers=admin_headers)
    assert scored.json() == {"items": [], "next_cursor": None}


async def test_list_refuses_a_bad_cursor_or_status(api, admin_headers, organisation):
    url = URL.format(organisation["id"])
    assert problem_fields(await api.get(url, params={"cursor": "nope"}, headers=admin_headers)) == [
        "query.cursor"
    ]
    assert problem_fields(await api.get(url, params={"status": "lost"}, headers=admin_headers)) == [
        "query.status"
    ]


async def test_patch_changes_title_and_merges_targets(api, admin_headers, organisation):
    created = await create_assessment(api, admin_headers, organisation["id"], title="draft one")
    url = f"/v1/assessments/{created['id']}"
    response = await api.patch(url, json={"targets": {"operating-model": 4}}, headers=admin_headers)
    assert response.status_code == 200, response.text
    assert response.json()["targets"] == {**created["targets"], "operating-model": 4}
    assert response.json()["title"] == "draft one"
    cleared = (await api.patch(url, json={"title": None}, headers=admin_headers)).json()
    assert cleared["title"] is None
    assert cleared["revision"] == 3


async def test_patch_refuses_unknown_targets(api, admin_headers, organisation):
    created = await create_assessment(api, admin_headers, organisation["id"])
    url = f"/v1/assessments/{created['id']}"
    response = await api.patch(url, json={"targets": {"clinical": 3}}, headers=admin_headers)
    assert problem_fields(response) == ["targets.clinical"]


async def test_if_match_with_a_stale_tag_is_412_and_with_the_fresh_tag_succeeds(
    api, admin_headers, organisation
):
    created = await create_assessment(api, admin_headers, organisation["id"])
    url = f"/v1/assessments/{created['id']}"
    first = await api.patch(url, json={"title": "first"}, headers={**admin_headers, "If-Match": '"1"'})
    assert first.status_code == 200
    assert first.headers["etag"] == '"2"'
    stale = await api.patch(url, json={"title": "stale"}, headers={**admin_headers, "If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    weak = await api.patch(url, json={"title": "weak"}, headers={**admin_headers, "If-Match": 'W/"2"'})
    assert weak.status_code == 412
    fresh = await api.patch(url, json={"title": "fresh"}, headers={**admin_headers, "If-Match": '"9", "2"'})
    assert fresh.status_code == 200
    assert (await api.get(url, headers=admin_headers)).json()["title"] == "fresh"


async def test_a_key_limited_to_another_organisation_sees_404(
    api, admin_headers, make_headers, make_organisation
):
    theirs = await make_organisation("RX2")
    ours = await make_organisation("RX3")
    assessment = await create_assessment(api, admin_headers, theirs["id"])
    headers = await make_headers("read", "write", organisation_ids=[ours["id"]])
    url = f"/v1/assessments/{assessment['id']}"
    assert (await api.get(url, headers=headers)).status_code == 404
    assert (await api.patch(url, json={"title": "x"}, headers=headers)).status_code == 404
    assert (await api.get(f"{url}/responses", headers=headers)).status_code == 404
    assert (await api.put(f"{url}/responses/x", json={"value": "none"}, headers=headers)).status_code == 404
    assert (await api.post(f"{url}/submit", headers=headers)).status_code == 404
    assert (await api.get(f"{url}/result", headers=headers)).status_code == 404
    assert (await api.get(f"{url}/preview", headers=headers)).status_code == 404
    assert (await api.get(URL.format(theirs["id"]), headers=headers)).status_code == 404
    progress = f"/v1/organisations/{theirs['id']}/progress"
    assert (
        await api.get(progress, params={"framework_id": FRAMEWORK_ID}, headers=headers)
    ).status_code == 404
    create = await api.post(URL.format(theirs["id"]), json={"framework_id": FRAMEWORK_ID}, headers=headers)
    assert create.status_code == 404


async def test_a_read_only_key_cannot_write(api, admin_headers, make_headers, organisation):
    assessment = await create_assessment(api, admin_headers, organisation["id"])
    headers = await make_headers("read")
    assert (await api.get(f"/v1/assessments/{assessment['id']}", headers=headers)).status_code == 200
    response = await api.patch(f"/v1/assessments/{assessment['id']}", json={"title": "x"}, headers=headers)
    assert response.status_code == 403
