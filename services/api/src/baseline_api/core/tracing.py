"""The gateway's spans beyond the server span the service kit gives every request: one per
database statement (both pools) and one per call to the scoring service, which also carries the
W3C ``traceparent`` so the scoring service continues the same trace. The background workers
record none: their polls, every second or so, would each be a trace of their own.

Only called when tracing is on (a tracer provider exists): off, none of this is imported.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

import httpx
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from .background import Runnable, Worker

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


def untraced(workers: Sequence[Runnable]) -> list[Runnable]:
    """``workers`` that record no span: each step of a :class:`Worker` runs with instrumentation
    suppressed; a worker of another kind suppresses it for its whole run."""
    from opentelemetry.instrumentation.utils import suppress_instrumentation

    def quiet(step: Callable[[], Awaitable[bool]]) -> Callable[[], Awaitable[bool]]:
        async def run() -> bool:
            with suppress_instrumentation():
                return await step()

        return run

    return [
        dataclasses.replace(worker, step=quiet(worker.step)) if isinstance(worker, Worker) else _Quiet(worker)
        for worker in workers
    ]


@dataclasses.dataclass(frozen=True)
class _Quiet:
    """A runnable whose whole run records no span."""

    inner: Runnable

    @property
    def name(self) -> str:
        return self.inner.name

    async def run(self, stop: asyncio.Event) -> None:
        from opentelemetry.instrumentation.utils import suppress_instrumentation

        with suppress_instrumentation():
            await self.inner.run(stop)
