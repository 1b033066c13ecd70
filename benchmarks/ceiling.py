"""The load generator's own ceiling: wrk against ``benchmarks.static_server`` (a fixed answer,
no framework), with the heaviest requests the figures send (the 54-answer score body), in the
same way (16 connections, requests taken in turn from a script). Every rate in the table should
sit far below it; a figure near it would measure wrk, not the service."""

from __future__ import annotations

import json

from baseline_devstack.processes import free_port
from benchmarks.fixtures import framework, score_body
from benchmarks.servers import served
from benchmarks.table import Row
from benchmarks.wrk import CONNECTIONS, Load, alternate

__all__ = ["ceiling_row"]


def ceiling_row(rates: list[Row]) -> Row:
    """The ceiling beside the highest rate in ``rates`` (rows in req/s)."""
    body = json.dumps(score_body(framework())).encode()
    with served("benchmarks.static_server", free_port(), "/") as static:
        posts = Load(
            static, [("POST", "/a", body), ("POST", "/b", body)], {"Content-Type": "application/json"}
        )
        gets = Load(static, [("GET", "/healthz", b"")], {})
        posted, got = alternate(posts, gets)
    ceiling = min(posted.per_second, got.per_second)
    return Row(
        f"load generator ceiling: wrk, static answer, {CONNECTIONS} connections",
        ceiling,
        "req/s",
        "fastest rate in this table, baselines included",
        max(max(row.value, row.baseline) for row in rates),
    )
