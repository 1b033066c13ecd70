"""Claiming due deliveries, fairly between receivers, with a lease.

One short transaction takes, for each receiver (webhook) in a random order, its oldest due
deliveries up to its free slots: ``WEBHOOK_RECEIVER_IN_FLIGHT`` less its attempts in flight
while it is healthy; once its last attempt failed, one at a time and not before its
``next_probe_at`` (a backoff of the receiver's own, with jitter, so that dead receivers neither
are hammered nor fail in step); while its circuit is open, that one attempt is a probe: the
oldest pending delivery, whatever its own schedule says. The rows are locked
with ``FOR UPDATE SKIP LOCKED`` for that instant only, so that replicas claiming at once take
different rows, and leased: ``locked_until`` and ``claimed_by`` keep every other worker off a
delivery while it is sent outside any transaction. A worker that dies loses only its leases,
which expire, and the deliveries are claimed again (delivery is at least once). Claiming a
probe moves the webhook's ``next_probe_at`` to the lease's end in the same statement, so two
replicas never probe one receiver at once. Healthy receivers' deliveries come first in what a
claim returns, so they are started before the failing ones' probes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["Claimed", "Limits", "claim_due"]


@dataclass(frozen=True)
class Claimed:
    """A leased delivery with what sending it needs: its receiver, its event and its lease."""

    id: uuid.UUID
    webhook_id: uuid.UUID
    attempts: int
    url: str
    secret_ciphertext: str
    event_id: uuid.UUID
    event_type: str
    occurred_at: datetime
    payload: dict[str, Any]
    claimed_by: uuid.UUID
    probe: bool


@dataclass(frozen=True)
class Limits:
    """How much one claim may take."""

    capacity: int  # free slots of this process
    per_receiver: int  # attempts in flight per receiver, across every process
    circuit_failures: int  # failures in a row that open a receiver's circuit
    lease: timedelta


_CLAIM = text("""
WITH ready AS (
    SELECT w.id,
           w.consecutive_failures >= :circuit_failures AS probing,
           CASE WHEN w.consecutive_failures = 0 THEN :per_receiver - flight.n ELSE 1 - flight.n END AS slots
    FROM webhooks w
    CROSS JOIN LATERAL (
        SELECT count(*) AS n FROM webhook_deliveries f
        WHERE f.webhook_id = w.id AND f.status = 'pending' AND f.locked_until > now()
    ) flight
    WHERE w.deleted_at IS NULL AND w.disabled_at IS NULL
      AND (w.next_probe_at IS NULL OR w.next_probe_at <= now())
      AND EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.webhook_id = w.id AND p.status = 'pending')
), picked AS (
    SELECT d.id, ready.id AS webhook_id, ready.probing
    FROM (SELECT * FROM ready WHERE slots > 0 ORDER BY random()) ready
    CROSS JOIN LATERAL (
        SELECT d.id FROM webhook_deliveries d
        WHERE d.webhook_id = ready.id AND d.status = 'pending'
          AND (ready.probing OR d.next_attempt_at <= now())
          AND (d.locked_until IS NULL OR d.locked_until <= now())
        ORDER BY d.created_at, d.id
        LIMIT ready.slots
        FOR UPDATE SKIP LOCKED
    ) d
    LIMIT :capacity
), probe AS (
    -- A receiver whose last outcome is being recorded right now (its row locked) is skipped:
    -- the claim never waits on a failing receiver, and it is probed at the next claim.
    UPDATE webhooks w SET next_probe_at = now() + :lease
    WHERE w.id IN (
        SELECT free.id FROM webhooks free JOIN picked ON picked.webhook_id = free.id
        WHERE picked.probing AND free.next_probe_at <= now()
        FOR UPDATE OF free SKIP LOCKED
    )
    RETURNING w.id
), leased AS (
    UPDATE webhook_deliveries d SET locked_until = now() + :lease, claimed_by = :claimed_by
    FROM picked
    WHERE d.id = picked.id AND (NOT picked.probing OR picked.webhook_id IN (SELECT id FROM probe))
    RETURNING d.id, d.webhook_id, d.attempts, d.event_id, d.created_at, picked.probing AS probe
)
SELECT leased.id, leased.webhook_id, leased.attempts, leased.probe, leased.event_id,
       w.url, w.secret_ciphertext, e.type AS event_type, e.occurred_at, e.payload
FROM leased
JOIN webhooks w ON w.id = leased.webhook_id
JOIN events e ON e.id = leased.event_id
ORDER BY w.consecutive_failures, leased.created_at, leased.id
""")


async def claim_due(session: AsyncSession, limits: Limits) -> list[Claimed]:
    """Lease up to ``limits.capacity`` due deliveries (in the caller's transaction: commit it at once)."""
    if limits.capacity <= 0:
        return []
    claimed_by = uuid.uuid4()
    parameters = {
        "capacity": limits.capacity,
        "per_receiver": limits.per_receiver,
        "circuit_failures": limits.circuit_failures,
        "lease": limits.lease,
        "claimed_by": claimed_by,
    }
    # A lease lost with a crash of the database costs at most a second sending (delivery is at
    # least once anyway), so the claim need not wait for its commit to reach the disk: that wait
    # is on the way of every delivery, and on a busy disk it is the longest part of the claim.
    await session.execute(text("SET LOCAL synchronous_commit TO OFF"))
    rows = (await session.execute(_CLAIM, parameters)).mappings().all()
    return [_claimed(row, claimed_by) for row in rows]


def _claimed(row: Any, claimed_by: uuid.UUID) -> Claimed:
    return Claimed(
        id=row["id"],
        webhook_id=row["webhook_id"],
        attempts=row["attempts"],
        url=row["url"],
        secret_ciphertext=row["secret_ciphertext"],
        event_id=row["event_id"],
        event_type=row["event_type"],
        occurred_at=row["occurred_at"],
        payload=row["payload"],
        claimed_by=claimed_by,
        probe=row["probe"],
    )
