"""Organisations: validation, unique ODS codes, keyset paging, filters and a token's reach."""

from __future__ import annotations

import asyncio
import uuid

import psycopg
import pytest

from baseline_api.core.settings import libpq_url

PROBLEM_JSON = "application/problem+json"
VALID = {"ods_code": "RX1", "name": "Nottingham University Hospitals", "kind": "trust"}


def _fields(response) -> list[str]:
    assert response.headers["content-type"] == PROBLEM_JSON, response.text
    return [error["field"] for error in response.json()["errors"]]


async def _walk(api, headers, **params) -> list[dict]:
    items, cursor = [], None
    while True:
        page_params = params | ({"cursor": cursor} if cursor else {})
        response = await api.get("/v1/organisations", params=page_params, headers=headers)
        assert response.status_code == 200, response.text
        items += response.json()["items"]
        cursor = response.json()["next_cursor"]
        if cursor is None:
            return items


def _add_assessment(database_url: str, organisation_id: str) -> None:
    with psycopg.connect(libpq_url(database_url)) as connection:
        connection.execute(
            "INSERT INTO assessments (organisation_id, framework_id, framework_version, content_hash, targets,"
            " updated_by, updated_by_name) VALUES (%s, 'nhs-digital-readiness', '1.0.0', 'sha256:x', '{}',"
            " 'admin', 'admin')",
            (organisation_id,),
        )


async def test_create_returns_201_with_location_and_the_organisation(api, admin_headers):
    response = await api.post(
        "/v1/organisations", json={**VALID, "region": "Midlands"}, headers=admin_headers
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == f"/v1/organisations/{body['id']}"
    assert {k: body[k] for k in (*VALID, "region")} == {**VALID, "region": "Midlands"}
    assert body["created_at"] == body["updated_at"]
    fetched = await api.get(response.headers["location"], headers=admin_headers)
    assert fetched.json() == body


async def test_region_is_optional(api, admin_headers):
    response = await api.post("/v1/organisations", json=VALID, headers=admin_headers)
    assert response.json()["region"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ods_code": "rx1"}, "ods_code"),  # never upper-cased silently
        ({"ods_code": "R1"}, "ods_code"),
        ({"ods_code": "RX1234567890"}, "ods_code"),
        ({"ods_code": "RX-1"}, "ods_code"),
        ({"kind": "hospital"}, "kind"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "nul\u0000inside"}, "name"),  # PostgreSQL text cannot hold it: 422, never 500
        ({"region": "x" * 101}, "region"),
        ({"region": ""}, "region"),
        ({"nmae": "typo"}, "nmae"),
    ],
)
async def test_invalid_bodies_are_422_naming_the_field(api, admin_headers, change, field):
    response = await api.post("/v1/organisations", json={**VALID, **change}, headers=admin_headers)
    assert response.status_code == 422
    assert _fields(response) == [field]


async def test_missing_fields_are_each_named(api, admin_headers):
    response = await api.post("/v1/organisations", json={}, headers=admin_headers)
    assert response.status_code == 422
    assert sorted(_fields(response)) == ["kind", "name", "ods_code"]


async def test_duplicate_ods_code_is_409(api, admin_headers, make_organisation):
    await make_organisation("RX1")
    response = await api.post("/v1/organisations", json=VALID, headers=admin_headers)
    assert response.status_code == 409
    assert _fields(response) == ["ods_code"]


async def test_concurrent_duplicates_give_one_201_and_409s_never_500(api, admin_headers):
    # Requests racing past the "is it taken?" check meet the unique constraint instead.
    responses = await asyncio.gather(
        *(api.post("/v1/organisations", json=VALID, headers=admin_headers) for _ in range(5))
    )
    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409, 409]


async def test_creating_needs_write_and_an_unlimited_token(api, make_headers, make_organisation):
    own = await make_organisation("RX1")
    reader = await make_headers("read")
    limited_writer = await make_headers("read", "write", organisation_ids=[own["id"]])
    body = {**VALID, "ods_code": "RX2"}
    assert (await api.post("/v1/organisations", json=body, headers=reader)).status_code == 403
    assert (await api.post("/v1/organisations", json=body, headers=limited_writer)).status_code == 403
    writer = await make_headers("write")
    assert (await api.post("/v1/organisations", json=body, headers=writer)).status_code == 201


async def test_paging_walks_every_organisation_once_in_ods_code_order(api, admin_headers, make_organisation):
    codes = ["RX7", "AB1", "ZZ9", "RX10", "C00", "M11", "RX2"]
    for code in codes:
        await make_organisation(code)
    for limit in (1, 3, 7, 100):
        listed = await _walk(api, admin_headers, limit=limit)
        assert [o["ods_code"] for o in listed] == sorted(codes)


async def test_default_page_size_is_20(api, admin_headers, make_organisation):
    for n in range(21):
        await make_organisation(f"AA{n:02d}")
    page = (await api.get("/v1/organisations", headers=admin_headers)).json()
    assert len(page["items"]) == 20
    assert page["next_cursor"] is not None


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "query.limit"),
        ("limit=101", "query.limit"),
        ("cursor=garbage", "query.cursor"),
        ("cursor=WyJSWDEiLCJub3QtYS11dWlkIl0=", "query.cursor"),  # ["RX1", "not-a-uuid"]
        (
            "cursor=WyJSWFx1MDAwMCIsIjNmOGEyYzFlLTZiMGQtNGQ1ZS05YTdmLTJiMWMwZDllOGY3YSJd",
            "query.cursor",
        ),  # NUL
        ("kind=hospital", "query.kind"),
        ("q=", "query.q"),
        ("q=a%00b", "query.q"),
    ],
)
async def test_bad_list_parameters_are_422(api, admin_headers, query, field):
    response = await api.get(f"/v1/organisations?{query}", headers=admin_headers)
    assert response.status_code == 422
    assert _fields(response) == [field]


async def test_filters_by_kind_and_by_name_or_code(api, admin_headers, make_organisation):
    await make_organisation("RX1", name="Leeds Teaching Hospitals")
    await make_organisation("QWO", name="West Yorkshire ICB", kind="icb")
    await make_organisation("B82005", name="Priory Medical Group", kind="gp-practice")
    by_kind = await _walk(api, admin_headers, kind="icb")
    assert [o["ods_code"] for o in by_kind] == ["QWO"]
    by_name = await _walk(api, admin_headers, q="HOSPITALS")
    assert [o["ods_code"] for o in by_name] == ["RX1"]
    by_code = await _walk(api, admin_headers, q="b820")
    assert [o["ods_code"] for o in by_code] == ["B82005"]
    both = await _walk(api, admin_headers, q="r", kind="gp-practice")
    assert [o["ods_code"] for o in both] == ["B82005"]


async def test_search_treats_like_wildcards_literally(api, admin_headers, make_organisation):
    await make_organisation("RX1", name="100% digital")
    await make_organisation("RX2", name="Plain name")
    await make_organisation("RX3", name="under_score")
    assert [o["ods_code"] for o in await _walk(api, admin_headers, q="%")] == ["RX1"]
    assert [o["ods_code"] for o in await _walk(api, admin_headers, q="_")] == ["RX3"]
    assert await _walk(api, admin_headers, q="\\") == []


async def test_a_limited_token_sees_only_its_organisations(api, make_headers, make_organisation):
    own, other = await make_organisation("RX1"), await make_organisation("RX2")
    limited = await make_headers("read", "write", organisation_ids=[own["id"]])
    assert [o["id"] for o in await _walk(api, limited)] == [own["id"]]
    assert (await api.get(f"/v1/organisations/{own['id']}", headers=limited)).status_code == 200
    hidden = f"/v1/organisations/{other['id']}"
    answers = [
        await api.get(hidden, headers=limited),
        await api.patch(hidden, json={"name": "Taken over"}, headers=limited),
        await api.delete(hidden, headers=limited),
    ]
    missing = await api.get(f"/v1/organisations/{uuid.uuid4()}", headers=limited)
    for answer in answers:
        assert answer.status_code == 404
        assert answer.json()["detail"] == missing.json()["detail"]  # indistinguishable from missing


async def test_unknown_or_malformed_ids(api, admin_headers):
    assert (await api.get(f"/v1/organisations/{uuid.uuid4()}", headers=admin_headers)).status_code == 404
    malformed = await api.get("/v1/organisations/RX1", headers=admin_headers)
    assert malformed.status_code == 422
    assert _fields(malformed) == ["path.organisation_id"]
    missing = f"/v1/organisations/{uuid.uuid4()}"
    assert (await api.patch(missing, json={"name": "x"}, headers=admin_headers)).status_code == 404
    assert (await api.delete(missing, headers=admin_headers)).status_code == 404


async def test_patch_changes_only_what_is_sent_and_bumps_updated_at(api, admin_headers, make_organisation):
    created = await make_organisation("RX1", region="Midlands")
    url = f"/v1/organisations/{created['id']}"
    response = await api.patch(url, json={"name": "NUH", "kind": "other"}, headers=admin_headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["name"], body["kind"], body["region"], body["ods_code"]) == (
        "NUH",
        "other",
        "Midlands",
        "RX1",
    )
    assert body["created_at"] == created["created_at"]
    assert body["updated_at"] > created["updated_at"]
    cleared = await api.patch(url, json={"region": None}, headers=admin_headers)
    assert cleared.json()["region"] is None
    assert (await api.get(url, headers=admin_headers)).json() == cleared.json()


async def test_empty_patch_changes_nothing(api, admin_headers, make_organisation):
    created = await make_organisation("RX1")
    response = await api.patch(f"/v1/organisations/{created['id']}", json={}, headers=admin_headers)
    assert response.status_code == 200
    assert response.json() == created


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": None}, "name"),
        ({"kind": None}, "kind"),
        ({"ods_code": None}, "ods_code"),
        ({"ods_code": "rx9"}, "ods_code"),
        ({"name": "x" * 201}, "name"),
        ({"id": str(uuid.uuid4())}, "id"),
    ],
)
async def test_invalid_patches_are_422(api, admin_headers, make_organisation, body, field):
    created = await make_organisation("RX1")
    response = await api.patch(f"/v1/organisations/{created['id']}", json=body, headers=admin_headers)
    assert response.status_code == 422
    assert _fields(response) == [field]


async def test_patch_can_change_the_ods_code_but_not_to_a_taken_one(api, admin_headers, make_organisation):
    first, second = await make_organisation("RX1"), await make_organisation("RX2")
    url = f"/v1/organisations/{second['id']}"
    taken = await api.patch(url, json={"ods_code": "RX1"}, headers=admin_headers)
    assert taken.status_code == 409
    assert _fields(taken) == ["ods_code"]
    same = await api.patch(url, json={"ods_code": "RX2"}, headers=admin_headers)
    assert same.status_code == 200
    moved = await api.patch(url, json={"ods_code": "RX3"}, headers=admin_headers)
    assert moved.json()["ods_code"] == "RX3"
    assert first["ods_code"] == "RX1"


async def test_a_limited_token_may_edit_but_not_re_code_its_organisation(
    api, make_headers, make_organisation
):
    own = await make_organisation("RX1")
    limited = await make_headers("write", organisation_ids=[own["id"]])
    url = f"/v1/organisations/{own['id']}"
    assert (await api.patch(url, json={"name": "Renamed"}, headers=limited)).status_code == 200
    assert (await api.patch(url, json={"ods_code": "RX9"}, headers=limited)).status_code == 403


async def test_patch_and_delete_need_write(api, make_headers, make_organisation):
    created = await make_organisation("RX1")
    reader = await make_headers("read")
    url = f"/v1/organisations/{created['id']}"
    assert (await api.patch(url, json={"name": "x"}, headers=reader)).status_code == 403
    assert (await api.delete(url, headers=reader)).status_code == 403


async def test_delete_is_204_then_404(api, admin_headers, make_organisation):
    created = await make_organisation("RX1")
    url = f"/v1/organisations/{created['id']}"
    response = await api.delete(url, headers=admin_headers)
    assert response.status_code == 204
    assert response.content == b""
    assert (await api.get(url, headers=admin_headers)).status_code == 404
    assert (await api.delete(url, headers=admin_headers)).status_code == 404


async def test_an_organisation_with_assessments_cannot_be_deleted(
    api, admin_headers, make_organisation, database_url
):
    created = await make_organisation("RX1")
    _add_assessment(database_url, created["id"])
    response = await api.delete(f"/v1/organisations/{created['id']}", headers=admin_headers)
    assert response.status_code == 409
    assert response.headers["content-type"] == PROBLEM_JSON
    assert (await api.get(f"/v1/organisations/{created['id']}", headers=admin_headers)).status_code == 200
