"""The background workers every gateway process runs (see ``core.background``)."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from baseline_api.actions.overdue import overdue_worker
from baseline_api.assessments.submission import score_next_submission
from baseline_api.core.background import Worker
from baseline_api.core.scoring_client import ScoringClient
from baseline_api.core.settings import Settings
from baseline_api.housekeeping import housekeeping_worker
from baseline_api.webhooks.delivery import delivery_worker

__all__ = ["background_workers"]


def background_workers(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    scoring: ScoringClient,
    webhooks: httpx.AsyncClient,
) -> list[Worker]:
    """``webhooks``: the HTTP client webhook deliveries are sent with."""

    async def score_next() -> bool:
        async with sessions() as session, session.begin():
            return await score_next_submission(session, scoring)

    return [
        Worker("scoring", score_next, idle_seconds=settings.worker_idle_seconds),
        delivery_worker(settings, sessions, webhooks),
        housekeeping_worker(settings, sessions),
        overdue_worker(settings, sessions),
    ]
