"""Two gateway replicas on one database both run the overdue worker: each action past its due
date is announced (``action.overdue``) exactly once, whichever replica found it, and again only
when its due date moves and the new one passes too."""

from __future__ import annotations

import itertools
import time
from collections import Counter
from datetime import timedelta

import httpx
import psycopg
import pytest

from baseline_api.actions.dates import london_today
from baseline_api.core.settings import libpq_url
from tests.api.test_assessments_support import answers_lifting
from tests.processes import AUTH, events_of, fresh_database, gateway, webhook_receiver

pytestmark = pytest.mark.e2e

SECRET = "overdue-test-webhook-secret-0123"
ORGANISATIONS = 2


def _wait_until(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def _scored(client: httpx.Client, ods_code: str) -> tuple[str, dict]:
    """A new organisation and a scored 1.1.0 assessment of it, every capability below target."""
    body = {"ods_code": ods_code, "name": f"Trust {ods_code}", "kind": "trust"}
    organisation = client.post("/v1/organisations", json=body).raise_for_status().json()["id"]
    url = f"/v1/organisations/{organisation}/assessments"
    assessment = client.post(
        url, json={"framework_id": "nhs-digital-readiness", "framework_version": "1.1.0"}
    )
    assessment_id = assessment.raise_for_status().json()["id"]
    responses = {"responses": answers_lifting("1.1.0", set())}
    client.patch(f"/v1/assessments/{assessment_id}/responses", json=responses).raise_for_status()
    result = client.post(f"/v1/assessments/{assessment_id}/submit").raise_for_status().json()["result"]
    return organisation, result | {"assessment_id": assessment_id}


def _take_on_every_step(
    client: httpx.Client, organisation: str, result: dict, due: itertools.cycle
) -> list[dict]:
    actions = []
    for recommendation in result["recommendations"]:
        body = {
            "assessment_id": result["assessment_id"],
            "recommendation_id": recommendation["recommendation_id"],
            "owner": "Head of IT",
            "due_on": next(due).isoformat(),
        }
        created = client.post(f"/v1/organisations/{organisation}/actions", json=body)
        actions.append(created.raise_for_status().json())
    return actions


def _overdue_events(database_url: str) -> Counter[tuple[str, str]]:
    with psycopg.connect(libpq_url(database_url)) as connection:
        rows = connection.execute(
            "SELECT payload->>'action_id', payload->>'due_on' FROM events WHERE type = 'action.overdue'"
        ).fetchall()
    return Counter((action_id, due_on) for action_id, due_on in rows)


def test_two_replicas_report_each_overdue_action_once(pg_server_url, scoring_url, tmp_path):
    database_url = fresh_database(pg_server_url, "baseline_overdue_test")
    today = london_today()
    due_dates = itertools.cycle(
        [today - timedelta(days=3), today - timedelta(days=1), today, today + timedelta(days=5)]
    )
    with (
        webhook_receiver() as (hook_url, received),
        gateway(database_url, scoring_url, tmp_path / "gateways.log") as (first, _),
        gateway(database_url, scoring_url, tmp_path / "gateways.log") as (second, _),
    ):
        subscription = {"url": hook_url, "events": ["action.overdue"], "secret": SECRET}
        httpx.post(f"{first}/v1/webhooks", json=subscription, headers=AUTH).raise_for_status()
        actions = []
        for index, replica in zip(range(ORGANISATIONS), itertools.cycle([first, second]), strict=False):
            with httpx.Client(base_url=replica, headers=AUTH, timeout=30) as client:
                organisation, result = _scored(client, f"RX{index}")
                actions += _take_on_every_step(client, organisation, result, due_dates)
        past = {a["id"]: a["due_on"] for a in actions if a["due_on"] < today.isoformat()}
        closed = next(iter(past))
        httpx.patch(f"{second}/v1/actions/{closed}", json={"status": "dropped"}, headers=AUTH)
        _wait_until(lambda: len(received) >= len(past) - 1, timeout=30)
        time.sleep(1)  # long enough for a duplicate to show up, were there one
        reported = _overdue_events(database_url)
        # Dropped before either worker saw it, or reported once first: never twice.
        assert reported[(closed, past[closed])] <= 1
        expected = {(action_id, due_on): 1 for action_id, due_on in past.items() if action_id != closed}
        assert {key: n for key, n in reported.items() if key[0] != closed} == expected

        moved = next(a for a in past if a != closed)
        new_due = (today - timedelta(days=2)).isoformat()
        httpx.patch(f"{first}/v1/actions/{moved}", json={"due_on": new_due}, headers=AUTH).raise_for_status()
        _wait_until(lambda: (moved, new_due) in _overdue_events(database_url), timeout=30)
        time.sleep(1)
        assert _overdue_events(database_url)[(moved, new_due)] == 1
    events = events_of(received)
    assert len({event["id"] for event in events}) == len(events)
    assert Counter(e["data"]["action_id"] for e in events)[moved] == 2  # once per due date
    assert all(
        e["type"] == "action.overdue" and e["data"]["status"] in ("planned", "in_progress") for e in events
    )
    log_text = (tmp_path / "gateways.log").read_text()
    assert "Traceback" not in log_text, log_text[-3000:]
