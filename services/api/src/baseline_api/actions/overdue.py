"""The overdue worker: every gateway process looks for open actions whose due date has passed
(Europe/London) and announces each with ``action.overdue``, once per action and due date.

The claim, the mark (``overdue_reported_for``) and the event are one statement over rows no other
replica holds (``FOR UPDATE SKIP LOCKED``), so any number of replicas share the work and none
reports an action twice. An action whose due date moves is reported again once the new date
passes.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from baseline_api.core.background import Worker
from baseline_api.core.settings import Settings

from . import repository
from .dates import london_today

__all__ = ["BATCH", "overdue_worker", "report_overdue_now"]

BATCH = 100


async def report_overdue_now(session: AsyncSession, batch: int = BATCH) -> int:
    """One step: how many actions were reported overdue (a full batch may leave more)."""
    return await repository.report_overdue(session, london_today(), batch)


def overdue_worker(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> Worker:
    async def step() -> bool:
        async with sessions() as session, session.begin():
            return await report_overdue_now(session) == BATCH

    return Worker("overdue-actions", step, idle_seconds=settings.worker_idle_seconds)
