"""Recording an attempt, and each receiver's circuit.

Each attempt is recorded in its own short transaction as soon as it completes, whatever the
others are doing: the attempt row, the delivery's new state, and the receiver's circuit.

The circuit: every failed attempt (no 2xx answer) counts one more failure in a row and every
success resets the count. A failing receiver gets one attempt at a time, spaced by exponential
backoff with jitter (``RETRY_BASE_SECONDS`` to ``RETRY_CAP_SECONDS``, ``next_probe_at``). At
``WEBHOOK_CIRCUIT_FAILURES`` failures in a row the circuit opens: that one attempt becomes a
probe, the oldest pending delivery, and all the others wait behind it (``claiming``). The first success
closes it and makes the whole backlog due at once, to drain oldest first. A receiver still
failing ``WEBHOOK_DISABLE_AFTER_HOURS`` after its first failure in a row is disabled (``disabling``).

Rows are locked webhook first, then delivery, as everything else that changes both does.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from baseline_api.core.background import backoff_seconds
from baseline_api.core.settings import Settings

from . import disabling
from .claiming import Claimed
from .models import Webhook, WebhookDelivery, WebhookDeliveryAttempt
from .sending import Outcome

__all__ = ["delivery_change", "record"]

_log = logging.getLogger("baseline.webhooks")
_RECORD_TRIES = 3


async def record(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, claimed: Claimed, outcome: Outcome
) -> None:
    """Record ``outcome`` in a transaction of its own; tried again if the database refuses it
    (a deadlock, a failover). Should every try fail, the lease expires and the delivery is sent
    again: at least once, still."""
    for tries in range(1, _RECORD_TRIES + 1):
        try:
            async with sessions() as session, session.begin():
                await _record(session, settings, claimed, outcome)
            return
        except DBAPIError:
            if tries == _RECORD_TRIES:
                raise
            _log.warning("webhook delivery %s: recording failed, trying again", claimed.id, exc_info=True)


async def _record(session: AsyncSession, settings: Settings, claimed: Claimed, outcome: Outcome) -> None:
    failures = await session.scalar(
        select(Webhook.consecutive_failures).where(Webhook.id == claimed.webhook_id).with_for_update()
    )
    found = await session.execute(
        select(WebhookDelivery.status, WebhookDelivery.attempts, WebhookDelivery.claimed_by)
        .where(WebhookDelivery.id == claimed.id)
        .with_for_update()
    )
    status, attempts, claimed_by = found.one()
    await session.execute(
        insert(WebhookDeliveryAttempt).values(**_attempt_row(claimed.id, attempts + 1, outcome))
    )
    change = delivery_change(
        status, attempts + 1, outcome, ours=claimed_by == claimed.claimed_by, settings=settings
    )
    statement = update(WebhookDelivery).where(WebhookDelivery.id == claimed.id)
    await session.execute(
        statement.values(attempts=attempts + 1, last_status_code=outcome.status_code, **change)
    )
    if outcome.delivered:
        if failures:  # a receiver already healthy has nothing to reset
            await _close(session, claimed.webhook_id, was_open=failures >= settings.webhook_circuit_failures)
    else:
        await _count_failure(session, settings, claimed.webhook_id, (failures or 0) + 1, outcome.attempted_at)


def _attempt_row(delivery_id: uuid.UUID, attempt: int, outcome: Outcome) -> dict[str, Any]:
    return {
        "delivery_id": delivery_id,
        "attempt": attempt,
        "attempted_at": outcome.attempted_at,
        "status_code": outcome.status_code,
        "error": outcome.error,
        "duration_ms": outcome.duration_ms,
    }


def delivery_change(
    status: str, attempts: int, outcome: Outcome, *, ours: bool, settings: Settings
) -> dict[str, Any]:
    """What the attempt changes of its delivery (besides counting it). A delivery that is no longer
    pending (cancelled, failed when its webhook was disabled, or delivered by another worker whose
    lease followed ours) stays as it is; one leased by another worker since ours expired keeps
    its schedule, unless this attempt delivered it."""
    now = func.now()
    release = {"locked_until": None, "claimed_by": None}
    if status != "pending":
        return release
    if outcome.delivered:
        return {**release, "status": "delivered", "delivered_at": now, "next_attempt_at": None}
    if not ours:
        return {}
    if attempts >= settings.webhook_max_attempts:
        _log.warning("webhook delivery failed after %d attempts", attempts)
        return {**release, "status": "failed", "next_attempt_at": None}
    delay = backoff_seconds(attempts, base=settings.retry_base_seconds, cap=settings.retry_cap_seconds)
    return {**release, "next_attempt_at": now + timedelta(seconds=delay)}


async def _close(session: AsyncSession, webhook_id: uuid.UUID, *, was_open: bool) -> None:
    closed = {"consecutive_failures": 0, "failing_since": None, "next_probe_at": None}
    await session.execute(update(Webhook).where(Webhook.id == webhook_id).values(**closed))
    if was_open:  # the backlog waited behind the probes, not on its own schedules: all due now
        backlog = update(WebhookDelivery).where(
            WebhookDelivery.webhook_id == webhook_id,
            WebhookDelivery.status == "pending",
            WebhookDelivery.next_attempt_at > func.now(),
        )
        await session.execute(backlog.values(next_attempt_at=func.now()))


async def _count_failure(
    session: AsyncSession, settings: Settings, webhook_id: uuid.UUID, failures: int, at: datetime
) -> None:
    """One more failure in a row: the receiver's next attempt waits a backoff of its own (with
    jitter); once the circuit is open, it may also be disabled."""
    delay = backoff_seconds(failures, base=settings.retry_base_seconds, cap=settings.retry_cap_seconds)
    values = {
        "consecutive_failures": failures,
        "failing_since": func.coalesce(Webhook.failing_since, at),
        "next_probe_at": func.now() + timedelta(seconds=delay),
    }
    await session.execute(update(Webhook).where(Webhook.id == webhook_id).values(**values))
    if failures >= settings.webhook_circuit_failures:
        after = timedelta(hours=settings.webhook_disable_after_hours)
        await disabling.disable_if_failing_since(session, webhook_id, before=after)
