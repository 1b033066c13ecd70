"""The scoring service app: stateless, so any number of replicas can run side by side."""

from __future__ import annotations

from fastapi import FastAPI

from baseline_service_kit import create_service_app

from . import __version__
from .http.frameworks import router as frameworks_router
from .http.health import router as health_router
from .http.score import router as score_router
from .settings import Settings

__all__ = ["create_app"]

DESCRIPTION = """\
Internal, stateless scoring for Baseline. Applies a versioned framework's rules to a set of
answers and returns pillar scores, maturity levels, critical caps and prioritised incremental
recommendations. The same request always gives a byte-identical result.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = create_service_app(
        title="Baseline scoring service",
        version=__version__,
        description=DESCRIPTION,
        tags=[
            {"name": "frameworks", "description": "The framework versions this service scores."},
            {"name": "scoring", "description": "Score a set of answers."},
        ],
    )
    app.include_router(health_router)
    app.include_router(frameworks_router)
    app.include_router(score_router)
    return app
