"""The commissioners' export: each organisation's latest full scored result of a framework, one
row per organisation and pillar, streamed.

Rows are read in batches of ``BATCH`` organisations by ODS code (a keyset, never an offset), each
batch one statement on a connection given back before the batch is sent: memory stays flat
however many organisations there are, and a slow client holds no database connection.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Sequence
from typing import Any, Literal

from baseline_api.auth import Principal
from baseline_api.core.db import Connections
from baseline_api.peer_benchmarks.service import benchmarked_framework

from . import repository

__all__ = ["BATCH", "MEDIA_TYPES", "ResultsFormat", "check_framework", "stream_results"]

BATCH = 2000
ResultsFormat = Literal["csv", "ndjson"]
MEDIA_TYPES: dict[str, str] = {"csv": "text/csv; charset=utf-8", "ndjson": "application/x-ndjson"}


def check_framework(framework_id: str, framework_version: str | None) -> None:
    """422 naming ``query.framework_id`` or ``query.framework_version`` when unknown."""
    benchmarked_framework(framework_id, framework_version)


def _csv(rows: Sequence[tuple[Any, ...]], header: bool) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if header:
        writer.writerow(repository.EXPORT_COLUMNS)
    writer.writerows(row[1:] for row in rows)  # PostgreSQL wrote every cell as text already
    return out.getvalue().encode()


def _ndjson(rows: Sequence[tuple[Any, ...]], header: bool) -> bytes:
    return "".join(line + "\n" for _, line in rows).encode()


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
    query, encode = (repository.RESULTS_CSV, _csv) if form == "csv" else (repository.RESULTS_NDJSON, _ndjson)
    after, first = "", True
    while True:
        async with connections.use() as connection:
            rows = await repository.results_batch(connection, query, parameters, after, BATCH)
        if rows or (first and form == "csv"):
            yield encode(rows, first)
        first = False
        if len({row[0] for row in rows}) < BATCH:
            return
        after = rows[-1][0]
