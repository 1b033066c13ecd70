"""API keys: creation, listing, revocation, and what a key limited to organisations may mint."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from baseline_api.auth.api_keys import digest
from baseline_api.core.settings import libpq_url
from baseline_api.models import Base

PROBLEM_JSON = "application/problem+json"


def _fields(response) -> list[str]:
    assert response.headers["content-type"] == PROBLEM_JSON, response.text
    return [error["field"] for error in response.json()["errors"]]


def _bearer(created: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {created['token']}"}


async def _create(api, headers, **body):
    return await api.post(
        "/v1/api-keys", json={"name": "portal", "scopes": ["read"], **body}, headers=headers
    )


async def test_create_returns_the_token_once_with_location(api, admin_headers):
    response = await _create(api, admin_headers, scopes=["read", "write"])
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == f"/v1/api-keys/{body['id']}"
    assert body["name"] == "portal"
    assert body["scopes"] == ["read", "write"]
    assert body["organisation_ids"] is None
    assert body["token"].startswith(f"bl_{body['prefix']}_")
    assert body["created_at"]
    assert (await api.get("/v1/organisations", headers=_bearer(body))).status_code == 200


async def test_listing_never_shows_tokens(api, admin_headers):
    created = (await _create(api, admin_headers)).json()
    listed = (await api.get("/v1/api-keys", headers=admin_headers)).json()
    assert [item["id"] for item in listed["items"]] == [created["id"]]
    assert "token" not in listed["items"][0]
    assert created["token"] not in str(listed)


def _every_row_as_text(database_url: str) -> str:
    with psycopg.connect(libpq_url(database_url)) as connection:
        return "\n".join(
            row[0]
            for table in Base.metadata.sorted_tables
            for row in connection.execute(f'SELECT row_to_json(t)::text FROM "{table.name}" t').fetchall()
        )


async def test_the_database_holds_only_a_digest_of_the_token(api, admin_headers, database_url):
    created = (await _create(api, admin_headers)).json()
    secret = created["token"].split("_", 2)[2]
    stored = _every_row_as_text(database_url)
    assert created["prefix"] in stored
    assert digest(secret) in stored
    for form in (secret, secret.encode().hex()):  # bytea columns read as hex
        assert form not in stored


async def test_the_token_is_not_cacheable(api, admin_headers):
    response = await _create(api, admin_headers)
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"scopes": []}, "scopes"),
        ({"scopes": ["read", "read"]}, "scopes"),
        ({"scopes": ["read", "root"]}, "scopes[1]"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "nul\u0000inside"}, "name"),
        ({"organisation_ids": []}, "organisation_ids"),
        ({"organisation_ids": ["not-a-uuid"]}, "organisation_ids[0]"),
        ({"secret": "typo"}, "secret"),
    ],
)
async def test_invalid_bodies_are_422_naming_the_field(api, admin_headers, body, field):
    response = await _create(api, admin_headers, **body)
    assert response.status_code == 422
    assert field in _fields(response)


async def test_duplicate_organisation_ids_are_refused(api, admin_headers, make_organisation):
    organisation = await make_organisation("RX1")
    response = await _create(api, admin_headers, organisation_ids=[organisation["id"]] * 2)
    assert response.status_code == 422
    assert _fields(response) == ["organisation_ids"]


async def test_unknown_organisation_ids_are_422_naming_each(api, admin_headers, make_organisation):
    organisation = await make_organisation("RX1")
    ids = [organisation["id"], str(uuid.uuid4()), str(uuid.uuid4())]
    response = await _create(api, admin_headers, organisation_ids=ids)
    assert response.status_code == 422
    assert _fields(response) == ["organisation_ids[1]", "organisation_ids[2]"]


@pytest.mark.parametrize("scopes", [("read",), ("read", "write", "ingest")])
async def test_only_admins_manage_keys(api, make_headers, scopes):
    headers = await make_headers(*scopes)
    assert (await _create(api, headers)).status_code == 403
    assert (await api.get("/v1/api-keys", headers=headers)).status_code == 403
    assert (await api.delete(f"/v1/api-keys/{uuid.uuid4()}", headers=headers)).status_code == 403


async def test_revocation_takes_effect_on_the_next_request(api, admin_headers):
    created = (await _create(api, admin_headers)).json()
    assert (await api.get("/v1/organisations", headers=_bearer(created))).status_code == 200
    revoked = await api.delete(f"/v1/api-keys/{created['id']}", headers=admin_headers)
    assert revoked.status_code == 204
    assert revoked.content == b""
    after = await api.get("/v1/organisations", headers=_bearer(created))
    assert after.status_code == 401
    assert after.headers["www-authenticate"].startswith("Bearer")


async def test_revoking_twice_or_an_unknown_key_is_404(api, admin_headers):
    created = (await _create(api, admin_headers)).json()
    assert (await api.delete(f"/v1/api-keys/{created['id']}", headers=admin_headers)).status_code == 204
    assert (await api.delete(f"/v1/api-keys/{created['id']}", headers=admin_headers)).status_code == 404
    missing = await api.delete(f"/v1/api-keys/{uuid.uuid4()}", headers=admin_headers)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == PROBLEM_JSON
    assert (await api.delete("/v1/api-keys/not-a-uuid", headers=admin_headers)).status_code == 422


async def test_revoked_keys_are_listed_only_on_request(api, admin_headers):
    kept = (await _create(api, admin_headers, name="kept")).json()
    gone = (await _create(api, admin_headers, name="gone")).json()
    await api.delete(f"/v1/api-keys/{gone['id']}", headers=admin_headers)
    active = (await api.get("/v1/api-keys", headers=admin_headers)).json()["items"]
    assert [item["id"] for item in active] == [kept["id"]]
    everything = (await api.get("/v1/api-keys?include_revoked=true", headers=admin_headers)).json()["items"]
    revoked_at = {item["id"]: item["revoked_at"] for item in everything}
    assert revoked_at[kept["id"]] is None
    assert revoked_at[gone["id"]] is not None


async def test_listing_walks_every_page_once(api, admin_headers):
    ids = [(await _create(api, admin_headers, name=f"key {n}")).json()["id"] for n in range(7)]
    seen, cursor = [], None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = (await api.get("/v1/api-keys", params=params, headers=admin_headers)).json()
        assert len(page["items"]) <= 3
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "cursor=garbage", "cursor=WyJ4IiwieSJd"])
async def test_bad_paging_is_422(api, admin_headers, query):
    response = await api.get(f"/v1/api-keys?{query}", headers=admin_headers)
    assert response.status_code == 422
    assert _fields(response)[0].startswith("query.")


async def _limited_admin(api, admin_headers, organisation_id) -> dict[str, str]:
    created = await _create(api, admin_headers, scopes=["admin"], organisation_ids=[organisation_id])
    assert created.status_code == 201
    return _bearer(created.json())


async def test_a_limited_admin_cannot_mint_a_wider_key(api, admin_headers, make_organisation):
    own, other = await make_organisation("RX1"), await make_organisation("RX2")
    limited = await _limited_admin(api, admin_headers, own["id"])
    assert (await _create(api, limited, scopes=["admin"])).status_code == 403
    assert (await _create(api, limited, organisation_ids=[other["id"]])).status_code == 403
    assert (await _create(api, limited, organisation_ids=[own["id"], other["id"]])).status_code == 403
    # An id it cannot see is refused as out of reach, never reported as unknown.
    assert (await _create(api, limited, organisation_ids=[str(uuid.uuid4())])).status_code == 403
    narrower = await _create(api, limited, scopes=["read", "write"], organisation_ids=[own["id"]])
    assert narrower.status_code == 201
    assert narrower.json()["organisation_ids"] == [own["id"]]


async def test_a_limited_admin_sees_and_revokes_only_keys_within_its_reach(
    api, admin_headers, make_organisation
):
    own, other = await make_organisation("RX1"), await make_organisation("RX2")
    limited = await _limited_admin(api, admin_headers, own["id"])
    wide = (await _create(api, admin_headers, name="wide")).json()
    elsewhere = (await _create(api, admin_headers, name="elsewhere", organisation_ids=[other["id"]])).json()
    mine = (await _create(api, limited, name="mine", organisation_ids=[own["id"]])).json()
    listed = (await api.get("/v1/api-keys", headers=limited)).json()["items"]
    assert {item["name"] for item in listed} == {"portal", "mine"}  # itself and the key it made
    for key in (wide, elsewhere):
        assert (await api.delete(f"/v1/api-keys/{key['id']}", headers=limited)).status_code == 404
    assert (await api.delete(f"/v1/api-keys/{mine['id']}", headers=limited)).status_code == 204
