"""The background worker loop and its backoff, without a database."""

from __future__ import annotations

import asyncio

import pytest

from baseline_api.core.background import Worker, backoff_seconds, running


@pytest.mark.parametrize(("attempt", "ceiling"), [(1, 1.0), (2, 2.0), (3, 4.0), (10, 30.0)])
def test_backoff_grows_exponentially_with_jitter_up_to_the_cap(attempt, ceiling):
    delays = [backoff_seconds(attempt, base=1.0, cap=30.0) for _ in range(200)]
    assert all(ceiling / 2 <= delay <= ceiling for delay in delays)
    assert len(set(delays)) > 1  # jittered, so replicas do not retry in step


async def test_a_worker_outlives_a_failing_step_and_stops_with_its_block():
    calls: list[int] = []
    enough = asyncio.Event()

    async def step() -> bool:
        calls.append(1)
        if len(calls) >= 6:
            enough.set()
        if len(calls) == 1:
            raise RuntimeError("a failure the next step recovers from")
        return len(calls) < 5  # busy four times, then idle

    async with running([Worker("test", step, idle_seconds=0.01)]):
        await asyncio.wait_for(enough.wait(), timeout=5)
    stopped_at = len(calls)
    await asyncio.sleep(0.05)
    assert len(calls) == stopped_at


async def test_a_step_that_will_not_finish_is_cancelled_after_the_grace_period():
    cancelled = asyncio.Event()

    async def step() -> bool:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return False

    async with running([Worker("stuck", step, idle_seconds=1)], grace_seconds=0.05):
        await asyncio.sleep(0.01)
    assert cancelled.is_set()
