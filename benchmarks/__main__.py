"""`make bench`: print one table of every figure the issues ask for, each beside its baseline."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable

from benchmarks.ceiling import ceiling_row
from benchmarks.engine import engine_rows
from benchmarks.gateway import gateway_rows
from benchmarks.ingest import ingest_rows
from benchmarks.reports import report_rows
from benchmarks.respondents import respondent_rows
from benchmarks.scoring_service import scoring_rows
from benchmarks.table import Row, render
from benchmarks.webhooks import webhook_rows
from benchmarks.wrk import require_wrk

SECTIONS: list[Callable[[], list[Row]]] = [
    engine_rows,
    scoring_rows,
    gateway_rows,
    ingest_rows,
    webhook_rows,
    report_rows,
    respondent_rows,
]


def main() -> None:
    require_wrk()
    rows: list[Row] = []
    failed = []
    for section in SECTIONS:
        # A section that fails (a system that did not start on a busy machine, say) is reported,
        # and the figures of the others are still printed.
        try:
            rows += section()
        except Exception:
            traceback.print_exc()
            failed.append(section.__name__)
    # First, so that a reader sees how far above every rate the load generator can go.
    rates = [row for row in rows if row.unit == "req/s"]
    print(render([ceiling_row(rates), *rows]))
    if failed:
        sys.exit(f"not measured: {', '.join(failed)} failed (see above)")


if __name__ == "__main__":
    main()
