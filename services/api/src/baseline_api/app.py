"""The gateway app: what portals, generated front ends and ingestion systems call."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import async_sessionmaker

from baseline_service_kit import create_service_app

from . import __version__
from .core.db import create_engine
from .core.scoring_client import ScoringClient
from .core.settings import Settings
from .health.router import router as health_router

__all__ = ["create_app"]

DESCRIPTION = """\
Baseline tells an NHS organisation where its digital delivery stands today, against its own
aspirations, and which small next steps matter most: ways of working, IT operating model and
supplier ecosystem, scored against a versioned framework.

Every error is `application/problem+json` (RFC 9457).
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[dict[str, Any]]:
        engine = create_engine(settings)
        scoring = ScoringClient(settings)
        try:
            yield {
                "settings": settings,
                "engine": engine,
                "sessions": async_sessionmaker(engine, expire_on_commit=False),
                "scoring": scoring,
            }
        finally:
            await scoring.aclose()
            await engine.dispose()

    app = create_service_app(
        title="Baseline API", version=__version__, description=DESCRIPTION, lifespan=lifespan
    )
    app.include_router(health_router)
    return app
