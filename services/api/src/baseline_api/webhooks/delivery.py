"""The webhook delivery worker: send what the outbox holds, signed, retried, fairly between receivers.

A step claims due deliveries across receivers (``claiming``: a few per receiver, leased, in a
short transaction), and starts one task per delivery, which sends it outside any transaction
(``sending``) and records its outcome in a transaction of its own as soon as it completes
(``circuit``). The step does not wait for its attempts: the next step claims again as soon as a
slot is free or new deliveries are queued (``wakeups``), else after ``WORKER_IDLE_SECONDS``, so a
receiver that hangs holds up only its own attempts, never another receiver's. At most
``WEBHOOK_MAX_IN_FLIGHT`` attempts run in one process.

Delivery is at least once: a process that stops between the receiver's answer and its record
loses its lease only when it expires, and the delivery is sent again, so receivers should ignore
an event id they have already handled (``Baseline-Event-Id``).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from baseline_api.core.settings import Settings

from . import circuit, sending, wakeups
from .claiming import Claimed, Limits, claim_due
from .secret_box import SecretBox

__all__ = ["DeliveryWorker"]

_log = logging.getLogger("baseline.webhooks")
# A lease outlasts the longest attempt (the whole request is bounded by the timeout) with room
# for recording it; only a worker that died or lost the database lets one expire.
_LEASE_MARGIN = timedelta(seconds=30)


class DeliveryWorker:
    """Runs as a background worker (``run``); ``step`` is one claim, for tests and ``run``."""

    name = "webhook-delivery"

    def __init__(
        self,
        settings: Settings,
        sessions: async_sessionmaker[AsyncSession],
        http: httpx.AsyncClient,
        box: SecretBox,
        claims: async_sessionmaker[AsyncSession] | None = None,
    ) -> None:
        """``claims``: sessions for claiming alone (a connection of their own), so that a claim never
        waits for a pooled connection behind a burst of outcomes being recorded."""
        self._settings, self._sessions, self._http, self._box = settings, sessions, http, box
        self._claims = claims or sessions
        self._in_flight: set[asyncio.Task[None]] = set()
        # Failures are recorded a few at a time (successes at once), so that a burst of dead
        # receivers' timeouts never takes every pooled connection from the requests served here.
        self._recording_failures = asyncio.Semaphore(max(1, settings.db_pool_size // 2))
        self._woken = asyncio.Event()  # set when deliveries were queued (see wakeups)

    @property
    def in_flight(self) -> int:
        return len(self._in_flight)

    async def step(self) -> bool:
        """Claim and start what is due; False when there was nothing to claim and nothing in flight.
        With attempts in flight it rests until one finishes, deliveries are queued, or the idle
        time passes."""
        self._woken.clear()  # before claiming: a notification from now on is not lost
        claimed = await self._claim()
        for delivery in claimed:
            self._start(delivery)
        if claimed:
            return True
        if not self._in_flight:
            return False
        await self._rest()
        return True

    async def run(self, stop: asyncio.Event) -> None:
        """Step until ``stop``, woken by new deliveries (``wakeups``) or else every idle time; then
        let the attempts in flight finish (if this task is cancelled meanwhile, they are cancelled,
        and their leases expire)."""
        listening = asyncio.create_task(wakeups.listen(self._settings, self._woken), name="webhook-wakeups")
        try:
            while not stop.is_set():
                if not await self._step_logging_failures():
                    await self._rest(stop)
            await self.drain()
        finally:
            listening.cancel()
            for task in self._in_flight:
                task.cancel()

    async def drain(self) -> None:
        """Wait for every attempt in flight to be sent and recorded."""
        while self._in_flight:
            await asyncio.wait(self._in_flight)

    async def _step_logging_failures(self) -> bool:
        try:
            return await self.step()
        except Exception:  # the worker must outlive any one failure (the database gone a moment)
            _log.exception("%s: step failed", self.name)
            return False

    async def _rest(self, stop: asyncio.Event | None = None) -> None:
        """Until an attempt finishes (a slot is free), deliveries are queued, ``stop``, or the idle time."""
        waiting = [asyncio.ensure_future(event.wait()) for event in (self._woken, stop) if event is not None]
        try:
            await asyncio.wait(
                [*waiting, *self._in_flight],
                timeout=self._settings.worker_idle_seconds,
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            for waiter in waiting:
                waiter.cancel()

    async def _claim(self) -> list[Claimed]:
        settings = self._settings
        limits = Limits(
            capacity=settings.webhook_max_in_flight - len(self._in_flight),
            per_receiver=settings.webhook_receiver_in_flight,
            circuit_failures=settings.webhook_circuit_failures,
            lease=timedelta(seconds=settings.webhook_timeout_seconds) + _LEASE_MARGIN,
        )
        async with self._claims() as session, session.begin():
            return await claim_due(session, limits)

    def _start(self, delivery: Claimed) -> None:
        task = asyncio.create_task(self._deliver(delivery), name=f"webhook-delivery-{delivery.id}")
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)

    async def _deliver(self, delivery: Claimed) -> None:
        settings = self._settings
        outcome = await sending.attempt(self._http, delivery, self._box, settings.webhook_timeout_seconds)
        try:
            if outcome.delivered:
                await circuit.record(self._sessions, settings, delivery, outcome)
            else:
                async with self._recording_failures:
                    await circuit.record(self._sessions, settings, delivery, outcome)
        except Exception:  # the lease expires and the delivery is sent again
            _log.exception("webhook delivery %s: its attempt could not be recorded", delivery.id)
