"""Issue 5: bulk ingestion's speed beside psycopg ``COPY`` of the same rows, in the same run, on
the whole system as `make run` starts it (embedded PostgreSQL, one API worker).

100,000 answers (1,852 complete assessments of 1.0.0 across 50 organisations) are sent to
POST /v1/ingest/assessments in JSON batches of ``BATCH`` items, two requests in flight; the
figure is answers stored per second, first byte sent to last report received. The baseline
writes the same rows (organisations, assessments, responses) with ``COPY`` straight into the
same tables of the same database: the fastest way in, with no HTTP, parsing, validation or
report. Each is measured twice, alternately, on fresh keys; the better of each counts, which
keeps other load on the machine from deciding the ratio.
"""

from __future__ import annotations

import asyncio
import json
import math
import time
import uuid
from typing import Any

import httpx
import psycopg

from benchmarks.fixtures import complete_answers, framework
from benchmarks.servers import TOKEN, system
from benchmarks.table import Row
from framework_model import content_hash

__all__ = ["ingest_rows"]

RESPONSES, ORGANISATIONS, BATCH, CONCURRENCY, ROUNDS = 100_000, 50, 250, 2, 2
URL = "/v1/ingest/assessments"
# Who wrote each row (never null): the bootstrap admin, as the ingestion's rows say.
AUTHOR_COLUMNS, AUTHOR = "updated_by, updated_by_name", ("admin", "admin")
HEADERS = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}


def _items(prefix: str) -> list[dict[str, Any]]:
    """Complete assessments, answers spread over the options, every other one with a comment."""
    fw = framework()
    responses = [
        {**answer.model_dump(), **({"comment": "Evidence: board minutes, March."} if i % 2 else {})}
        for i, answer in enumerate(complete_answers(fw))
    ]
    count = math.ceil(RESPONSES / len(responses))
    return [
        {
            "organisation": {
                "ods_code": f"{prefix}{i % ORGANISATIONS:03d}",
                "name": "Bench trust",
                "kind": "trust",
            },
            "framework_id": fw.framework_id,
            "framework_version": fw.version,
            "external_id": f"{prefix}-{i}",
            "responses": responses,
        }
        for i in range(count)
    ]


def _answers(items: list[dict[str, Any]]) -> int:
    return sum(len(item["responses"]) for item in items)


async def _ingest_rate(api: str, items: list[dict[str, Any]]) -> float:
    bodies = [json.dumps(items[i : i + BATCH]).encode() for i in range(0, len(items), BATCH)]
    queue = iter(bodies)
    limits = httpx.Limits(max_connections=CONCURRENCY)
    async with httpx.AsyncClient(base_url=api, limits=limits, timeout=120) as client:

        async def worker() -> None:
            for body in queue:
                response = await client.post(URL, content=body, headers=HEADERS)
                report = response.json()
                if response.status_code != 200 or report["created"] != len(report["items"]):
                    raise RuntimeError(f"{response.status_code}: {response.text[:300]}")

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        return _answers(items) / (time.perf_counter() - started)


def _copy_rate(database_url: str, items: list[dict[str, Any]]) -> float:
    fw = framework()
    digest, targets = content_hash(fw), json.dumps(fw.default_targets)
    organisations = {item["organisation"]["ods_code"]: uuid.uuid4() for item in items}
    assessments = [(uuid.uuid4(), item) for item in items]
    with psycopg.connect(database_url) as connection:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            columns = f"id, ods_code, name, kind, {AUTHOR_COLUMNS}"
            with cursor.copy(f"COPY organisations ({columns}) FROM STDIN") as copy:
                for ods_code, organisation_id in organisations.items():
                    copy.write_row((organisation_id, ods_code, "Bench trust", "trust", *AUTHOR))
            columns = (
                "id, organisation_id, framework_id, framework_version, content_hash, targets, external_id, "
            )
            columns += AUTHOR_COLUMNS
            with cursor.copy(f"COPY assessments ({columns}) FROM STDIN") as copy:
                for assessment_id, item in assessments:
                    organisation_id = organisations[item["organisation"]["ods_code"]]
                    copy.write_row(
                        (
                            assessment_id,
                            organisation_id,
                            fw.framework_id,
                            fw.version,
                            digest,
                            targets,
                            item["external_id"],
                            *AUTHOR,
                        )
                    )
            columns = f"assessment_id, question_id, value, not_applicable, reason, comment, {AUTHOR_COLUMNS}"
            with cursor.copy(f"COPY responses ({columns}) FROM STDIN") as copy:
                for assessment_id, item in assessments:
                    for r in item["responses"]:
                        row = (
                            assessment_id,
                            r["question_id"],
                            r["value"],
                            r["not_applicable"],
                            None,
                            r.get("comment"),
                            *AUTHOR,
                        )
                        copy.write_row(row)
        connection.commit()
        return _answers(items) / (time.perf_counter() - started)


def _stored_answers(database_url: str) -> int:
    with psycopg.connect(database_url) as connection:
        row = connection.execute("SELECT count(*) FROM responses").fetchone()
        return int(row[0]) if row else 0


def ingest_rows() -> list[Row]:
    with system() as running:
        asyncio.run(_ingest_rate(running.api, _items("WU")[:BATCH]))  # warm-up: imports, pool, caches
        ingests, copies = [], []
        for round_ in range(ROUNDS):
            copies.append(_copy_rate(running.database_url, _items(f"C{round_}")))
            ingests.append(asyncio.run(_ingest_rate(running.api, _items(f"I{round_}"))))
        expected = ROUNDS * 2 * _answers(_items("X")) + _answers(_items("WU")[:BATCH])
        if _stored_answers(running.database_url) != expected:
            raise RuntimeError("the ingested answers are not all stored")
    rate, baseline = max(ingests), max(copies)
    return [
        Row(
            f"ingest: {_answers(_items('X')):,} answers, JSON batches of {BATCH}",
            rate,
            "answers/s",
            "psycopg COPY of the same rows",
            baseline,
            ">= 0.25 x COPY",
            rate >= 0.25 * baseline,
        )
    ]
