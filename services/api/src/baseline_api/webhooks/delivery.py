"""The webhook delivery worker: send what the outbox holds, signed, retried with backoff.

Each step is one transaction: claim a batch of due deliveries (row locks, ``SKIP LOCKED``), send
them concurrently, record every attempt, commit. Until the commit no other process can claim the
same rows, so each attempt is made by one process only. A process that dies mid-step rolls back:
its deliveries are claimed again and re-sent, so delivery is at least once, and receivers should
ignore an event id they have already handled (``Baseline-Event-Id``).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from baseline_api import __version__
from baseline_api.core.background import Worker, backoff_seconds
from baseline_api.core.settings import Settings

from . import repository
from .payload import WebhookEvent
from .repository import AttemptRecord, DueDelivery
from .signing import SIGNATURE_HEADER, signature_header

__all__ = ["deliver_due", "delivery_worker", "webhook_http_client"]

_log = logging.getLogger("baseline.webhooks")
_MAX_ERROR_CHARS = 500


def webhook_http_client(settings: Settings) -> httpx.AsyncClient:
    """The client for every delivery, made and closed by the app's lifespan. Redirects are not
    followed: a receiver answers where it was registered, or the attempt fails."""
    return httpx.AsyncClient(
        timeout=settings.webhook_timeout_seconds,
        follow_redirects=False,
        headers={"User-Agent": f"Baseline-Webhooks/{__version__}"},
    )


def delivery_worker(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], http: httpx.AsyncClient
) -> Worker:
    step = functools.partial(deliver_due, sessions, http, settings)
    return Worker(name="webhook-delivery", step=step, idle_seconds=settings.worker_idle_seconds)


@dataclass(frozen=True)
class _Outcome:
    attempted_at: datetime
    duration_ms: int
    status_code: int | None = None
    error: str | None = None

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


async def deliver_due(
    sessions: async_sessionmaker[AsyncSession], http: httpx.AsyncClient, settings: Settings
) -> bool:
    """One step: attempt a batch of due deliveries; False when nothing was due."""
    async with sessions() as session, session.begin():
        claimed = await repository.claim_due_deliveries(session, settings.webhook_batch_size)
        if not claimed:
            return False
        # A webhook deleted while its delivery waited: stop it instead of sending.
        await repository.cancel_deliveries(session, [d.id for d in claimed if d.webhook_deleted])
        live = [d for d in claimed if not d.webhook_deleted]
        outcomes = await asyncio.gather(*(_attempt(http, d, settings.webhook_timeout_seconds) for d in live))
        await _record(session, settings, list(zip(live, outcomes, strict=True)))
    return True


def _request(delivery: DueDelivery) -> tuple[bytes, dict[str, str]]:
    """The body (the same bytes on every retry) and its headers, signed now."""
    event = WebhookEvent.model_validate(
        {
            "id": delivery.event_id,
            "type": delivery.event_type,
            "occurred_at": delivery.occurred_at,
            "data": delivery.payload,
        }
    )
    body = event.model_dump_json().encode()
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: signature_header(delivery.secret, body),
        "Baseline-Event-Id": str(delivery.event_id),
        "Baseline-Event-Type": delivery.event_type,
        "Baseline-Delivery-Id": str(delivery.id),
    }
    return body, headers


async def _attempt(http: httpx.AsyncClient, delivery: DueDelivery, limit_seconds: float) -> _Outcome:
    attempted_at, started = datetime.now(UTC), time.monotonic()
    status_code, error = await _post(http, delivery, limit_seconds)
    duration_ms = round((time.monotonic() - started) * 1000)
    return _Outcome(attempted_at, duration_ms, status_code, error)


async def _post(
    http: httpx.AsyncClient, delivery: DueDelivery, limit_seconds: float
) -> tuple[int | None, str | None]:
    """``(status code, None)`` or ``(None, what went wrong)``: every failure is an answer, never an
    exception, so one bad delivery can neither stop its batch nor be retried for ever uncounted.
    Only the status line matters: the body is never read, so a receiver cannot make the worker
    hold a large answer."""
    try:
        body, headers = _request(delivery)
        async with (
            asyncio.timeout(limit_seconds),
            http.stream("POST", delivery.url, content=body, headers=headers) as response,
        ):
            code = response.status_code
    except (TimeoutError, httpx.TimeoutException):
        return None, f"timed out after {limit_seconds:g} s"
    except Exception as exc:  # refused connection, bad TLS, or a bug of ours: all count
        if not isinstance(exc, httpx.HTTPError):
            _log.exception("webhook delivery %s: unexpected error", delivery.id)
        return None, f"{type(exc).__name__}: {exc}".replace("\x00", "")[:_MAX_ERROR_CHARS]
    if not 100 <= code <= 599:  # HTTP/1.1 allows any three digits; none of the others mean anything
        return None, f"answered with the undefined status code {code}"
    return code, None


async def _record(
    session: AsyncSession, settings: Settings, attempted: list[tuple[DueDelivery, _Outcome]]
) -> None:
    records = [
        AttemptRecord(
            delivery_id=delivery.id,
            attempt=delivery.attempts + 1,
            attempted_at=outcome.attempted_at,
            status_code=outcome.status_code,
            error=outcome.error,
            duration_ms=outcome.duration_ms,
        )
        for delivery, outcome in attempted
    ]
    await repository.insert_attempts(session, records)
    for delivery, outcome in attempted:
        await _finish(session, settings, delivery, outcome)


async def _finish(
    session: AsyncSession, settings: Settings, delivery: DueDelivery, outcome: _Outcome
) -> None:
    attempts = delivery.attempts + 1
    code = outcome.status_code
    if outcome.delivered:
        await repository.finish_attempt(session, delivery.id, status="delivered", status_code=code)
    elif attempts >= settings.webhook_max_attempts:
        _log.warning("webhook delivery %s failed after %d attempts", delivery.id, attempts)
        await repository.finish_attempt(session, delivery.id, status="failed", status_code=code)
    else:
        delay = backoff_seconds(attempts, base=settings.retry_base_seconds, cap=settings.retry_cap_seconds)
        retry_in = timedelta(seconds=delay)
        await repository.finish_attempt(
            session, delivery.id, status="pending", status_code=code, retry_in=retry_in
        )
