"""Idempotency-Key: a retried POST is answered from the first attempt, never applied twice."""

from __future__ import annotations

import asyncio

from baseline_api.core.settings import libpq_url

ORG = {"ods_code": "RYJ", "name": "Imperial College Healthcare NHS Trust", "kind": "trust"}


async def _count_organisations(api, headers) -> int:
    response = await api.get("/v1/organisations", headers=headers)
    assert response.status_code == 200
    return len(response.json()["items"])


async def test_replay_returns_the_first_answer_and_creates_once(api, admin_headers):
    headers = {**admin_headers, "Idempotency-Key": "create-ryj-1"}
    first = await api.post("/v1/organisations", json=ORG, headers=headers)
    second = await api.post("/v1/organisations", json=ORG, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["location"] == first.headers["location"]
    assert second.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert await _count_organisations(api, admin_headers) == 1


async def test_same_key_with_another_body_is_422_and_changes_nothing(api, admin_headers):
    headers = {**admin_headers, "Idempotency-Key": "create-ryj-2"}
    assert (await api.post("/v1/organisations", json=ORG, headers=headers)).status_code == 201
    other = await api.post("/v1/organisations", json={**ORG, "ods_code": "RYK"}, headers=headers)
    assert other.status_code == 422
    assert other.headers["content-type"] == "application/problem+json"
    assert other.json()["errors"][0]["field"] == "header.idempotency-key"
    assert await _count_organisations(api, admin_headers) == 1


async def test_concurrent_requests_with_one_key_create_one_thing(api, admin_headers):
    headers = {**admin_headers, "Idempotency-Key": "create-ryj-3"}
    answers = await asyncio.gather(
        *(api.post("/v1/organisations", json=ORG, headers=headers) for _ in range(5))
    )
    assert [a.status_code for a in answers] == [201] * 5
    assert len({a.json()["id"] for a in answers}) == 1
    assert await _count_organisations(api, admin_headers) == 1


async def test_keys_belong_to_their_caller(api, admin_headers, make_headers):
    writer = await make_headers("write", "read")
    first = await api.post("/v1/organisations", json=ORG, headers={**admin_headers, "Idempotency-Key": "k"})
    second = await api.post(
        "/v1/organisations", json={**ORG, "ods_code": "RYK"}, headers={**writer, "Idempotency-Key": "k"}
    )
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] != second.json()["id"]


async def test_an_invalid_key_is_422(api, admin_headers):
    response = await api.post(
        "/v1/organisations", json=ORG, headers={**admin_headers, "Idempotency-Key": "x" * 300}
    )
    assert response.status_code == 422
    assert await _count_organisations(api, admin_headers) == 0


async def test_requests_without_a_key_are_untouched(api, admin_headers):
    assert (await api.post("/v1/organisations", json=ORG, headers=admin_headers)).status_code == 201
    assert (await api.post("/v1/organisations", json=ORG, headers=admin_headers)).status_code == 409


async def test_answers_holding_a_secret_are_never_stored(api, admin_headers, database_url):
    import psycopg

    headers = {**admin_headers, "Idempotency-Key": "new-key-1"}
    body = {"name": "portal", "scopes": ["read"]}
    first = await api.post("/v1/api-keys", json=body, headers=headers)
    assert first.status_code == 201
    with psycopg.connect(libpq_url(database_url)) as connection:
        stored = connection.execute("SELECT count(*) FROM idempotency_keys").fetchone()
    assert stored == (0,)
    again = await api.post("/v1/api-keys", json=body, headers=headers)
    assert again.status_code == 201
    assert "idempotent-replayed" not in again.headers
