"""Prometheus metrics per route, recorded as each request finishes (by the request middleware,
``request_context``, which times every request anyway).

Each app gets its own registry so that several apps in one process (tests, benchmarks) never
share counters. Routes are labelled by their template (``/v1/assessments/{assessment_id}``),
not the raw path, so label cardinality stays bounded whatever clients send.
"""

from __future__ import annotations

from fastapi import FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

__all__ = ["RequestMetrics", "install_metrics"]


class RequestMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "http_requests_total",
            "HTTP requests by route and status.",
            ["method", "route", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "HTTP request latency by route.",
            ["method", "route"],
            registry=registry,
        )

        # (method, route, status) -> its histogram and counter: ``labels()`` takes a lock and
        # formats the labels on every call; the set is small (route templates, not paths).
        self._series: dict[tuple[str, str, int], tuple[Histogram, Counter]] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        series = self._series.get((method, route, status))
        if series is None:
            series = (self.latency.labels(method, route), self.requests.labels(method, route, str(status)))
            self._series[(method, route, status)] = series
        series[0].observe(seconds)
        series[1].inc()


def install_metrics(app: FastAPI) -> RequestMetrics:
    """``GET /metrics`` for the app; record requests with the returned ``observe``."""
    registry = CollectorRegistry()

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return RequestMetrics(registry)
