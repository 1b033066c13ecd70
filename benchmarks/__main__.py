"""`make bench`: print one table of every figure the issues ask for, each beside its baseline."""

from __future__ import annotations

from benchmarks.ceiling import ceiling_row
from benchmarks.engine import engine_rows
from benchmarks.gateway import gateway_rows
from benchmarks.ingest import ingest_rows
from benchmarks.reports import report_rows
from benchmarks.scoring_service import scoring_rows
from benchmarks.table import render
from benchmarks.webhooks import webhook_rows
from benchmarks.wrk import require_wrk


def main() -> None:
    require_wrk()
    rows = [
        *engine_rows(),
        *scoring_rows(),
        *gateway_rows(),
        *ingest_rows(),
        *webhook_rows(),
        *report_rows(),
    ]
    # First, so that a reader sees how far above every rate the load generator can go.
    rates = [row for row in rows if row.unit == "req/s"]
    print(render([ceiling_row(rates), *rows]))


if __name__ == "__main__":
    main()
