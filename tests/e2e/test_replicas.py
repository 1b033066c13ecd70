"""Two gateway replicas on one database through a real scoring outage (the scoring process is
stopped, then started again): every submission is accepted (202), nothing is lost, and once the
scoring service is back each assessment is scored exactly once, whichever replica's worker got
to it, and each webhook event is delivered exactly once."""

from __future__ import annotations

import itertools
import re
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from baseline_api.webhooks.signing import verify_signature
from baseline_devstack.processes import free_port
from tests.processes import (
    AUTH,
    answered_drafts,
    events_of,
    fresh_database,
    gateway,
    scoring_service,
    statuses,
    webhook_receiver,
)

pytestmark = pytest.mark.e2e

SUBMISSIONS = 50
SECRET = "replica-test-webhook-secret-0123"


def _score_calls(scoring_url: str) -> int:
    """How many times the scoring service answered POST /v1/score, from its own metrics."""
    metrics = httpx.get(f"{scoring_url}/metrics").text
    found = re.findall(r'http_requests_total\{method="POST",route="/v1/score",status="200"\} (\d+)', metrics)
    return int(float(found[0])) if found else 0


def _wait_until(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_two_replicas_score_each_submission_once_after_an_outage(pg_server_url, tmp_path):
    database_url = fresh_database(pg_server_url, "baseline_replicas_test")
    scoring_port = free_port()
    scoring_url = f"http://127.0.0.1:{scoring_port}"
    log, scoring_log = tmp_path / "gateways.log", tmp_path / "scoring.log"
    with (
        webhook_receiver() as (hook_url, received),
        gateway(database_url, scoring_url, log) as (first, _),
        gateway(database_url, scoring_url, log) as (second, _),
    ):
        kinds = ["assessment.submitted", "assessment.scored"]
        subscription = {"url": hook_url, "events": kinds, "secret": SECRET}
        httpx.post(f"{first}/v1/webhooks", json=subscription, headers=AUTH).raise_for_status()
        [before, *ids] = answered_drafts(first, SUBMISSIONS + 1)
        with scoring_service(scoring_port, scoring_log):  # up, then really stopped: the outage
            first_submit = httpx.post(f"{first}/v1/assessments/{before}/submit", headers=AUTH, timeout=30)
            assert first_submit.status_code == 200
        assert httpx.get(f"{first}/readyz").status_code == 503
        replicas = itertools.cycle([first, second])

        def submit(assessment_id: str) -> int:
            url = f"{next(replicas)}/v1/assessments/{assessment_id}/submit"
            return httpx.post(url, headers=AUTH, timeout=30).status_code

        with ThreadPoolExecutor(8) as pool:
            assert list(pool.map(submit, ids)) == [202] * SUBMISSIONS
        assert {statuses(database_url)[i] for i in ids} == {"submitted"}

        with scoring_service(scoring_port, scoring_log):  # restarted: a new process, fresh metrics
            _wait_until(lambda: set(statuses(database_url).values()) == {"scored"}, timeout=60)
            assert _score_calls(scoring_url) == SUBMISSIONS
            for replica in (first, second):
                _wait_until(lambda r=replica: httpx.get(f"{r}/readyz").status_code == 200, timeout=10)
        _wait_until(lambda: len(received) >= 2 * (SUBMISSIONS + 1), timeout=30)
        time.sleep(1)  # long enough for a duplicate to show up, were there one
    assert all(verify_signature(SECRET, body, headers["Baseline-Signature"]) for headers, body in received)
    events = events_of(received)
    assert len({event["id"] for event in events}) == len(events) == 2 * (SUBMISSIONS + 1)
    per_assessment = Counter((event["data"]["assessment_id"], event["type"]) for event in events)
    expected = {
        (i, kind): 1 for i in [before, *ids] for kind in ("assessment.submitted", "assessment.scored")
    }
    assert per_assessment == expected
    log_text = log.read_text()
    assert "Traceback" not in log_text, log_text[-3000:]
