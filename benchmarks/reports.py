"""Issue 12: reports' speed beside baselines from the same run, on the whole system as `make run`
starts it (embedded PostgreSQL, real scoring process, one API worker), latest framework version.

- HTML report of a scored assessment with a five-assessment trend: median of
  GET .../report (the whole document each time, no If-None-Match: what a second reader pays,
  the rendering being kept in PostgreSQL) beside GET .../result, interleaved request by request.
  The same report rendered from nothing (the cache emptied before each request) is context.
- PDF: median of renders when the PDF is not in the cache (its HTML and charts are, as after the
  report was opened once), and, for context, of renders from nothing (the cache emptied).
- Results export of 10,000 organisations (written with COPY, one scored result each): rows per
  second of the whole streamed answer beside the same query read straight from PostgreSQL, and
  the API process's peak resident memory during the export above its resident memory before.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import psutil
import psycopg

from benchmarks.fixtures import FRAMEWORK_ID, complete_answers
from benchmarks.ingest import AUTHOR, AUTHOR_COLUMNS
from benchmarks.load import timed
from benchmarks.servers import TOKEN, system
from benchmarks.table import Row
from framework_model import content_hash, latest_published

__all__ = ["report_rows"]

AUTH = {"Authorization": f"Bearer {TOKEN}"}
TREND, ROUNDS, COLD, ORGANISATIONS = 5, 100, 7, 10_000
MB = 1024 * 1024


async def _scored_series(client: httpx.AsyncClient) -> str:
    """An organisation with ``TREND`` scored assessments of the latest version; the last one's id."""
    framework = latest_published(FRAMEWORK_ID)
    body = {"ods_code": "BENCHR", "name": "Benchmark Teaching Hospitals", "kind": "trust"}
    organisation = (await client.post("/v1/organisations", json=body, headers=AUTH)).raise_for_status().json()
    answers = [a.model_dump(mode="json") for a in complete_answers(framework)]
    for _ in range(TREND):
        url = f"/v1/organisations/{organisation['id']}/assessments"
        created = await client.post(url, json={"framework_id": FRAMEWORK_ID}, headers=AUTH)
        assessment_id = created.raise_for_status().json()["id"]
        patch = await client.patch(
            f"/v1/assessments/{assessment_id}/responses", json={"responses": answers}, headers=AUTH
        )
        patch.raise_for_status()
        (await client.post(f"/v1/assessments/{assessment_id}/submit", headers=AUTH)).raise_for_status()
    return str(assessment_id)


def _forget_renderings(database_url: str, media_type: str | None = None) -> None:
    """Empty the render cache, or take only ``media_type``'s documents out of it."""
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(
            "DELETE FROM rendered_documents WHERE %(type)s::text IS NULL OR media_type = %(type)s",
            {"type": media_type},
        )


async def _report_medians(api: str, database_url: str, assessment_id: str) -> dict[str, float]:
    result_url = f"/v1/assessments/{assessment_id}/result"
    report_url = f"/v1/assessments/{assessment_id}/report"
    pdf_headers = {**AUTH, "Accept": "application/pdf"}

    async def result(client: httpx.AsyncClient) -> httpx.Response:
        return await client.get(result_url, headers=AUTH)

    async def report(client: httpx.AsyncClient) -> httpx.Response:
        return await client.get(report_url, headers=AUTH)

    async def pdf(client: httpx.AsyncClient) -> httpx.Response:
        return await client.get(report_url, headers=pdf_headers)

    found: dict[str, list[float]] = {"result": [], "report": [], "cold": [], "pdf": [], "pdf_cold": []}
    async with httpx.AsyncClient(base_url=api, timeout=60) as client:
        for send in (result, report, pdf):  # warm-up: imports, the first chart, fonts
            await timed(client, send)
        for round_ in range(ROUNDS):
            pair = [("result", result), ("report", report)]
            for name, send in pair if round_ % 2 else reversed(pair):
                found[name].append(await timed(client, send))
        for _ in range(COLD):
            _forget_renderings(database_url, "application/pdf")
            found["pdf"].append(await timed(client, pdf))
            for name, send in [("cold", report), ("pdf_cold", pdf)]:
                _forget_renderings(database_url)
                found[name].append(await timed(client, send))
    return {name: statistics.median(times) * 1000 for name, times in found.items()}


def _seed_organisations(database_url: str, assessment_id: str) -> None:
    """``ORGANISATIONS`` trusts, each with one scored assessment holding the benchmark's result."""
    framework = latest_published(FRAMEWORK_ID)
    with psycopg.connect(database_url) as connection:
        (result,) = connection.execute(
            "SELECT result FROM assessment_results WHERE assessment_id = %s", (assessment_id,)
        ).fetchone() or (None,)
        document, digest = json.dumps(result), content_hash(framework)
        rows = [(uuid.uuid4(), uuid.uuid4(), f"B{i:06d}") for i in range(ORGANISATIONS)]
        with connection.cursor() as cursor:
            columns = f"id, ods_code, name, kind, {AUTHOR_COLUMNS}"
            with cursor.copy(f"COPY organisations ({columns}) FROM STDIN") as copy:
                for organisation_id, _, ods_code in rows:
                    copy.write_row((organisation_id, ods_code, f"Trust {ods_code}", "trust", *AUTHOR))
            columns = f"id, organisation_id, framework_id, framework_version, content_hash, targets, status, submitted_at, scored_at, {AUTHOR_COLUMNS}"
            with cursor.copy(f"COPY assessments ({columns}) FROM STDIN") as copy:
                for organisation_id, assessment, _ in rows:
                    now = "2026-12-01T12:00:00Z"
                    copy.write_row(
                        (
                            assessment,
                            organisation_id,
                            FRAMEWORK_ID,
                            framework.version,
                            digest,
                            "{}",
                            "scored",
                            now,
                            now,
                            *AUTHOR,
                        )
                    )
            columns = "assessment_id, framework_id, framework_version, content_hash, engine_version, result"
            with cursor.copy(f"COPY assessment_results ({columns}) FROM STDIN") as copy:
                for _, assessment, _ in rows:
                    copy.write_row(
                        (
                            assessment,
                            FRAMEWORK_ID,
                            framework.version,
                            digest,
                            result["engine_version"],
                            document,
                        )
                    )
        connection.commit()
        connection.execute("ANALYZE")


def _api_process(api: str) -> psutil.Process:
    port = int(api.rsplit(":", 1)[1])
    for process in psutil.process_iter(["cmdline"]):
        ours = "baseline_api" in " ".join(process.info["cmdline"] or [])
        if ours and any(c.laddr.port == port for c in process.net_connections("inet")):
            return process
    raise RuntimeError(f"no API process listens on {port}")


def _status_kb(pid: int, field: str) -> int:
    line = next(
        line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith(field)
    )
    return int(line.split()[1])


async def _export(api: str) -> tuple[int, float]:
    """Rows received and seconds taken, first byte sent to last received."""
    params = {"framework_id": FRAMEWORK_ID, "framework_version": latest_published(FRAMEWORK_ID).version}
    lines = 0
    async with httpx.AsyncClient(base_url=api, timeout=120) as client:
        started = time.perf_counter()
        async with client.stream("GET", "/v1/exports/results", params=params, headers=AUTH) as response:
            response.raise_for_status()
            async for chunk in response.aiter_bytes():
                lines += chunk.count(b"\n")
        return lines - 1, time.perf_counter() - started  # less the header row


def _direct_rate(database_url: str) -> float:
    """The export's own query, every organisation in one batch, read with psycopg: no HTTP, no CSV."""
    from baseline_api.reports.repository import RESULTS_CSV

    parameters: dict[str, Any] = {
        "framework_id": FRAMEWORK_ID,
        "framework_version": latest_published(FRAMEWORK_ID).version,
        "kind": None,
        "region": None,
        "reach": None,
        "after": "",
        "batch": ORGANISATIONS * 2,
    }
    with psycopg.connect(database_url) as connection:
        started = time.perf_counter()
        rows = connection.execute(RESULTS_CSV, parameters).fetchall()
        return len(rows) / (time.perf_counter() - started)


def _export_figures(api: str, database_url: str) -> tuple[float, float, float, float]:
    """(rows/s, direct rows/s, peak growth in MB, resident MB before)."""
    process = _api_process(api)
    asyncio.run(_export(api))  # warm-up: the plan, the buffers
    before = _status_kb(process.pid, "VmRSS")
    Path(f"/proc/{process.pid}/clear_refs").write_text("5")  # peak resident size starts again from now
    rows, seconds = asyncio.run(_export(api))
    peak = _status_kb(process.pid, "VmHWM")
    return rows / seconds, _direct_rate(database_url), (peak - before) / 1024, before / 1024


def report_rows() -> list[Row]:
    with system() as running:

        async def prepare() -> str:
            async with httpx.AsyncClient(base_url=running.api, timeout=60) as client:
                return await _scored_series(client)

        assessment_id = asyncio.run(prepare())
        medians = asyncio.run(_report_medians(running.api, running.database_url, assessment_id))
        _seed_organisations(running.database_url, assessment_id)
        rate, direct, growth, resident = _export_figures(running.api, running.database_url)
    report_ms, result_ms, cold_ms = medians["report"], medians["result"], medians["cold"]
    pdf_ms, pdf_cold_ms = medians["pdf"], medians["pdf_cold"]
    return [
        Row("reports: HTML report, 5-assessment trend (median)", report_ms, "ms", "GET .../result", result_ms, "<= 10 x result", report_ms <= 10 * result_ms),
        Row("reports: HTML report rendered from nothing (median)", cold_ms, "ms", "GET .../result", result_ms),
        Row("reports: PDF, not yet in the cache (median)", pdf_ms, "ms", "HTML rendered from nothing", cold_ms, "< 2,000 ms", pdf_ms < 2000),
        Row("reports: PDF rendered from nothing (median)", pdf_cold_ms, "ms", "HTML rendered from nothing", cold_ms),
        Row(f"reports: results export, {ORGANISATIONS:,} organisations", rate, "rows/s", "the same query, psycopg", direct, ">= 20,000 rows/s", rate >= 20_000),
        Row("reports: results export, peak memory growth", growth, "MB", "API resident before", resident, "< 50 MB", growth < 50),
    ]  # fmt: skip
