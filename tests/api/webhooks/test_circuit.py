"""A circuit per receiver: after failures in a row its deliveries wait behind one probe at a time;
the first success closes it and the backlog drains in order; a receiver failing for too long is
disabled, tells the other subscribers, gets nothing more, and can be enabled again."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from baseline_api.webhooks.signing import verify_signature
from tests.api.webhooks.conftest import SECRET, pending_count, rows, run_until_settled

# Retries far apart, so that only the circuit's probes (made due by the test) are tried again.
SLOW_RETRIES = {"retry_base_seconds": 600, "retry_cap_seconds": 600}
CIRCUIT_FAILURES = 3


@pytest.fixture
def settings(settings):
    """The API and the workers alike open a circuit after three failures in a row."""
    return settings.model_copy(update={"webhook_circuit_failures": CIRCUIT_FAILURES})


async def _webhook(api, headers, webhook: dict) -> dict:
    response = await api.get(f"/v1/webhooks/{webhook['id']}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def _execute(sessions, sql: str, **params: object) -> None:
    async with sessions() as session, session.begin():
        await session.execute(text(sql), params)


async def _probe_now(sessions, webhook: dict) -> None:
    """As if the probe's backoff had passed."""
    await _execute(
        sessions, "UPDATE webhooks SET next_probe_at = now() WHERE id = :id", id=uuid.UUID(webhook["id"])
    )


def _event_ids(receiver) -> list[str]:
    return [request.headers["baseline-event-id"] for request in receiver.received]


async def _event_ids_in_order(sessions, webhook: dict) -> list[str]:
    query = "SELECT event_id FROM webhook_deliveries WHERE webhook_id = :id ORDER BY created_at, id"
    return [str(row["event_id"]) for row in await rows(sessions, query, id=uuid.UUID(webhook["id"]))]


async def test_the_circuit_opens_probes_one_at_a_time_and_closes(
    api, admin_headers, receiver, create_webhook, submitted_event, make_step, sessions
):
    receiver.statuses = [500] * 4
    webhook = await create_webhook(receiver.url, ["assessment.submitted"])
    for _ in range(6):
        await submitted_event()
    step = make_step(webhook_receiver_in_flight=1, **SLOW_RETRIES)
    before = datetime.now(UTC)
    assert await step() is True
    # A failing receiver's next attempt waits for its backoff, though more deliveries are due.
    assert await step() is False
    for _ in range(2):
        await _probe_now(sessions, webhook)
        assert await step() is True
    opened = await _webhook(api, admin_headers, webhook)
    assert (opened["health"], opened["consecutive_failures"]) == ("failing", 3)
    assert before <= datetime.fromisoformat(opened["failing_since"]) <= datetime.now(UTC)
    assert datetime.fromisoformat(opened["next_probe_at"]) > datetime.now(UTC)
    # Three deliveries are still due on their own schedule, but wait behind the probe.
    assert await step() is False
    assert len(receiver.received) == 3

    await _probe_now(sessions, webhook)
    assert await step() is True  # one probe: the oldest delivery, though not due on its own
    assert await step() is False
    in_order = await _event_ids_in_order(sessions, webhook)
    assert _event_ids(receiver)[3] == in_order[0]
    assert (await _webhook(api, admin_headers, webhook))["consecutive_failures"] == 4

    await _probe_now(sessions, webhook)  # the receiver answers 200 from now on
    await run_until_settled(step, sessions)
    closed = await _webhook(api, admin_headers, webhook)
    assert (closed["health"], closed["consecutive_failures"]) == ("healthy", 0)
    assert (closed["failing_since"], closed["next_probe_at"]) == (None, None)
    # After the probe, the backlog drained oldest first, each delivered once.
    assert _event_ids(receiver)[4:] == in_order
    assert len(receiver.received) == 4 + 6


async def test_a_receiver_failing_too_long_is_disabled_and_gets_nothing_more(
    api, admin_headers, make_receiver, create_webhook, submitted_event, make_step, sessions
):
    dead, listener = await make_receiver(), await make_receiver()
    dead.statuses = [503] * 100
    webhook = await create_webhook(dead.url, ["assessment.submitted"])
    watcher = await create_webhook(listener.url, ["webhook.disabled"])
    for _ in range(3):
        await submitted_event()
    step = make_step(webhook_receiver_in_flight=1, **SLOW_RETRIES)
    for _ in range(CIRCUIT_FAILURES - 1):
        assert await step() is True
        await _probe_now(sessions, webhook)
    hours_ago = "UPDATE webhooks SET failing_since = now() - interval '73 hours' WHERE id = :id"
    await _execute(sessions, hours_ago, id=uuid.UUID(webhook["id"]))
    assert await step() is True  # the circuit opens: 73 h of failing, so the webhook is disabled

    disabled = await _webhook(api, admin_headers, webhook)
    assert (disabled["enabled"], disabled["next_probe_at"]) == (False, None)
    statuses = await rows(
        sessions, "SELECT status FROM webhook_deliveries WHERE webhook_id = :id", id=uuid.UUID(webhook["id"])
    )
    assert {row["status"] for row in statuses} == {"failed"}

    await run_until_settled(step, sessions)
    [told] = listener.received
    assert verify_signature(SECRET, told.body, told.headers["baseline-signature"])
    event = json.loads(told.body)
    assert event["type"] == told.headers["baseline-event-type"] == "webhook.disabled"
    assert set(event["data"]) == {"webhook_id", "organisation_id", "failing_since", "disabled_at"}
    assert (event["data"]["webhook_id"], event["data"]["organisation_id"]) == (webhook["id"], None)
    assert watcher["id"] != webhook["id"]

    sent = len(dead.received)
    await submitted_event()  # nothing is queued for a disabled webhook, and nothing is sent
    assert await pending_count(sessions) == 0
    assert await step() is False
    assert len(dead.received) == sent == 3

    dead.statuses = []
    enabled = await api.patch(f"/v1/webhooks/{webhook['id']}", json={"enabled": True}, headers=admin_headers)
    assert enabled.status_code == 200, enabled.text
    assert (enabled.json()["enabled"], enabled.json()["health"], enabled.json()["disabled_at"]) == (
        True,
        "healthy",
        None,
    )
    await submitted_event()
    assert await step() is True
    assert len(dead.received) == sent + 1
    assert dead.received[-1].headers["baseline-event-type"] == "assessment.submitted"


async def test_an_organisations_webhook_disabled_tells_only_its_organisations_subscribers(
    api, admin_headers, make_receiver, create_webhook, make_organisation, make_step, sessions
):
    mine, other = await make_organisation("RX7"), await make_organisation("RX8")
    dead, same, elsewhere, everyone = [await make_receiver() for _ in range(4)]
    dead.statuses = [500] * 10
    webhook = await create_webhook(dead.url, ["assessment.submitted"], organisation_ids=[mine["id"]])
    await create_webhook(same.url, ["webhook.disabled"], organisation_ids=[mine["id"]])
    await create_webhook(elsewhere.url, ["webhook.disabled"], organisation_ids=[other["id"]])
    await create_webhook(everyone.url, ["webhook.disabled"])
    failing = "UPDATE webhooks SET consecutive_failures = 2, failing_since = now() - interval '80 hours', next_probe_at = now() WHERE id = :id"
    await _execute(sessions, failing, id=uuid.UUID(webhook["id"]))
    await _execute(
        sessions,
        "INSERT INTO events (type, organisation_id, payload) VALUES ('assessment.submitted', :org, '{}')",
        org=uuid.UUID(mine["id"]),
    )
    await _execute(
        sessions,
        "INSERT INTO webhook_deliveries (webhook_id, event_id) SELECT :id, id FROM events",
        id=uuid.UUID(webhook["id"]),
    )
    await run_until_settled(make_step(), sessions)
    assert (await _webhook(api, admin_headers, webhook))["enabled"] is False
    [told] = same.received
    assert json.loads(told.body)["data"]["organisation_id"] == mine["id"]
    [heard] = everyone.received
    assert json.loads(heard.body)["data"]["organisation_id"] == mine["id"]
    assert elsewhere.received == []


async def test_disabling_on_request_fails_the_pending_deliveries(
    api, admin_headers, receiver, create_webhook, submitted_event, step, sessions
):
    webhook = await create_webhook(receiver.url)
    await submitted_event()
    response = await api.patch(
        f"/v1/webhooks/{webhook['id']}", json={"enabled": False}, headers=admin_headers
    )
    assert response.status_code == 200
    assert (response.json()["enabled"], response.json()["disabled_at"] is not None) == (False, True)
    assert await step() is False
    assert receiver.received == []
    assert await rows(sessions, "SELECT status FROM webhook_deliveries") == [{"status": "failed"}]
    assert (
        await api.patch(f"/v1/webhooks/{webhook['id']}", json={"enabled": "maybe"}, headers=admin_headers)
    ).status_code == 422
