"""The commissioners' export: each organisation's latest full scored result of a framework, one
row per organisation and pillar, streamed.

Rows are read in batches of ``BATCH`` organisations by ODS code (a keyset, never an offset), each
batch one statement on a connection given back before the batch is sent: memory stays flat
however many organisations there are, and a slow client holds no database connection.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from baseline_api.core.auth import Principal
from baseline_api.core.db import Connections
from baseline_api.peer_benchmarks.service import benchmarked_framework

from . import repository
from .spreadsheets import safe_text

__all__ = ["BATCH", "MEDIA_TYPES", "ResultsFormat", "check_framework", "stream_results"]

BATCH = 1000
ResultsFormat = Literal["csv", "ndjson"]
MEDIA_TYPES: dict[str, str] = {"csv": "text/csv; charset=utf-8", "ndjson": "application/x-ndjson"}
_TEXT_COLUMNS = frozenset({0, 1, 2, 3, 7})  # ods_code, organisation, kind, region, pillar_id


def check_framework(framework_id: str, framework_version: str | None) -> None:
    """422 naming ``query.framework_id`` or ``query.framework_version`` when unknown."""
    benchmarked_framework(framework_id, framework_version)


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _csv_value(position: int, value: Any) -> Any:
    if value is None:
        return ""
    if position in _TEXT_COLUMNS:
        return safe_text(value)
    return _timestamp(value) if isinstance(value, datetime) else value


def _csv(rows: Sequence[tuple[Any, ...]], header: bool) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if header:
        writer.writerow(repository.EXPORT_COLUMNS)
    writer.writerows([_csv_value(i, value) for i, value in enumerate(row)] for row in rows)
    return out.getvalue().encode()


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return _timestamp(value)
    return value if value is None or isinstance(value, str | int | float) else str(value)


def _ndjson(rows: Sequence[tuple[Any, ...]], header: bool) -> bytes:
    columns = repository.EXPORT_COLUMNS
    lines = (json.dumps(dict(zip(columns, map(_json_value, row), strict=True))) for row in rows)
    return "".join(line + "\n" for line in lines).encode()


async def stream_results(
    connections: Connections,
    principal: Principal,
    filters: dict[str, str | None],
    form: ResultsFormat,
) -> AsyncIterator[bytes]:
    """The export as chunks of bytes, one per batch (a CSV starts with its header row, even when
    no organisation matches). ``filters``: framework_id, framework_version, kind, region."""
    reach = None if principal.organisation_ids is None else sorted(principal.organisation_ids)
    parameters = {**filters, "reach": reach}
    encode = _csv if form == "csv" else _ndjson
    after, first = "", True
    while True:
        async with connections.use() as connection:
            rows = await repository.results_batch(connection, parameters, after, BATCH)
        if rows or (first and form == "csv"):
            yield encode(rows, first)
        first = False
        if len({row[0] for row in rows}) < BATCH:
            return
        after = rows[-1][0]
