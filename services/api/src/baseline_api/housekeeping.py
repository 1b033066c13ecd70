"""Housekeeping: what the gateway keeps only for a while is deleted once its time is up.

Expired idempotency keys (kept 24 hours) and settled webhook events (every delivery delivered,
failed or cancelled, or none at all) older than ``EVENT_RETENTION_DAYS`` go, with their
deliveries and attempts; so do rendered reports and charts older than
``RENDER_CACHE_RETENTION_DAYS`` (rendered again when next asked for). Deletes run in small batches of rows no other replica holds, so any
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

_OLD_RENDERINGS = text("""
DELETE FROM rendered_documents WHERE key IN (
    SELECT key FROM rendered_documents WHERE created_at < now() - CAST(:retention AS interval)
    LIMIT :batch FOR UPDATE SKIP LOCKED)
""")

DEFAULT_RENDER_RETENTION = timedelta(days=7)


async def tidy_once(
    session: AsyncSession,
    event_retention: timedelta,
    batch: int = BATCH,
    render_retention: timedelta = DEFAULT_RENDER_RETENTION,
) -> int:
    """Delete one batch of each; how many rows went."""
    keys = await session.execute(_EXPIRED_KEYS, {"batch": batch})
    events = await session.execute(_SETTLED_EVENTS, {"batch": batch, "retention": event_retention})
    renderings = await session.execute(_OLD_RENDERINGS, {"batch": batch, "retention": render_retention})
    counts: list[int] = [result.rowcount or 0 for result in (keys, events, renderings)]  # type: ignore[attr-defined]
    return sum(counts)


def housekeeping_worker(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> Worker:
    retention = timedelta(days=settings.event_retention_days)
    renderings = timedelta(days=settings.render_cache_retention_days)

    async def step() -> bool:
        async with sessions() as session, session.begin():
            # A full batch may leave more: go again.
            return await tidy_once(session, retention, render_retention=renderings) > 0

    return Worker("housekeeping", step, idle_seconds=settings.housekeeping_idle_seconds)
