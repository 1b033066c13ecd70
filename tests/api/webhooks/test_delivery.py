"""The delivery worker against a real HTTP receiver: signed requests, retries with backoff, a
bounded number of attempts, one sender per delivery however many workers run, and nothing more
for a deleted webhook."""

from __future__ import annotations

import asyncio
import json
import uuid

from asgi_lifespan import LifespanManager

from baseline_api.app import create_app
from baseline_api.webhooks.signing import verify_signature
from baseline_devstack.processes import free_port
from tests.api.webhooks.conftest import SECRET, pending_count, rows, run_until_settled


async def _deliveries(api, headers, webhook: dict) -> list[dict]:
    response = await api.get(f"/v1/webhooks/{webhook['id']}/deliveries", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def test_a_delivery_is_signed_and_verifiable(
    api, admin_headers, receiver, create_webhook, submitted_event, step
):
    webhook = await create_webhook(receiver.url)
    assessment_id = await submitted_event()
    assert await step() is True
    [request] = receiver.received
    [delivery] = await _deliveries(api, admin_headers, webhook)
    assert request.path == "/hooks/baseline"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["baseline-event-id"] == delivery["event_id"]
    assert request.headers["baseline-event-type"] == "assessment.submitted"
    assert request.headers["baseline-delivery-id"] == delivery["id"]
    signature = request.headers["baseline-signature"]
    assert verify_signature(SECRET, request.body, signature)
    assert not verify_signature(SECRET + "x", request.body, signature)
    assert not verify_signature(SECRET, request.body.replace(b"submitted", b"scored"), signature)
    event = json.loads(request.body)
    assert set(event) == {"id", "type", "occurred_at", "data"}
    assert (event["id"], event["type"]) == (delivery["event_id"], "assessment.submitted")
    assert (event["data"]["assessment_id"], event["data"]["status"]) == (assessment_id, "submitted")
    assert (delivery["status"], delivery["attempts"], delivery["last_status_code"]) == ("delivered", 1, 200)
    assert delivery["delivered_at"] is not None
    assert delivery["next_attempt_at"] is None
    assert [a["status_code"] for a in delivery["attempts_detail"]] == [200]
    assert await step() is False  # nothing left to do
    assert len(receiver.received) == 1


async def test_a_failed_attempt_is_retried_until_delivered(
    api, admin_headers, receiver, create_webhook, submitted_event, step, sessions
):
    receiver.statuses = [500]
    webhook = await create_webhook(receiver.url)
    await submitted_event()
    await run_until_settled(step, sessions)
    [delivery] = await _deliveries(api, admin_headers, webhook)
    assert (delivery["status"], delivery["attempts"], delivery["last_status_code"]) == ("delivered", 2, 200)
    detail = delivery["attempts_detail"]
    assert [(a["attempt"], a["status_code"], a["error"]) for a in detail] == [(1, 500, None), (2, 200, None)]
    assert detail[0]["attempted_at"] < detail[1]["attempted_at"]
    first, second = receiver.received
    assert first.body == second.body  # the same event, byte for byte; only the signature is new
    assert all(verify_signature(SECRET, r.body, r.headers["baseline-signature"]) for r in receiver.received)


async def test_a_timeout_counts_as_an_attempt(
    api, admin_headers, receiver, create_webhook, submitted_event, make_step
):
    receiver.answering.clear()  # the receiver never answers
    webhook = await create_webhook(receiver.url)
    await submitted_event()
    assert await make_step(webhook_timeout_seconds=0.2)() is True
    [delivery] = await _deliveries(api, admin_headers, webhook)
    assert (delivery["status"], delivery["attempts"], delivery["last_status_code"]) == ("pending", 1, None)
    assert delivery["next_attempt_at"] is not None
    [attempt] = delivery["attempts_detail"]
    assert (attempt["status_code"], attempt["error"]) == (None, "timed out after 0.2 s")
    assert 200 <= attempt["duration_ms"] < 2000


async def test_a_refused_connection_counts_as_an_attempt(
    api, admin_headers, create_webhook, submitted_event, step
):
    webhook = await create_webhook(f"http://127.0.0.1:{free_port()}/nobody-listens")
    await submitted_event()
    assert await step() is True
    [delivery] = await _deliveries(api, admin_headers, webhook)
    [attempt] = delivery["attempts_detail"]
    assert (delivery["status"], attempt["status_code"]) == ("pending", None)
    assert attempt["error"].startswith("ConnectError")


async def test_after_the_last_attempt_the_delivery_fails(
    api, admin_headers, receiver, create_webhook, submitted_event, make_step, sessions
):
    receiver.statuses = [503] * 10
    webhook = await create_webhook(receiver.url)
    await submitted_event()
    await run_until_settled(make_step(webhook_max_attempts=3), sessions)
    [delivery] = await _deliveries(api, admin_headers, webhook)
    assert (delivery["status"], delivery["attempts"], delivery["last_status_code"]) == ("failed", 3, 503)
    assert (delivery["next_attempt_at"], delivery["delivered_at"]) == (None, None)
    assert [a["status_code"] for a in delivery["attempts_detail"]] == [503, 503, 503]
    assert len(receiver.received) == 3


async def test_a_claimed_delivery_is_skipped_by_other_workers(
    api, admin_headers, receiver, create_webhook, submitted_event, make_step
):
    receiver.answering.clear()
    webhook = await create_webhook(receiver.url)
    await submitted_event()
    first, second = make_step(), make_step()  # two workers: separate sessions and clients
    sending = asyncio.create_task(first())
    await receiver.requests_arrive()
    # The first worker holds the delivery's lease while its request is in flight: the second finds
    # nothing to do, at once, rather than waiting for it or sending it again.
    assert await asyncio.wait_for(second(), 1) is False
    receiver.answering.set()
    assert await sending is True
    [delivery] = await _deliveries(api, admin_headers, webhook)
    assert (delivery["status"], delivery["attempts"]) == ("delivered", 1)
    assert len(receiver.received) == 1


async def test_concurrent_workers_share_the_due_deliveries(
    receiver, create_webhook, submitted_event, make_step, sessions
):
    receiver.answering.clear()
    await create_webhook(receiver.url)
    for _ in range(2):
        await submitted_event()
    workers = [make_step(webhook_max_in_flight=1) for _ in range(2)]
    sending = [asyncio.create_task(step()) for step in workers]
    await receiver.requests_arrive(2)  # both in flight at once: neither waited for the other
    receiver.answering.set()
    assert await asyncio.gather(*sending) == [True, True]
    event_ids = {r.headers["baseline-event-id"] for r in receiver.received}
    assert (len(receiver.received), len(event_ids)) == (2, 2)
    assert await pending_count(sessions) == 0


async def test_a_deleted_webhook_gets_nothing_more(
    api, admin_headers, receiver, create_webhook, submitted_event, step, sessions
):
    webhook = await create_webhook(receiver.url)
    await submitted_event()
    assert (await api.delete(f"/v1/webhooks/{webhook['id']}", headers=admin_headers)).status_code == 204
    assert await step() is False
    assert receiver.received == []
    assert await _stored(sessions, webhook) == {"status": "cancelled", "attempts": 0, "next_attempt_at": None}


async def test_a_webhook_deleted_mid_delivery_is_not_retried(
    api, admin_headers, receiver, create_webhook, submitted_event, step, sessions
):
    receiver.statuses = [500]
    receiver.answering.clear()
    webhook = await create_webhook(receiver.url)
    await submitted_event()
    sending = asyncio.create_task(step())
    await receiver.requests_arrive()
    # The delete does not wait for the attempt in flight (its row is locked)...
    deleted = await asyncio.wait_for(api.delete(f"/v1/webhooks/{webhook['id']}", headers=admin_headers), 1)
    assert deleted.status_code == 204
    receiver.answering.set()
    assert await sending is True
    # ...and the attempt is recorded, but the delivery stays cancelled: it is not retried.
    assert await step() is False
    assert len(receiver.received) == 1
    assert await _stored(sessions, webhook) == {"status": "cancelled", "attempts": 1, "next_attempt_at": None}


async def _stored(sessions, webhook: dict) -> dict:
    """The delivery as the database holds it (the API no longer shows a deleted webhook)."""
    query = "SELECT status, attempts, next_attempt_at FROM webhook_deliveries WHERE webhook_id = :id"
    [delivery] = await rows(sessions, query, id=uuid.UUID(webhook["id"]))
    return delivery


async def test_the_gateway_runs_the_delivery_worker(
    settings, admin_headers, receiver, create_webhook, submitted_event
):
    await create_webhook(receiver.url)
    await submitted_event()
    running = create_app(
        settings.model_copy(update={"background_workers": True, "worker_idle_seconds": 0.05})
    )
    async with LifespanManager(running):
        await receiver.requests_arrive(within=10)
    assert verify_signature(
        SECRET, receiver.received[0].body, receiver.received[0].headers["baseline-signature"]
    )
