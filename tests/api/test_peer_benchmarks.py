"""GET /v1/benchmarks: quartiles over each organisation's latest scored result, k-anonymous.

Fixture data goes straight into the database with SQL (organisations, scored assessments and
results with hand-picked pillar scores), so the expected figures can be worked out by hand.
PostgreSQL's ``percentile_cont(f)`` over n sorted values interpolates linearly at position
``f * (n - 1)`` (0-based): ``v[i] + (pos - i) * (v[i+1] - v[i])``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import psycopg
import pytest

from baseline_api.core.settings import libpq_url

FRAMEWORK_ID = "nhs-digital-readiness"
LATEST = "2.0.0"
PILLARS = ["ways-of-working", "operating-model", "supplier-ecosystem"]  # the framework's order
TITLES = ["Ways of working", "Operating model", "Supplier ecosystem"]
T0 = datetime(2026, 1, 1, tzinfo=UTC)
URL = "/v1/benchmarks"
LATEST_QUERY = {"framework_id": FRAMEWORK_ID}


class Seeder:
    """Inserts organisations and assessments (with results) directly, as the API would store them."""

    def __init__(self, connection: psycopg.AsyncConnection) -> None:
        self.connection = connection
        self.count = 0

    async def organisation(self, kind: str = "trust", region: str | None = None) -> str:
        self.count += 1
        ods_code, name = f"ZQ{self.count:03d}", f"Peer Benchmark Hospital {self.count}"
        cursor = await self.connection.execute(
            "INSERT INTO organisations (ods_code, name, kind, region) VALUES (%s, %s, %s, %s) RETURNING id",
            (ods_code, name, kind, region),
        )
        row = await cursor.fetchone()
        assert row is not None
        return str(row[0])

    async def assessment(
        self,
        organisation_id: str,
        *,
        pillars: dict[str, float | None] | float | None,
        overall: float | None = 50.0,
        version: str = LATEST,
        status: str = "scored",
        scored_at: datetime = T0,
        assessment_id: str | None = None,
    ) -> str:
        """An assessment and its result row (even when not scored: the status alone must decide).

        ``pillars`` maps pillar ids to scores; a single number gives every pillar that score."""
        if not isinstance(pillars, dict):
            pillars = dict.fromkeys(PILLARS, pillars)
        assessment_id = assessment_id or str(uuid.uuid4())
        submitted = None if status == "draft" else scored_at
        scored = scored_at if status == "scored" else None
        due = scored_at if status == "submitted" else None
        await self.connection.execute(
            "INSERT INTO assessments (id, organisation_id, framework_id, framework_version, content_hash,"
            " targets, status, submitted_at, scored_at, next_scoring_at)"
            " VALUES (%s, %s, %s, %s, 'sha256:test', '{}', %s, %s, %s, %s)",
            (assessment_id, organisation_id, FRAMEWORK_ID, version, status, submitted, scored, due),
        )
        await self.connection.execute(
            "INSERT INTO assessment_results (assessment_id, framework_id, framework_version, content_hash,"
            " engine_version, result) VALUES (%s, %s, %s, 'sha256:test', 'test', %s)",
            (assessment_id, FRAMEWORK_ID, version, json.dumps(_result(version, overall, pillars))),
        )
        return assessment_id

    async def organisations_scoring(self, *scores: float, **where: str | None) -> list[str]:
        """One organisation per score, each with one scored assessment giving every pillar that score."""
        ids = []
        for score in scores:
            ids.append(await self.organisation(**where))  # type: ignore[arg-type]
            await self.assessment(ids[-1], pillars=score, overall=score)
        return ids


def _result(version: str, overall: float | None, pillars: dict[str, float | None]) -> dict:
    def level(score: float | None) -> int | None:
        return None if score is None else 1 + min(4, int(score // 20))

    return {
        "framework_id": FRAMEWORK_ID,
        "framework_version": version,
        "content_hash": "sha256:test",
        "engine_version": "test",
        "completeness": 1.0,
        "overall": {"score": overall, "level": level(overall), "percent_to_target": None},
        "pillars": [
            {"pillar_id": pillar_id, "title": pillar_id, "score": score, "level": level(score)}
            for pillar_id, score in pillars.items()
        ],
        "recommendations": [],
    }


@pytest.fixture
async def seed(api: httpx.AsyncClient, database_url: str) -> AsyncIterator[Seeder]:
    # Depends on `api` so that it is closed before the app fixture truncates the tables.
    url = libpq_url(database_url)
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as connection:
        yield Seeder(connection)


async def _benchmark(api: httpx.AsyncClient, headers: dict[str, str], **query: str) -> dict:
    response = await api.get(URL, params={**LATEST_QUERY, **query}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def _figures(entry: dict) -> tuple:
    return entry["n"], entry["suppressed"], entry["p25"], entry["median"], entry["p75"], entry["mean"]


async def test_quartiles_and_means_of_a_cohort_of_six(api, admin_headers, seed):
    ways = [30, 10, 60, 20, 50, 40]
    operating = [12.3, 99.8, 45.6, 33.3, 78.9, 66.6]
    supplier = [50, None, 70, None, 90, 100]
    overall = [41.2, None, 55.5, 38.9, 70.1, 62.4]
    for scores in zip(ways, operating, supplier, overall, strict=True):
        organisation_id = await seed.organisation()
        await seed.assessment(
            organisation_id, pillars=dict(zip(PILLARS, scores[:3], strict=True)), overall=scores[3]
        )

    body = await _benchmark(api, admin_headers)

    assert body["framework_id"] == FRAMEWORK_ID
    assert body["framework_version"] == LATEST  # the latest published version by default
    assert body["filters"] == {"kind": None, "region": None}
    assert body["cohort"] == {"n": 6, "suppressed": False, "min_n": 5}
    assert [p["pillar_id"] for p in body["pillars"]] == PILLARS
    assert [p["title"] for p in body["pillars"]] == TITLES
    by_pillar = {p["pillar_id"]: p for p in body["pillars"]}
    # ways-of-working sorted: 10 20 30 40 50 60 (n = 6, positions f * 5)
    #   p25 at 1.25: 20 + 0.25 * (30 - 20) = 22.5; median at 2.5: 30 + 0.5 * 10 = 35.0
    #   p75 at 3.75: 40 + 0.75 * (50 - 40) = 47.5; mean: 210 / 6 = 35.0
    assert _figures(by_pillar["ways-of-working"]) == (6, False, 22.5, 35.0, 47.5, 35.0)
    # operating-model sorted: 12.3 33.3 45.6 66.6 78.9 99.8
    #   p25 at 1.25: 33.3 + 0.25 * (45.6 - 33.3) = 33.3 + 3.075 = 36.375 -> 36.4 (half away from 0)
    #   median at 2.5: 45.6 + 0.5 * (66.6 - 45.6) = 45.6 + 10.5 = 56.1
    #   p75 at 3.75: 66.6 + 0.75 * (78.9 - 66.6) = 66.6 + 9.225 = 75.825 -> 75.8
    #   mean: (12.3 + 33.3 + 45.6 + 66.6 + 78.9 + 99.8) / 6 = 336.5 / 6 = 56.0833... -> 56.1
    assert _figures(by_pillar["operating-model"]) == (6, False, 36.4, 56.1, 75.8, 56.1)
    # supplier-ecosystem: two null scores leave 4 organisations, under 5: figures suppressed.
    assert _figures(by_pillar["supplier-ecosystem"]) == (4, True, None, None, None, None)
    # overall, one null: 38.9 41.2 55.5 62.4 70.1 (n = 5, positions f * 4 fall on values)
    #   p25 at 1: 41.2; median at 2: 55.5; p75 at 3: 62.4
    #   mean: (38.9 + 41.2 + 55.5 + 62.4 + 70.1) / 5 = 268.1 / 5 = 53.62 -> 53.6
    assert _figures(body["overall"]) == (5, False, 41.2, 55.5, 62.4, 53.6)


async def test_a_cohort_of_four_is_suppressed_with_no_figures(api, admin_headers, seed):
    await seed.organisations_scoring(10, 20, 30, 40)

    body = await _benchmark(api, admin_headers)

    assert body["cohort"] == {"n": 4, "suppressed": True, "min_n": 5}
    assert body["overall"] is None
    assert body["pillars"] == []


async def test_an_empty_cohort_is_suppressed(api, admin_headers, seed):
    body = await _benchmark(api, admin_headers)

    assert body["cohort"] == {"n": 0, "suppressed": True, "min_n": 5}
    assert (body["overall"], body["pillars"]) == (None, [])


async def test_an_organisation_counts_once_with_its_latest_scored_assessment(api, admin_headers, seed):
    await seed.organisations_scoring(20, 40, 60)
    rescored = await seed.organisation()
    await seed.assessment(rescored, pillars=0, overall=0, scored_at=T0)
    await seed.assessment(rescored, pillars=100, overall=100, scored_at=T0 + timedelta(days=30))
    await seed.assessment(rescored, pillars=1, overall=1, status="draft")  # newer, but not scored
    tied = await seed.organisation()
    # Same scored_at: the higher id wins the tie.
    await seed.assessment(tied, pillars=10, overall=10, assessment_id="00000000-0000-4000-8000-000000000001")
    await seed.assessment(tied, pillars=80, overall=80, assessment_id="00000000-0000-4000-8000-000000000002")

    body = await _benchmark(api, admin_headers)

    # One score per organisation: 20 40 60 80 100 (n = 5, positions f * 4 fall on values)
    #   p25 = 40, median = 60, p75 = 80, mean = 300 / 5 = 60
    assert body["cohort"]["n"] == 5
    expected = (5, False, 40.0, 60.0, 80.0, 60.0)
    assert _figures(body["overall"]) == expected
    assert [_figures(pillar) for pillar in body["pillars"]] == [expected] * 3


async def test_kind_and_region_filter_the_cohort(api, admin_headers, seed):
    await seed.organisations_scoring(10, 20, 30, 40, 50, kind="trust", region="London")
    await seed.organisations_scoring(90, kind="trust", region="Midlands")
    await seed.organisations_scoring(70, 80, kind="icb", region="London")

    london_trusts = await _benchmark(api, admin_headers, kind="trust", region="London")
    trusts = await _benchmark(api, admin_headers, kind="trust")
    london = await _benchmark(api, admin_headers, region="London")
    icbs = await _benchmark(api, admin_headers, kind="icb")
    everyone = await _benchmark(api, admin_headers)

    assert london_trusts["filters"] == {"kind": "trust", "region": "London"}
    assert london_trusts["cohort"]["n"] == 5
    # 10 20 30 40 50: p25 = 20, median = 30, p75 = 40, mean = 150 / 5 = 30
    assert _figures(london_trusts["overall"]) == (5, False, 20.0, 30.0, 40.0, 30.0)
    assert trusts["filters"] == {"kind": "trust", "region": None}
    assert trusts["cohort"]["n"] == 6
    assert london["filters"] == {"kind": None, "region": "London"}
    assert london["cohort"]["n"] == 7
    assert icbs["cohort"] == {"n": 2, "suppressed": True, "min_n": 5}
    assert (icbs["overall"], icbs["pillars"]) == (None, [])
    assert everyone["cohort"]["n"] == 8


async def test_draft_and_submitted_assessments_are_ignored(api, admin_headers, seed):
    await seed.organisations_scoring(10, 20, 30, 40)
    for status in ("draft", "submitted"):
        await seed.assessment(await seed.organisation(), pillars=50, overall=50, status=status)

    body = await _benchmark(api, admin_headers)

    assert body["cohort"] == {"n": 4, "suppressed": True, "min_n": 5}


async def test_other_framework_versions_are_excluded(api, admin_headers, seed):
    on_latest = await seed.organisations_scoring(10, 20, 30, 40, 50)
    # Scored on 1.0.0 after its 1.1.0 score: it still counts for 1.1.0, with its 1.1.0 score.
    later = T0 + timedelta(days=1)
    await seed.assessment(on_latest[0], pillars=99, overall=99, version="1.0.0", scored_at=later)
    for _ in range(3):
        await seed.assessment(await seed.organisation(), pillars=99, overall=99, version="1.0.0")

    latest = await _benchmark(api, admin_headers)
    older = await _benchmark(api, admin_headers, framework_version="1.0.0")

    assert latest["framework_version"] == LATEST
    # 10 20 30 40 50: p25 = 20, median = 30, p75 = 40, mean = 30
    assert _figures(latest["overall"]) == (5, False, 20.0, 30.0, 40.0, 30.0)
    assert older["framework_version"] == "1.0.0"
    assert older["cohort"] == {"n": 4, "suppressed": True, "min_n": 5}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"framework_id": "no-such-framework"}, "query.framework_id"),
        ({"framework_id": FRAMEWORK_ID, "framework_version": "9.9.9"}, "query.framework_version"),
        ({}, "query.framework_id"),
        ({"framework_id": FRAMEWORK_ID, "kind": "hospital"}, "query.kind"),
    ],
)
async def test_unknown_framework_version_or_filter_is_422_naming_the_field(api, admin_headers, query, field):
    response = await api.get(URL, params=query, headers=admin_headers)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert [error["field"] for error in response.json()["errors"]] == [field]


async def test_no_token_is_401(api):
    response = await api.get(URL, params=LATEST_QUERY)

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_a_token_without_read_is_403(api, make_headers):
    response = await api.get(URL, params=LATEST_QUERY, headers=await make_headers("ingest"))

    assert response.status_code == 403


async def test_a_token_limited_to_one_organisation_gets_the_aggregate_over_all(
    api, admin_headers, make_headers, seed
):
    ids = await seed.organisations_scoring(10, 20, 30, 40, 50, 60)
    limited = await make_headers("read", organisation_ids=[ids[0]])

    assert await _benchmark(api, limited) == await _benchmark(api, admin_headers)


async def test_the_response_identifies_no_organisation(api, admin_headers, seed):
    ids = await seed.organisations_scoring(10, 20, 30, 40, 50, 60)
    await seed.organisations_scoring(70, kind="icb", region="Unique Region")
    rows = await seed.connection.execute("SELECT ods_code, name FROM organisations")
    identifiers = [*ids, *[value for row in await rows.fetchall() for value in row]]

    for query in ({}, {"kind": "icb"}, {"region": "Unique Region"}):
        response = await api.get(URL, params={**LATEST_QUERY, **query}, headers=admin_headers)
        assert response.status_code == 200
        leaked = [identifier for identifier in identifiers if identifier in response.text]
        assert leaked == []
        assert "organisation" not in response.text


async def test_the_operation_is_documented(api):
    operation = (await api.get("/openapi.json")).json()["paths"][URL]["get"]

    assert operation["operationId"] == "get_peer_benchmarks"
    assert {"401", "403", "422"} <= set(operation["responses"])
    assert "aggregate" in operation["description"]
