"""Housekeeping: what the gateway keeps only for a while is deleted once its time is up.

Expired idempotency keys (kept 24 hours) and settled webhook events (every delivery delivered,
failed or cancelled, or none at all) older than ``EVENT_RETENTION_DAYS`` go, with their
deliveries and attempts. Deletes run in small batches of rows no other replica holds, so any
number of replicas can run this at once without waiting on each other.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from baseline_api.core.background import Worker
from baseline_api.core.settings import Settings

__all__ = ["BATCH", "housekeeping_worker", "tidy_once"]

BATCH = 1000

_EXPIRED_KEYS = text("""
DELETE FROM idempotency_keys WHERE ctid IN (
    SELECT ctid FROM idempotency_keys WHERE expires_at < now()
    LIMIT :batch FOR UPDATE SKIP LOCKED)
""")

_SETTLED_EVENTS = text("""
DELETE FROM events WHERE id IN (
    SELECT e.id FROM events e
    WHERE e.occurred_at < now() - CAST(:retention AS interval)
      AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id AND d.status = 'pending')
    LIMIT :batch FOR UPDATE SKIP LOCKED)
""")


async def tidy_once(session: AsyncSession, event_retention: timedelta, batch: int = BATCH) -> int:
    """Delete one batch of each; how many rows went."""
    keys = await session.execute(_EXPIRED_KEYS, {"batch": batch})
    events = await session.execute(_SETTLED_EVENTS, {"batch": batch, "retention": event_retention})
    return int(keys.rowcount or 0) + int(events.rowcount or 0)  # type: ignore[attr-defined]


def housekeeping_worker(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> Worker:
    retention = timedelta(days=settings.event_retention_days)

    async def step() -> bool:
        async with sessions() as session, session.begin():
            return await tidy_once(session, retention) > 0  # a full batch may leave more: go again

    return Worker("housekeeping", step, idle_seconds=settings.housekeeping_idle_seconds)
