"""Traces: a submit is one trace across the gateway and the scoring service, with the gateway's
database statements in it. Both apps run in this process, each with its own tracer provider
writing to one in-memory exporter, and talk over real HTTP (the scoring app is served by uvicorn
on 127.0.0.1), so the trace crosses the wire in the ``traceparent`` header as in production."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from baseline_api.app import create_app
from baseline_api.core.settings import Settings
from baseline_scoring.app import create_app as create_scoring_app
from baseline_service_kit import ObservabilitySettings, tracer_provider_from
from tests.api.test_assessments_support import answers, create_assessment
from tests.serving import served

SUBMIT_ROUTE = "/v1/assessments/{assessment_id}/submit"


def _provider(exporter: InMemorySpanExporter, service: str) -> TracerProvider:
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider


@pytest.fixture
async def scoring_url(exporter: InMemorySpanExporter) -> AsyncIterator[str]:
    """A traced scoring service on a port of its own (this module's, not the session's)."""
    app = create_scoring_app(tracer_provider=_provider(exporter, "baseline-scoring"))
    async with served(app) as url:
        yield url


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
async def traced_api(
    settings: Settings, exporter, api, make_organisation
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, tracer_provider=_provider(exporter, "baseline-api"))
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
            yield client


def _service(span: ReadableSpan) -> str:
    return str(span.resource.attributes["service.name"])


def _url(span: ReadableSpan) -> str:  # the instrumentations name it by either semantic convention
    attributes = span.attributes or {}
    return str(attributes.get("url.full", attributes.get("http.url", "")))


def _database(span: ReadableSpan) -> bool:
    attributes = span.attributes or {}
    return "postgresql" in (attributes.get("db.system"), attributes.get("db.system.name"))


async def test_a_submit_is_one_trace_across_both_services(
    traced_api, exporter, admin_headers, make_organisation
):
    organisation = await make_organisation("RX1")
    assessment = await create_assessment(traced_api, admin_headers, organisation["id"])
    url = f"/v1/assessments/{assessment['id']}"
    items = [{**item, "comment": "Agreed with Jane Smith"} for item in answers()]
    await traced_api.patch(f"{url}/responses", json={"responses": items}, headers=admin_headers)
    assert all("Jane Smith" not in str(s.attributes) for s in exporter.get_finished_spans())  # no values
    exporter.clear()
    response = await traced_api.post(f"{url}/submit", headers=admin_headers)
    assert response.status_code == 200, response.text
    spans = exporter.get_finished_spans()
    [submit] = [
        s for s in spans if s.kind == SpanKind.SERVER and s.attributes.get("http.route") == SUBMIT_ROUTE
    ]
    trace = [s for s in spans if s.context.trace_id == submit.context.trace_id]
    assert {_service(s) for s in trace} == {"baseline-api", "baseline-scoring"}
    [scored] = [s for s in trace if _service(s) == "baseline-scoring" and s.kind == SpanKind.SERVER]
    assert scored.attributes.get("http.route") == "/v1/score"
    [call] = [s for s in trace if s.kind == SpanKind.CLIENT and _url(s).endswith("/v1/score")]
    assert scored.parent is not None
    assert scored.parent.span_id == call.context.span_id
    database = [s for s in trace if _database(s)]
    assert len(database) >= 2  # the read for scoring and the write of the result
    assert all(_service(s) == "baseline-api" for s in database)


async def test_the_sessions_pool_is_traced_too(traced_api, exporter, admin_headers, make_organisation):
    await make_organisation("RX1")
    exporter.clear()
    assert (await traced_api.get("/v1/organisations", headers=admin_headers)).status_code == 200
    spans = exporter.get_finished_spans()
    [server] = [s for s in spans if s.kind == SpanKind.SERVER]
    queries = [s for s in spans if s.context.trace_id == server.context.trace_id and _database(s)]
    assert queries, [s.name for s in spans]


def test_tracing_is_off_without_an_endpoint(monkeypatch):
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    assert tracer_provider_from(ObservabilitySettings(), "baseline-api") is None
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")
    monkeypatch.setenv("OTEL_SERVICE_NAME", "gateway-blue")
    provider = tracer_provider_from(ObservabilitySettings(), "baseline-api")
    try:
        assert provider is not None
        assert provider.resource.attributes["service.name"] == "gateway-blue"
    finally:
        assert provider is not None
        provider.shutdown()


def test_without_a_provider_nothing_is_wrapped(settings):
    app = create_app(settings)
    assert app._telemetry["tracing"] is False  # FastAPI's own telemetry is off outright


async def test_the_background_workers_record_no_spans(settings, exporter, api):
    """Their polls come every second or so: each would be a trace of its own."""
    busy = settings.model_copy(update={"background_workers": True, "worker_idle_seconds": 0.01})
    app = create_app(busy, tracer_provider=_provider(exporter, "baseline-api"))
    async with LifespanManager(app) as manager:
        await asyncio.sleep(0.3)  # dozens of polls by each worker
        assert exporter.get_finished_spans() == ()
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
            await client.get("/v1/frameworks", headers={"Authorization": "Bearer nonsense"})
    assert exporter.get_finished_spans(), "requests are still traced"
