"""The gateway's spans beyond the server span the service kit gives every request: one per
database statement (both pools) and one per call to the scoring service, which also carries the
W3C ``traceparent`` so the scoring service continues the same trace. The background workers
record none: their polls, every second or so, would each be a trace of their own.

Only called when tracing is on (a tracer provider exists): off, none of this is imported.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

import httpx
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from .background import Worker

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

    from .db import PgConnection

__all__ = ["trace_engine", "trace_pool_connections", "traced_transport", "untraced"]


def traced_transport(
    transport: httpx.AsyncBaseTransport, provider: TracerProvider
) -> httpx.AsyncBaseTransport:
    """``transport``, making a client span for each request and sending its ``traceparent``."""
    from opentelemetry.instrumentation.httpx import AsyncOpenTelemetryTransport

    return AsyncOpenTelemetryTransport(transport, tracer_provider=provider)


def trace_pool_connections(provider: TracerProvider) -> Callable[[PgConnection], Awaitable[None]]:
    """psycopg's pool ``configure`` hook: each new connection's cursors make a span a statement."""
    from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor

    async def configure(connection: PgConnection) -> None:
        PsycopgInstrumentor.instrument_connection(connection, tracer_provider=provider)

    return configure


def trace_engine(engine: AsyncEngine, provider: TracerProvider) -> None:
    """The same for every connection SQLAlchemy's pool opens (psycopg underneath)."""
    from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor

    def on_connect(dbapi_connection: Any, _: Any) -> None:
        PsycopgInstrumentor.instrument_connection(
            dbapi_connection.driver_connection, tracer_provider=provider
        )

    event.listen(engine.sync_engine, "connect", on_connect)


def untraced(workers: Sequence[Worker]) -> list[Worker]:
    """``workers`` whose steps record no span (instrumentation suppressed while each runs)."""
    from opentelemetry.instrumentation.utils import suppress_instrumentation

    def quiet(step: Callable[[], Awaitable[bool]]) -> Callable[[], Awaitable[bool]]:
        async def run() -> bool:
            with suppress_instrumentation():
                return await step()

        return run

    return [dataclasses.replace(worker, step=quiet(worker.step)) for worker in workers]
