"""The gateway app: what portals, generated front ends and ingestion systems call."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import async_sessionmaker

from baseline_api import __version__
from baseline_api.actions.router import router as actions_router
from baseline_api.api_keys.router import router as api_keys_router
from baseline_api.approvals.router import router as approvals_router
from baseline_api.assessments.router import router as assessments_router
from baseline_api.audit.router import router as audit_router
from baseline_api.auth.oidc import OidcVerifier
from baseline_api.comparison.router import router as comparison_router
from baseline_api.core.background import running
from baseline_api.core.cors import install_cors
from baseline_api.core.db import Database, create_engine
from baseline_api.core.db_errors import install_database_error_handler
from baseline_api.core.scoring_client import ScoringClient
from baseline_api.core.settings import Settings
from baseline_api.core.tracing import untraced
from baseline_api.evidence.router import router as evidence_router
from baseline_api.example_portal import install_example_portal
from baseline_api.fhir.outcome import install_fhir_error_handler
from baseline_api.fhir.router import router as fhir_router
from baseline_api.frameworks.router import router as frameworks_router
from baseline_api.health.router import router as health_router
from baseline_api.idempotency.middleware import IdempotencyMiddleware
from baseline_api.idempotency.openapi import document_idempotency_key
from baseline_api.ingest.openapi import document_ingest_item
from baseline_api.ingest.router import router as ingest_router
from baseline_api.organisations.router import router as organisations_router
from baseline_api.peer_benchmarks.router import router as peer_benchmarks_router
from baseline_api.personal_data.router import router as personal_data_router
from baseline_api.reports.router import router as reports_router
from baseline_api.respondents.router import router as respondents_router
from baseline_api.webhooks.addresses import AddressPolicy, Resolver, system_resolver
from baseline_api.webhooks.context import WebhookContext
from baseline_api.webhooks.delivery import DeliveryWorker
from baseline_api.webhooks.openapi import outgoing_events
from baseline_api.webhooks.router import router as webhooks_router
from baseline_api.webhooks.secret_box import secret_box
from baseline_api.webhooks.sending import webhook_http_client
from baseline_api.workers import background_workers
from baseline_service_kit import create_service_app, tracer_provider_from

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

__all__ = ["create_app"]

TAGS = [
    {"name": "api-keys", "description": "Bearer tokens with scopes, optionally limited to organisations."},
    {"name": "frameworks", "description": "The versioned maturity frameworks assessments are pinned to."},
    {"name": "organisations", "description": "NHS organisations, identified by their ODS code."},
    {
        "name": "assessments",
        "description": "Assessments pinned to a framework version: submission, results and progress over time.",
    },
    {
        "name": "responses",
        "description": "Answers to an assessment's questions, checked against its framework.",
    },
    {
        "name": "respondents",
        "description": "People who answer an assessment independently, and how far they agree.",
    },
    {
        "name": "actions",
        "description": "The improvement plan: recommendation steps taken on, with owners, due dates and status.",
    },
    {
        "name": "ingest",
        "description": "Bulk ingestion for integrations: many assessments in one request, a report item each.",
    },
    {
        "name": "benchmarks",
        "description": "Peer benchmarks: k-anonymous score distributions across organisations.",
    },
    {
        "name": "reports",
        "description": "Reports a board can read (HTML, PDF), their Vega-Lite charts, and CSV, XLSX and NDJSON exports.",
    },
    {
        "name": "webhooks",
        "description": "Signed HTTP callbacks when assessments are submitted or scored and actions are "
        "done or overdue, retried until acknowledged.",
    },
]

SERVICE_NAME = "baseline-api"  # in traces, unless OTEL_SERVICE_NAME says otherwise
# Bulk ingestion takes larger bodies than the rest of the API (see Settings).
INGEST_PREFIX = "/v1/ingest/assessments"

DESCRIPTION = """\
Baseline tells an NHS organisation where its digital delivery stands today, against its own
aspirations, and which small next steps matter most: ways of working, IT operating model and
supplier ecosystem, scored against a versioned framework.

Every error is `application/problem+json` (RFC 9457), except on the FHIR routes, which answer
their own errors as a FHIR `OperationOutcome` (`application/fhir+json`).

Browsers on the origins listed in `CORS_ALLOWED_ORIGINS` may call the API (bearer tokens only,
no cookies); a TypeScript client generated from this document is type-checked in CI.
"""


def create_app(
    settings: Settings | None = None,
    *,
    resolver: Resolver = system_resolver,
    tracer_provider: TracerProvider | None = None,
) -> FastAPI:
    """The gateway. ``resolver`` resolves webhook receivers' names (tests pass one that never asks
    the DNS). Traces go to ``tracer_provider`` when given (tests), else where the settings say
    (``OTEL_EXPORTER_OTLP_ENDPOINT``), else nowhere."""
    settings = settings or Settings()
    tracer_provider = tracer_provider or tracer_provider_from(settings, SERVICE_NAME)
    secrets = secret_box(settings)  # a malformed key refuses to start here
    addresses = AddressPolicy(
        allow_private=settings.webhook_allow_private_networks,
        resolver=resolver,
        timeout_seconds=settings.webhook_connect_timeout_seconds,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[dict[str, Any]]:
        database = await Database.open(settings, tracer_provider)
        scoring = ScoringClient(settings, tracer_provider=tracer_provider)
        webhooks = webhook_http_client(settings, addresses)
        oidc = OidcVerifier.from_settings(settings)
        sessions = database.sessions
        claims_engine = create_engine(settings, pool_size=1, max_overflow=0)
        claims = async_sessionmaker(claims_engine, expire_on_commit=False)
        delivery = DeliveryWorker(settings, sessions, webhooks, secrets, claims)
        workers = (
            background_workers(settings, sessions, scoring, delivery) if settings.background_workers else []
        )
        if tracer_provider is not None:
            workers = untraced(workers)
        try:
            async with running(workers):
                yield {
                    "settings": settings,
                    "engine": database.engine,
                    "sessions": sessions,
                    "autocommit": database.autocommit,
                    "scoring": scoring,
                    "webhooks": WebhookContext.of(settings, addresses, secrets),
                    "oidc": oidc,
                }
        finally:
            if oidc is not None:
                await oidc.aclose()
            await webhooks.aclose()
            await claims_engine.dispose()
            await scoring.aclose()
            await database.dispose()

    app = create_service_app(
        title="Baseline API",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        tags=TAGS,
        max_body_bytes_by_prefix={INGEST_PREFIX: settings.ingest_max_body_bytes},
        middleware=[IdempotencyMiddleware],
        tracer_provider=tracer_provider,
    )
    document_idempotency_key(app)
    document_ingest_item(app)
    install_database_error_handler(app)
    install_fhir_error_handler(app)
    # A request tries each route in turn: the assessments' first, as answering and submitting are
    # what clients call most (a submit tried some twenty-five routes of other routers first).
    app.include_router(assessments_router)
    app.include_router(health_router)
    app.include_router(api_keys_router)
    app.include_router(frameworks_router)
    app.include_router(organisations_router)
    app.include_router(personal_data_router)
    app.include_router(evidence_router)
    app.include_router(approvals_router)
    app.include_router(audit_router)
    app.include_router(respondents_router)
    app.include_router(comparison_router)
    app.include_router(actions_router)
    app.include_router(ingest_router)
    app.include_router(fhir_router)
    app.include_router(peer_benchmarks_router)
    app.include_router(reports_router)
    app.include_router(webhooks_router)
    app.webhooks.include_router(outgoing_events)
    if settings.baseline_env == "development":
        install_example_portal(app)
    install_cors(app, settings.cors_allowed_origins)  # last: outermost, and it reads the routes
    return app
