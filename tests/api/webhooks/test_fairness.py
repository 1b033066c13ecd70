"""Fairness between receivers: a dead receiver (one that hangs, refuses, answers 500, or answers
after the timeout) holds up only its own attempts. Each attempt is recorded on its own as soon as
it completes; no receiver has more than its share in flight; a lease that expires (its worker
died) frees the delivery for another worker. Every receiver is on loopback."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
from sqlalchemy import text

from baseline_devstack.processes import free_port
from tests.api.webhooks.conftest import pending_count, rows

BACKLOG = 6  # events each dead receiver has waiting before the healthy one subscribes


async def _status_of(sessions, webhook: dict) -> list[str]:
    query = "SELECT status FROM webhook_deliveries WHERE webhook_id = :id ORDER BY created_at"
    return [row["status"] for row in await rows(sessions, query, id=uuid.UUID(webhook["id"]))]


async def _dead_url(kind: str, make_receiver) -> str:
    if kind == "refuses":
        return f"http://127.0.0.1:{free_port()}/nobody-listens"
    dead = await make_receiver()
    if kind == "hangs":
        dead.answering.clear()
    elif kind == "answers 500":
        dead.statuses = [500] * 100
    else:  # answers after the timeout
        dead.delay_seconds = 5
    return dead.url


@pytest.mark.parametrize("kind", ["hangs", "refuses", "answers 500", "answers after the timeout"])
async def test_a_dead_receiver_does_not_hold_up_a_healthy_one(
    kind, make_receiver, create_webhook, submitted_event, make_worker, sessions
):
    dead = [await create_webhook(await _dead_url(kind, make_receiver)) for _ in range(3)]
    for _ in range(BACKLOG):
        await submitted_event()
    healthy = await make_receiver()
    webhook = await create_webhook(healthy.url)
    await submitted_event()
    worker = make_worker(webhook_timeout_seconds=2.0, webhook_receiver_in_flight=2)
    started = time.monotonic()
    async with asyncio.timeout(5):
        while await _status_of(sessions, webhook) != ["delivered"]:
            await worker.step()
    elapsed = time.monotonic() - started
    # The healthy receiver's event was delivered and recorded within a fraction of the dead
    # receivers' timeout, whatever they were doing meanwhile.
    assert elapsed < 1.5, elapsed
    assert len(healthy.received) == 1
    if kind in ("hangs", "answers after the timeout"):
        assert worker.in_flight > 0  # the dead receivers' attempts are still waiting
    await worker.drain()
    for each in dead:
        statuses = await _status_of(sessions, each)
        assert statuses.count("pending") == len(statuses) == BACKLOG + 1


async def test_a_receiver_has_at_most_its_share_in_flight(
    make_receiver, create_webhook, submitted_event, make_worker, sessions
):
    hanging = await make_receiver()
    hanging.answering.clear()
    await create_webhook(hanging.url)
    for _ in range(5):
        await submitted_event()
    first, second = make_worker(webhook_receiver_in_flight=2), make_worker(webhook_receiver_in_flight=2)
    assert await first.step() is True
    await hanging.requests_arrive(2)
    # The receiver's share is in flight: neither worker claims more, however much is due.
    assert await asyncio.wait_for(second.step(), 2) is False
    await first.step()
    assert (first.in_flight, second.in_flight, len(hanging.received)) == (2, 0, 2)
    hanging.answering.set()
    await first.drain()
    assert await pending_count(sessions) == 5 - 2


async def test_an_expired_lease_frees_the_delivery_for_another_worker(
    receiver, create_webhook, submitted_event, step, sessions
):
    await create_webhook(receiver.url, ["assessment.submitted"])
    await submitted_event()
    lease = "UPDATE webhook_deliveries SET locked_until = now() + :ttl, claimed_by = gen_random_uuid()"
    async with sessions() as session, session.begin():  # a worker that claimed it, then died
        await session.execute(text(lease), {"ttl": "1 hour"})
    assert await step() is False  # its lease still holds
    async with sessions() as session, session.begin():
        await session.execute(text(lease), {"ttl": "-1 second"})
    assert await step() is True
    assert len(receiver.received) == 1
    assert await rows(
        sessions, "SELECT status, attempts, locked_until, claimed_by FROM webhook_deliveries"
    ) == [{"status": "delivered", "attempts": 1, "locked_until": None, "claimed_by": None}]
