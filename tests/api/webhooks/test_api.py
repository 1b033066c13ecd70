"""``/v1/webhooks``: create, list, get, delete and deliveries; admin only; the secret never shown."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from tests.api.webhooks.conftest import SECRET, rows

URL = "https://portal.example.nhs.uk/hooks/baseline"
BOTH = ["assessment.submitted", "assessment.scored"]


def _body(**changes: object) -> dict:
    return {"url": URL, "events": BOTH, "secret": SECRET, **changes}


async def test_create_answers_201_with_location_and_no_secret(api, admin_headers):
    response = await api.post("/v1/webhooks", json=_body(events=["assessment.scored"]), headers=admin_headers)
    assert response.status_code == 201, response.text
    created = response.json()
    assert set(created) == {
        "id",
        "url",
        "events",
        "organisation_ids",
        "enabled",
        "health",
        "consecutive_failures",
        "failing_since",
        "next_probe_at",
        "disabled_at",
        "created_at",
    }
    assert (created["url"], created["events"], created["organisation_ids"]) == (
        URL,
        ["assessment.scored"],
        None,
    )
    assert (created["enabled"], created["health"], created["consecutive_failures"]) == (True, "healthy", 0)
    assert (created["failing_since"], created["next_probe_at"], created["disabled_at"]) == (None, None, None)
    assert response.headers["location"] == f"/v1/webhooks/{created['id']}"
    fetched = await api.get(response.headers["location"], headers=admin_headers)
    assert fetched.status_code == 200
    assert fetched.json() == created
    assert SECRET not in fetched.text


async def test_the_secret_is_in_no_answer(api, admin_headers):
    created = (await api.post("/v1/webhooks", json=_body(), headers=admin_headers)).json()
    answers = [
        await api.get("/v1/webhooks", headers=admin_headers),
        await api.get(f"/v1/webhooks/{created['id']}", headers=admin_headers),
        await api.get(f"/v1/webhooks/{created['id']}/deliveries", headers=admin_headers),
    ]
    assert all(a.status_code == 200 and SECRET not in a.text for a in answers)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"url": "ftp://example.org/hook"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"url": "https://" + "a" * 2100 + ".example"}, "url"),
        ({"url": "https://example.org/" + "é" * 1000}, "url"),  # 6000 characters once encoded
        ({"events": []}, "events"),
        ({"events": ["assessment.deleted"]}, "events[0]"),
        ({"events": ["assessment.scored", "assessment.scored"]}, "events"),
        ({"secret": "too-short"}, "secret"),
        ({"secret": "x" * 257}, "secret"),
        ({"secret": "has spaces in the middle of it"}, "secret"),
        ({"secret": "non-ascii-secret-ééééééé"}, "secret"),
        ({"extra": True}, "extra"),
        ({"organisation_ids": []}, "organisation_ids"),
        ({"organisation_ids": ["not-a-uuid"]}, "organisation_ids[0]"),
    ],
)
async def test_invalid_bodies_are_422_naming_the_field(api, admin_headers, changes, field):
    response = await api.post("/v1/webhooks", json=_body(**changes), headers=admin_headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [error["field"] for error in response.json()["errors"]]


@pytest.mark.parametrize("missing", ["url", "events", "secret"])
async def test_every_field_is_required(api, admin_headers, missing):
    body = _body()
    del body[missing]
    assert (await api.post("/v1/webhooks", json=body, headers=admin_headers)).status_code == 422


async def test_http_urls_and_secrets_at_the_limits_are_accepted(api, admin_headers):
    for url, secret in [("http://10.0.0.7:8080/hook", "s" * 16), (URL, "~" * 256)]:
        response = await api.post("/v1/webhooks", json=_body(url=url, secret=secret), headers=admin_headers)
        assert response.status_code == 201, response.text
        assert response.json()["url"] == url


async def test_listing_walks_every_page_once_oldest_first(api, admin_headers):
    created = [
        (await api.post("/v1/webhooks", json=_body(), headers=admin_headers)).json()["id"] for _ in range(5)
    ]
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await api.get("/v1/webhooks", params=params, headers=admin_headers)).json()
        seen += [item["id"] for item in page["items"]]
        if (cursor := page["next_cursor"]) is None:
            break
    assert seen == created


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "cursor=bm90LWEtY3Vyc29y", "cursor=%%%"])
async def test_bad_paging_is_422(api, admin_headers, query):
    assert (await api.get(f"/v1/webhooks?{query}", headers=admin_headers)).status_code == 422


async def test_delete_answers_204_and_the_webhook_is_gone(api, admin_headers):
    created = (await api.post("/v1/webhooks", json=_body(), headers=admin_headers)).json()
    url = f"/v1/webhooks/{created['id']}"
    response = await api.delete(url, headers=admin_headers)
    assert response.status_code == 204
    assert response.content == b""
    assert (await api.get(url, headers=admin_headers)).status_code == 404
    assert (await api.get(f"{url}/deliveries", headers=admin_headers)).status_code == 404
    assert (await api.delete(url, headers=admin_headers)).status_code == 404
    assert (await api.get("/v1/webhooks", headers=admin_headers)).json()["items"] == []


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("GET", ""), ("PATCH", ""), ("DELETE", ""), ("GET", "/deliveries")],
    ids=["get", "patch", "delete", "deliveries"],
)
async def test_unknown_ids_are_404_problems(api, admin_headers, method, suffix):
    body = {"enabled": True} if method == "PATCH" else None
    response = await api.request(
        method, f"/v1/webhooks/{uuid.uuid4()}{suffix}", json=body, headers=admin_headers
    )
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "No such webhook."


async def test_a_malformed_id_is_422(api, admin_headers):
    assert (await api.get("/v1/webhooks/not-a-uuid", headers=admin_headers)).status_code == 422


@pytest.mark.parametrize("scopes", [("write",), ("read", "write", "ingest")])
async def test_only_admins_manage_webhooks(api, admin_headers, make_headers, scopes):
    headers = await make_headers(*scopes)
    created = (await api.post("/v1/webhooks", json=_body(), headers=admin_headers)).json()
    url = f"/v1/webhooks/{created['id']}"
    for method, path, body in [
        ("POST", "/v1/webhooks", _body()),
        ("GET", "/v1/webhooks", None),
        ("GET", url, None),
        ("GET", f"{url}/deliveries", None),
        ("PATCH", url, {"enabled": False}),
        ("DELETE", url, None),
    ]:
        response = await api.request(method, path, json=body, headers=headers)
        assert response.status_code == 403, f"{method} {path}: {response.text}"
    assert (await api.get(url, headers=admin_headers)).status_code == 200


async def test_the_webhooks_scope_manages_webhooks(api, make_headers):
    headers = await make_headers("webhooks")
    created = await api.post("/v1/webhooks", json=_body(), headers=headers)
    assert created.status_code == 201, created.text
    url = f"/v1/webhooks/{created.json()['id']}"
    assert (await api.get(url, headers=headers)).status_code == 200
    assert (await api.patch(url, json={"enabled": False}, headers=headers)).json()["enabled"] is False
    assert (await api.delete(url, headers=headers)).status_code == 204


async def test_a_token_limited_to_organisations_manages_only_their_webhooks(
    api, admin_headers, make_headers, make_organisation
):
    mine, other = await make_organisation("RX1"), await make_organisation("RX2")
    limited = await make_headers("webhooks", organisation_ids=[mine["id"]])
    # By default a limited token's webhook is limited to the token's organisations.
    created = await api.post("/v1/webhooks", json=_body(), headers=limited)
    assert created.status_code == 201, created.text
    assert created.json()["organisation_ids"] == [mine["id"]]
    refused = await api.post("/v1/webhooks", json=_body(organisation_ids=[other["id"]]), headers=limited)
    assert refused.status_code == 403
    for body in (_body(), _body(organisation_ids=[mine["id"], other["id"]])):
        await api.post("/v1/webhooks", json=body, headers=admin_headers)
    listed = (await api.get("/v1/webhooks", headers=limited)).json()["items"]
    assert [item["id"] for item in listed] == [created.json()["id"]]
    everyone = (await api.get("/v1/webhooks", headers=admin_headers)).json()["items"]
    assert len(everyone) == 3  # the admin still manages all
    for hidden in everyone[1:]:
        for method, suffix in [("GET", ""), ("PATCH", ""), ("DELETE", ""), ("GET", "/deliveries")]:
            patch = {"enabled": False} if method == "PATCH" else None
            answer = await api.request(
                method, f"/v1/webhooks/{hidden['id']}{suffix}", json=patch, headers=limited
            )
            assert answer.status_code == 404, f"{method} {suffix}"


async def test_unknown_organisations_are_422_naming_them(api, admin_headers):
    body = _body(organisation_ids=[str(uuid.uuid4())])
    response = await api.post("/v1/webhooks", json=body, headers=admin_headers)
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["organisation_ids[0]"]


async def test_the_creating_key_is_recorded(api, make_headers, sessions):
    headers = await make_headers("admin")
    created = (await api.post("/v1/webhooks", json=_body(), headers=headers)).json()
    keys = (await api.get("/v1/api-keys", headers=headers)).json()["items"]
    [stored] = await rows(
        sessions, "SELECT created_by FROM webhooks WHERE id = :id", id=uuid.UUID(created["id"])
    )
    assert stored["created_by"] == uuid.UUID(keys[0]["id"])


async def test_deliveries_are_paged_newest_first_and_filtered_by_status(
    api, admin_headers, create_webhook, submitted_event, sessions
):
    webhook = await create_webhook(URL, ["assessment.submitted"])
    for _ in range(3):
        await submitted_event()
    await _execute(sessions, "UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL")
    stored = await rows(sessions, "SELECT id FROM webhook_deliveries ORDER BY created_at DESC, id DESC")
    url = f"/v1/webhooks/{webhook['id']}/deliveries"
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await api.get(url, params=params, headers=admin_headers)).json()
        seen += [item["id"] for item in page["items"]]
        if (cursor := page["next_cursor"]) is None:
            break
    assert seen == [str(row["id"]) for row in stored]
    failed = (await api.get(url, params={"status": "failed"}, headers=admin_headers)).json()["items"]
    assert len(failed) == 3
    assert (await api.get(url, params={"status": "pending"}, headers=admin_headers)).json()["items"] == []
    assert (await api.get(url, params={"status": "lost"}, headers=admin_headers)).status_code == 422


async def _execute(sessions, sql: str) -> None:
    async with sessions() as session, session.begin():
        await session.execute(text(sql))
