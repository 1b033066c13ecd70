"""GET /v1/exports/results: each visible organisation's latest full scored result, one row per pillar."""

from __future__ import annotations

import csv
import io
import json

import psycopg

from baseline_api.core.settings import libpq_url
from tests.api.test_assessments_support import create_assessment, highest, lowest, middle, scored_assessment

URL = "/v1/exports/results"
COLUMNS = "ods_code,organisation,kind,region,assessment_id,framework_version,scored_at,pillar_id,score,level,target_level,gap"
QUERY = {"framework_id": "nhs-digital-readiness"}


def _rows(response) -> list[dict]:
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.text, newline="")))


async def _seed(api, headers, make_organisation) -> dict:
    """RX1: two scored assessments; RX2 (an ICB with a formula for a name): one; RX3: a draft only."""
    rx1 = await make_organisation("RX1", region="Midlands")
    await scored_assessment(api, headers, rx1["id"], version="1.0.0", pick=lowest)
    latest = await scored_assessment(api, headers, rx1["id"], version="1.1.0", pick=middle)
    rx2 = await make_organisation("RX2", name="=cmd|'/C calc'!A0", kind="icb")
    other = await scored_assessment(api, headers, rx2["id"], version="1.1.0", pick=highest)
    rx3 = await make_organisation("RX3")
    await create_assessment(api, headers, rx3["id"])
    return {"RX1": (rx1, latest), "RX2": (rx2, other), "RX3": (rx3, None)}


async def test_the_latest_result_of_each_organisation_one_row_per_pillar(
    api, admin_headers, make_organisation
):
    seeded = await _seed(api, admin_headers, make_organisation)
    response = await api.get(URL, params=QUERY, headers=admin_headers)
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert (
        response.headers["content-disposition"] == 'attachment; filename="nhs-digital-readiness-results.csv"'
    )
    assert response.text.startswith(COLUMNS + "\r\n")
    rows = _rows(response)
    assert [row["ods_code"] for row in rows] == ["RX1"] * 3 + ["RX2"] * 3
    for ods_code in ("RX1", "RX2"):
        _organisation, result = seeded[ods_code]
        mine = [row for row in rows if row["ods_code"] == ods_code]
        assert {row["assessment_id"] for row in mine} == {result["assessment_id"]}
        expected = [
            (p["pillar_id"], p["score"], p["level"], p["target_level"], p["gap"]) for p in result["pillars"]
        ]
        assert [
            (r["pillar_id"], float(r["score"]), int(r["level"]), int(r["target_level"]), int(r["gap"]))
            for r in mine
        ] == expected
        assert all(row["framework_version"] == "1.1.0" and row["scored_at"].endswith("Z") for row in mine)
    assert rows[0]["region"] == "Midlands"
    assert rows[3]["region"] == ""
    assert rows[3]["organisation"] == "'=cmd|'/C calc'!A0"  # spreadsheet-safe
    assert rows[3]["kind"] == "icb"


async def test_filters_and_ndjson(api, admin_headers, make_organisation):
    seeded = await _seed(api, admin_headers, make_organisation)
    icbs = _rows(await api.get(URL, params={**QUERY, "kind": "icb"}, headers=admin_headers))
    assert {row["ods_code"] for row in icbs} == {"RX2"}
    midlands = _rows(await api.get(URL, params={**QUERY, "region": "Midlands"}, headers=admin_headers))
    assert {row["ods_code"] for row in midlands} == {"RX1"}
    older = _rows(await api.get(URL, params={**QUERY, "framework_version": "1.0.0"}, headers=admin_headers))
    assert {(row["ods_code"], row["framework_version"]) for row in older} == {("RX1", "1.0.0")}
    response = await api.get(URL, params={**QUERY, "format": "ndjson"}, headers=admin_headers)
    assert response.headers["content-type"] == "application/x-ndjson"
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert len(lines) == 6
    assert list(lines[0]) == COLUMNS.split(",")
    assert lines[3]["organisation"] == "=cmd|'/C calc'!A0"  # not a spreadsheet: left as it is
    assert lines[0]["score"] == seeded["RX1"][1]["pillars"][0]["score"]


async def test_quick_results_stay_out(api, admin_headers, make_organisation, database_url):
    seeded = await _seed(api, admin_headers, make_organisation)
    latest = seeded["RX1"][1]["assessment_id"]
    with psycopg.connect(libpq_url(database_url), autocommit=True) as connection:
        # As a quick assessment is stored (its own column, and its result saying so).
        connection.execute("UPDATE assessments SET profile = 'quick' WHERE id = %s", (latest,))
        connection.execute(
            """UPDATE assessment_results SET result = result || '{"profile": "quick", "indicative": true}'
               WHERE assessment_id = %s""",
            (latest,),
        )
    rows = _rows(await api.get(URL, params=QUERY, headers=admin_headers))
    rx1 = {row["framework_version"] for row in rows if row["ods_code"] == "RX1"}
    assert rx1 == {"1.0.0"}  # the earlier full result


async def test_a_limited_token_sees_only_its_organisations(
    api, admin_headers, make_organisation, make_headers
):
    seeded = await _seed(api, admin_headers, make_organisation)
    headers = await make_headers("read", organisation_ids=[seeded["RX2"][0]["id"]])
    assert {row["ods_code"] for row in _rows(await api.get(URL, params=QUERY, headers=headers))} == {"RX2"}
    nothing = await make_headers("read", organisation_ids=[seeded["RX3"][0]["id"]])
    assert (await api.get(URL, params=QUERY, headers=nothing)).text == COLUMNS + "\r\n"


async def test_an_unknown_framework_is_422(api, admin_headers):
    for params, field in [
        ({"framework_id": "nope"}, "query.framework_id"),
        ({**QUERY, "framework_version": "9.9.9"}, "query.framework_version"),
        ({}, "query.framework_id"),
    ]:
        response = await api.get(URL, params=params, headers=admin_headers)
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_batches_follow_one_another_by_ods_code(api, admin_headers, make_organisation, monkeypatch):
    from baseline_api.reports import results_export

    await _seed(api, admin_headers, make_organisation)
    whole = (await api.get(URL, params=QUERY, headers=admin_headers)).text
    monkeypatch.setattr(results_export, "BATCH", 1)
    assert (await api.get(URL, params=QUERY, headers=admin_headers)).text == whole


def test_postgresql_makes_textspreadsheet_safe_sql_as_python_does(database_url):
    from baseline_api.reports.repository import spreadsheet_safe_sql
    from baseline_api.reports.spreadsheets import safe_text

    texts = ["=1+1", "+44 20", "-5", "@SUM(A1)", "\tx", "\rx", "plain", "a=b", "", "'quoted"]
    with psycopg.connect(libpq_url(database_url)) as connection:
        query = f"SELECT {spreadsheet_safe_sql('%(text)s::text')}"
        written = [row[0] for text in texts if (row := connection.execute(query, {"text": text}).fetchone())]
    assert written == [safe_text(text) for text in texts]
