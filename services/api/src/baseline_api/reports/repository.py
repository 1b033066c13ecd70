"""All SQL of reports: what a report shows, the render cache, and the results export.

Every statement runs on a psycopg connection of its own (``Connections``), one self-contained
statement at a time: a report holds no connection while it waits on the scoring service or
renders a PDF.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from psycopg.rows import dict_row

from baseline_api.core.db import PgConnection, psycopg_sql

__all__ = [
    "EXPORT_COLUMNS",
    "RESULTS_CSV",
    "RESULTS_NDJSON",
    "answers",
    "approval_document",
    "assessment_row",
    "cached_body",
    "results_batch",
    "spreadsheet_safe_sql",
    "store_body",
    "trend_rows",
]

Row = dict[str, Any]

_ASSESSMENT = psycopg_sql("""
SELECT a.id, a.organisation_id, a.framework_id, a.framework_version, a.content_hash, a.profile,
       a.title, a.status, a.revision, a.targets, a.created_at, a.updated_at, a.submitted_at, a.scored_at,
       a.approved_at, a.approver_name, a.approver_role, a.approval_sha256,
       o.ods_code, o.name AS organisation_name, o.kind, o.region, r.result
FROM assessments a
JOIN organisations o ON o.id = a.organisation_id
LEFT JOIN assessment_results r ON r.assessment_id = a.id
WHERE a.id = :assessment_id
""")

_ANSWERS = psycopg_sql("""
SELECT question_id, value, not_applicable, reason, comment, updated_at, updated_by
FROM responses WHERE assessment_id = :assessment_id
""")

# Every assessment of the organisation and framework that has a result (scored, and any later
# status that keeps one), oldest first, with only the parts of each result a trend needs.
_TREND = psycopg_sql("""
SELECT a.id AS assessment_id, a.framework_version, a.scored_at,
       r.result -> 'overall' -> 'score' AS overall,
       (SELECT COALESCE(jsonb_object_agg(p ->> 'pillar_id', p -> 'score'), '{}'::jsonb)
        FROM jsonb_array_elements(r.result -> 'pillars') AS p) AS pillars,
       a.profile = 'quick' AS indicative
FROM assessments a
JOIN assessment_results r ON r.assessment_id = a.id
WHERE a.organisation_id = :organisation_id AND a.framework_id = :framework_id
ORDER BY a.scored_at, a.id
""")


# The report an approved assessment was signed off with, as stored then.
_APPROVAL_DOCUMENT = psycopg_sql("""
SELECT a.organisation_id, a.approval_sha256 AS sha256, d.media_type, d.body
FROM assessments a JOIN approval_documents d ON d.assessment_id = a.id
WHERE a.id = :assessment_id AND a.status = 'approved'
""")


async def _all(connection: PgConnection, query: str, parameters: dict[str, Any]) -> list[Row]:
    cursor = connection.cursor(row_factory=dict_row)
    return await (await cursor.execute(query, parameters)).fetchall()


async def assessment_row(connection: PgConnection, assessment_id: uuid.UUID) -> Row | None:
    """The assessment, its organisation and its stored result (None before it is scored)."""
    rows = await _all(connection, _ASSESSMENT, {"assessment_id": assessment_id})
    return rows[0] if rows else None


async def approval_document(connection: PgConnection, assessment_id: uuid.UUID) -> Row | None:
    """The approved assessment's signed report: organisation_id, sha256, media_type, body; None
    when it is not approved (or its document was erased)."""
    rows = await _all(connection, _APPROVAL_DOCUMENT, {"assessment_id": assessment_id})
    return rows[0] if rows else None


async def answers(connection: PgConnection, assessment_id: uuid.UUID) -> list[Row]:
    return await _all(connection, _ANSWERS, {"assessment_id": assessment_id})


async def trend_rows(connection: PgConnection, organisation_id: uuid.UUID, framework_id: str) -> list[Row]:
    parameters = {"organisation_id": organisation_id, "framework_id": framework_id}
    return await _all(connection, _TREND, parameters)


_CACHED = psycopg_sql("SELECT body FROM rendered_documents WHERE key = :key")
_STORE = psycopg_sql("""
INSERT INTO rendered_documents (key, media_type, body) VALUES (:key, :media_type, :body)
ON CONFLICT (key) DO NOTHING
""")


async def cached_body(connection: PgConnection, key: str) -> bytes | None:
    row = await (await connection.execute(_CACHED, {"key": key})).fetchone()
    return None if row is None else bytes(row[0])


async def store_body(connection: PgConnection, key: str, media_type: str, body: bytes) -> None:
    """Keep a rendering; a replica that stored the same key first wins (the bodies are equal)."""
    await connection.execute(_STORE, {"key": key, "media_type": media_type, "body": body})


EXPORT_COLUMNS = (
    "ods_code",
    "organisation",
    "kind",
    "region",
    "assessment_id",
    "framework_version",
    "scored_at",
    "pillar_id",
    "score",
    "level",
    "target_level",
    "gap",
)

# The next ``batch`` organisations (by ODS code, after ``after``) that have a full scored result
# of the framework, each with its latest one. Quick (indicative) results are not comparable and
# stay out.
_RESULTS_BATCH = """
WITH batch AS (
    SELECT o.ods_code, o.name, o.kind, o.region, latest.id, latest.framework_version,
           latest.scored_at, latest.pillars
    FROM organisations o
    CROSS JOIN LATERAL (
        SELECT a.id, a.framework_version, a.scored_at, r.result -> 'pillars' AS pillars
        FROM assessments a JOIN assessment_results r ON r.assessment_id = a.id
        WHERE a.organisation_id = o.id AND a.framework_id = :framework_id
          AND (CAST(:framework_version AS text) IS NULL OR a.framework_version = :framework_version)
          AND a.profile = 'full'
        ORDER BY a.scored_at DESC, a.id DESC
        LIMIT 1
    ) latest
    WHERE o.ods_code > :after
      AND (CAST(:kind AS text) IS NULL OR o.kind = :kind)
      AND (CAST(:region AS text) IS NULL OR o.region = :region)
      AND (CAST(:reach AS uuid[]) IS NULL OR o.id = ANY(CAST(:reach AS uuid[])))
    ORDER BY o.ods_code
    LIMIT :batch
)
SELECT b.ods_code, {columns}
FROM batch b
CROSS JOIN LATERAL jsonb_array_elements(b.pillars) WITH ORDINALITY AS p(value, position)
ORDER BY b.ods_code, p.position
"""
# (``\:``: a colon, not a parameter, to SQLAlchemy's ``text``, which ``psycopg_sql`` uses.)
_SCORED_AT = r"""to_char(b.scored_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24\:MI\:SS.US"Z"')"""
_QUOTE = "''''"  # SQL for a string holding one apostrophe


def spreadsheet_safe_sql(expression: str) -> str:
    """SQL for ``spreadsheets.safe_text``: PostgreSQL writes the export's text cells itself."""
    starts, value = "('=', '+', '-', '@', chr(9), chr(13))", f"({expression})"
    return f"CASE WHEN left({value}, 1) IN {starts} THEN {_QUOTE} || {value} ELSE {value} END"


# Every column already text, formatted and spreadsheet-safe: the CSV writer has nothing to convert.
_CSV_COLUMNS = ", ".join(
    [
        "b.ods_code",
        spreadsheet_safe_sql("b.name"),
        "b.kind",
        spreadsheet_safe_sql("b.region"),
        "b.id::text",
        "b.framework_version",
        _SCORED_AT,
        spreadsheet_safe_sql("p.value ->> 'pillar_id'"),
        *(f"p.value ->> '{field}'" for field in ("score", "level", "target_level", "gap")),
    ]
)
# One JSON object a row, numbers as numbers.
_JSON_PAIRS = [
    "'ods_code', b.ods_code, 'organisation', b.name, 'kind', b.kind, 'region', b.region",
    "'assessment_id', b.id, 'framework_version', b.framework_version",
    f"'scored_at', {_SCORED_AT}, 'pillar_id', p.value -> 'pillar_id'",
    "'score', p.value -> 'score', 'level', p.value -> 'level'",
    "'target_level', p.value -> 'target_level', 'gap', p.value -> 'gap'",
]
RESULTS_CSV = psycopg_sql(_RESULTS_BATCH.format(columns=_CSV_COLUMNS))
RESULTS_NDJSON = psycopg_sql(
    _RESULTS_BATCH.format(columns=f"json_build_object({', '.join(_JSON_PAIRS)})::text")
)


async def results_batch(
    connection: PgConnection, query: str, filters: dict[str, Any], after: str, batch: int
) -> Sequence[tuple[Any, ...]]:
    """Rows of ``RESULTS_CSV`` (the ODS code, then ``EXPORT_COLUMNS`` as text) or
    ``RESULTS_NDJSON`` (the ODS code, then the row as a JSON object); ``filters``: framework_id,
    framework_version, kind, region, reach (organisation ids, or None for all)."""
    parameters = {**filters, "after": after, "batch": batch}
    return await (await connection.execute(query, parameters)).fetchall()
