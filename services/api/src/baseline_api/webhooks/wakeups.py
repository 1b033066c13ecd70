"""Waking the delivery worker when deliveries are queued, instead of at its next poll.

A trigger on ``webhook_deliveries`` (see the migration ``webhook_isolation``) sends
``NOTIFY webhook_deliveries`` with every statement that queues deliveries, delivered when that
statement's transaction commits. Each gateway process keeps one connection listening and sets an
event its worker waits on. The notification carries nothing and only shortens the wait: without
it (the listening connection lost, a database that drops notifications) the worker still finds
every delivery at its next poll (``WORKER_IDLE_SECONDS``).
"""

from __future__ import annotations

import asyncio
import logging

import psycopg

from baseline_api.core.settings import Settings, libpq_url

__all__ = ["CHANNEL", "listen"]

CHANNEL = "webhook_deliveries"
_log = logging.getLogger("baseline.webhooks")


async def listen(settings: Settings, woken: asyncio.Event) -> None:
    """Set ``woken`` at each notification, for ever; reconnect after the idle time when the
    connection is lost (cancel the task to stop)."""
    while True:
        try:
            await _listen_once(settings, woken)
        except (psycopg.Error, OSError):
            _log.warning("webhook wake-ups: listening failed; polling until it works again", exc_info=True)
        woken.set()  # something may have been queued while nobody listened
        await asyncio.sleep(settings.worker_idle_seconds)


async def _listen_once(settings: Settings, woken: asyncio.Event) -> None:
    async with await psycopg.AsyncConnection.connect(
        libpq_url(settings.database_url), autocommit=True
    ) as connection:
        await connection.execute(f"LISTEN {CHANNEL}")
        async for _ in connection.notifies():
            woken.set()
