"""Issues 3 and 15, service: POST /v1/score requests per second on one uvicorn worker, beside a
bare FastAPI echo of the same body (same uvicorn settings), measured with wrk, taking turns.

Two bodies: a complete assessment of the latest version (2.0.0), and the 54 answers of 1.0.0
that the issues quote."""

from __future__ import annotations

import json

from baseline_devstack.processes import free_port
from benchmarks.fixtures import LATEST, VERSION, framework, score_body
from benchmarks.servers import served
from benchmarks.table import Row
from benchmarks.wrk import Load, alternate, rate_row

__all__ = ["scoring_rows"]

JSON = {"Content-Type": "application/json"}


def scoring_rows() -> list[Row]:
    bodies = {version: json.dumps(score_body(framework(version))).encode() for version in (LATEST, VERSION)}
    rows = []
    with (
        # /readyz loads the framework catalogue: the first request would otherwise pay for it.
        served("baseline_scoring", free_port(), "/readyz") as scoring,
        served("benchmarks.bare_app", free_port(), "/docs") as bare,
    ):
        for version, body in bodies.items():
            answers = len(json.loads(body)["responses"])
            scored, echoed = alternate(
                Load(scoring, [("POST", "/v1/score", body)], JSON),
                Load(bare, [("POST", "/echo", body)], JSON),
            )
            figure = f"scoring: POST /v1/score, {version}, {answers} answers"
            rows.append(rate_row(figure, scored, "bare FastAPI echo", echoed, 0.5))
    return rows
