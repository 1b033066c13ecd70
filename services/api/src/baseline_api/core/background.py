"""Background workers in the gateway process: the scoring retry worker and webhook delivery.

Each worker repeats one ``step``: claim due work in PostgreSQL (``FOR UPDATE SKIP LOCKED``, so
any number of gateway replicas share it), do it, commit. Claims are row locks held by the step's
transaction, never flags in memory: when a process stops, or a step is cancelled, the transaction
rolls back and the work is free for another replica at once. (Webhook delivery, whose attempts
must not wait for one another, claims with leases that expire instead: see
``webhooks.delivery``.)
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from typing import Protocol

__all__ = ["Runnable", "Worker", "backoff_seconds", "running"]

_log = logging.getLogger("baseline.background")

Step = Callable[[], Awaitable[bool]]


def backoff_seconds(attempt: int, *, base: float, cap: float) -> float:
    """Exponential backoff with jitter: uniform in [c/2, c] where c = min(cap, base * 2**(attempt-1)).

    Jitter spreads the retries of many replicas and many items so that a recovering service is not
    hit by all of them at once."""
    ceiling = min(cap, base * 2 ** max(attempt - 1, 0))
    return random.uniform(ceiling / 2, ceiling)  # noqa: S311 - spreading load, not security


@dataclass(frozen=True)
class Worker:
    """``step`` returns True when it did something (run it again at once), False when idle."""

    name: str
    step: Step
    idle_seconds: float

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                busy = await self.step()
            except Exception:  # a worker must outlive any one failure; the next step retries
                _log.exception("%s: step failed", self.name)
                busy = False
            if not busy:
                with suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=self.idle_seconds)


class Runnable(Protocol):
    """What ``running`` runs: a :class:`Worker`, or a worker with work of its own to finish."""

    @property
    def name(self) -> str: ...

    async def run(self, stop: asyncio.Event) -> None: ...


@asynccontextmanager
async def running(workers: Sequence[Runnable], *, grace_seconds: float = 5.0) -> AsyncIterator[None]:
    """Run ``workers`` for the duration of the block; on exit let each finish its current step for
    up to ``grace_seconds``, then cancel it (its transaction rolls back, releasing its claims)."""
    stop = asyncio.Event()
    tasks = [asyncio.create_task(worker.run(stop), name=worker.name) for worker in workers]
    try:
        yield
    finally:
        stop.set()
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=grace_seconds)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
