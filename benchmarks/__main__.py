"""`make bench`: print one table of every figure the issues ask for, each beside its baseline."""

from __future__ import annotations

from benchmarks.engine import engine_rows
from benchmarks.gateway import gateway_rows
from benchmarks.ingest import ingest_rows
from benchmarks.reports import report_rows
from benchmarks.respondents import respondent_rows
from benchmarks.scoring_service import scoring_rows
from benchmarks.table import render
from benchmarks.webhooks import webhook_rows


def main() -> None:
    rows = [
        *engine_rows(),
        *scoring_rows(),
        *gateway_rows(),
        *ingest_rows(),
        *webhook_rows(),
        *report_rows(),
        *respondent_rows(),
    ]
    print(render(rows))


if __name__ == "__main__":
    main()
