"""Issue 17: two gateway processes, 20 dead receivers (10 that accept connections and never
answer, 10 that refuse them) with 200 deliveries waiting for them, and a healthy receiver that
subscribes afterwards: its event arrives within 5 s of the submit's commit, once."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import httpx
import psycopg
import pytest

from baseline_api.core.settings import libpq_url
from baseline_devstack.processes import free_port
from tests.processes import (
    AUTH,
    answered_drafts,
    events_of,
    fresh_database,
    gateway,
    scoring_service,
    webhook_receiver,
)

pytestmark = pytest.mark.e2e

SECRET = "isolation-test-webhook-secret-0123"
BOTH = ["assessment.submitted", "assessment.scored"]
DEAD, BACKLOG_SUBMITS = 20, 5  # 20 receivers x 2 events x 5 submits = 200 deliveries waiting
WITHIN_SECONDS = 5


@contextmanager
def _hanging_port() -> Iterator[int]:
    """A loopback port whose connections are accepted by the kernel and never answered."""
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen(512)
        yield listening.getsockname()[1]


def _pending(database_url: str) -> int:
    with psycopg.connect(libpq_url(database_url)) as connection:
        row = connection.execute(
            "SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'"
        ).fetchone()
    return int(row[0]) if row else 0


def _subscribe(api: str, url: str, events: list[str]) -> None:
    body = {"url": url, "events": events, "secret": SECRET}
    httpx.post(f"{api}/v1/webhooks", json=body, headers=AUTH).raise_for_status()


def _submit(api: str, assessment_id: str) -> None:
    response = httpx.post(f"{api}/v1/assessments/{assessment_id}/submit", headers=AUTH, timeout=30)
    assert response.status_code == 200, response.text


def test_a_healthy_receiver_hears_within_seconds_despite_dead_ones(pg_server_url, tmp_path):
    database_url = fresh_database(pg_server_url, "baseline_webhook_isolation_test")
    scoring_port = free_port()
    log = tmp_path / "gateways.log"
    with ExitStack() as stack:
        stack.enter_context(scoring_service(scoring_port, tmp_path / "scoring.log"))
        scoring_url = f"http://127.0.0.1:{scoring_port}"
        first, _ = stack.enter_context(gateway(database_url, scoring_url, log))
        second, _ = stack.enter_context(gateway(database_url, scoring_url, log))
        hanging = [stack.enter_context(_hanging_port()) for _ in range(DEAD // 2)]
        refusing = [free_port() for _ in range(DEAD // 2)]
        for port in hanging + refusing:
            _subscribe(first, f"http://127.0.0.1:{port}/hook", BOTH)
        *backlog, last = answered_drafts(first, BACKLOG_SUBMITS + 1)
        for assessment_id in backlog:
            _submit(first, assessment_id)
        assert _pending(database_url) >= DEAD * 2 * BACKLOG_SUBMITS - 10  # a few may be in flight
        time.sleep(1)  # both gateways are busy with the dead receivers now

        hook_url, received = stack.enter_context(webhook_receiver())
        _subscribe(second, hook_url, ["assessment.scored"])
        _submit(second, last)
        committed = time.monotonic()
        while not received:
            assert time.monotonic() - committed < WITHIN_SECONDS, "the healthy receiver heard nothing"
            time.sleep(0.01)
        elapsed = time.monotonic() - committed
        time.sleep(1)  # long enough for a duplicate to show up, were there one
    [event] = events_of(received)
    assert (event["type"], event["data"]["assessment_id"]) == ("assessment.scored", last)
    print(f"healthy receiver heard {elapsed:.3f} s after the commit")
    assert "Traceback" not in log.read_text()
