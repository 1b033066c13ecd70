"""A small closed-loop HTTP load generator: N requests, C at a time, one shared client."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

__all__ = ["LoadResult", "Send", "measure", "timed"]

Send = Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies) * 1000


async def timed(client: httpx.AsyncClient, send: Send, expect: int = 200) -> float:
    """Seconds one request takes; its answer must be ``expect``."""
    started = time.perf_counter()
    response = await send(client)
    elapsed = time.perf_counter() - started
    if response.status_code != expect:
        raise RuntimeError(f"{response.status_code}: {response.text[:300]}")
    return elapsed


async def measure(
    base_url: str,
    send: Send,
    *,
    requests: int,
    concurrency: int,
    expect: int = 200,
) -> LoadResult:
    """Send ``requests`` requests with ``concurrency`` in flight; every answer must be ``expect``."""
    latencies: list[float] = []
    remaining = iter(range(requests))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:

        async def worker() -> None:
            for _ in remaining:
                latencies.append(await timed(client, send, expect))

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return LoadResult(requests, time.perf_counter() - started, latencies)
