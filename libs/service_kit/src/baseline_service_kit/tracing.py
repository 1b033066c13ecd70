"""OpenTelemetry traces, off unless ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set.

Off, the OpenTelemetry SDK is never imported, FastAPI's own telemetry is switched off outright
and nothing is wrapped: no per-request work at all. On, each service has its own tracer provider
(never the global one, so several apps in one process keep their spans apart) exporting OTLP
over HTTP; the SDK reads the standard ``OTEL_*`` variables itself (headers, sampler, resource
attributes, timeouts). FastAPI's native telemetry makes a server span per request (named by its
route template, continuing the caller's W3C ``traceparent``) and spans for its dependencies and
endpoint. Its OpenTelemetry *logs* stay off: they would carry request bodies (answers).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI
from fastapi.telemetry import TelemetryConfig
from starlette.types import Scope

from .settings import ObservabilitySettings

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

__all__ = ["shut_down_with", "telemetry_config", "tracer_provider_from"]

# The probes and the metrics scrape say nothing worth a trace, and come every few seconds.
UNTRACED_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


def tracer_provider_from(settings: ObservabilitySettings, service_name: str) -> TracerProvider | None:
    """A provider exporting to the configured endpoint, or None when tracing is off."""
    if settings.otel_exporter_otlp_endpoint is None:
        return None
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    resource = Resource.create({SERVICE_NAME: settings.otel_service_name or service_name})
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return provider


def telemetry_config(provider: TracerProvider | None) -> TelemetryConfig:
    """FastAPI's ``telemetry=``: spans to ``provider``; with none, nothing at all."""
    if provider is None:
        return {"tracing": False, "metrics": False, "logs": False}
    return {"tracer_provider": provider, "metrics": False, "logs": False, "exclude": _untraced}


def _untraced(scope: Scope) -> bool:
    return scope.get("path") in UNTRACED_PATHS


def shut_down_with(app: FastAPI, provider: TracerProvider) -> None:
    """Flush and shut the provider down when the app stops, so the last spans are not lost."""
    app.router.lifespan_context = _shutting_down(app.router.lifespan_context, provider)


def _shutting_down(
    lifespan: Callable[[Any], AbstractAsyncContextManager[Any]], provider: TracerProvider
) -> Callable[[Any], AbstractAsyncContextManager[Any]]:
    @asynccontextmanager
    async def wrapped(app: Any) -> AsyncIterator[Any]:
        try:
            async with lifespan(app) as state:
                yield state
        finally:
            await asyncio.to_thread(provider.shutdown)  # flushes the last spans over the network

    return wrapped
