"""The scoring service app: stateless, so any number of replicas can run side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import FastAPI

from baseline_service_kit import create_service_app, tracer_provider_from

from . import __version__
from .http.agreement import router as agreement_router
from .http.frameworks import router as frameworks_router
from .http.health import router as health_router
from .http.score import router as score_router
from .settings import Settings

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

__all__ = ["create_app"]

SERVICE_NAME = "baseline-scoring"  # in traces, unless OTEL_SERVICE_NAME says otherwise

DESCRIPTION = """\
Internal, stateless scoring for Baseline. Applies a versioned framework's rules to a set of
answers and returns pillar scores, maturity levels, critical caps and prioritised incremental
recommendations. The same request always gives a byte-identical result.
"""


def create_app(settings: Settings | None = None, *, tracer_provider: TracerProvider | None = None) -> FastAPI:
    """The scoring service. Traces go to ``tracer_provider`` when given (tests), else where the
    settings say (``OTEL_EXPORTER_OTLP_ENDPOINT``), else nowhere."""
    settings = settings or Settings()
    return create_service_app(
        title="Baseline scoring service",
        version=__version__,
        description=DESCRIPTION,
        tags=[
            {"name": "frameworks", "description": "The framework versions this service scores."},
            {"name": "scoring", "description": "Score a set of answers."},
        ],
        tracer_provider=tracer_provider or tracer_provider_from(settings, SERVICE_NAME),
        # Scoring first: it is the route the service is called for, and judged by.
        routers=[score_router, agreement_router, frameworks_router, health_router],
    )
