"""All SQL of the webhooks domain: subscriptions, the outbox, and the delivery worker's claims."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, DateTime, Update, func, insert, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from .models import DeliveryStatus, Event, Webhook, WebhookDelivery, WebhookDeliveryAttempt

__all__ = [
    "AttemptRecord",
    "DueDelivery",
    "Keyset",
    "attempts_of",
    "cancel_deliveries",
    "cancel_pending_deliveries",
    "claim_due_deliveries",
    "finish_attempt",
    "get_webhook",
    "insert_attempts",
    "insert_webhook",
    "page_of_deliveries",
    "page_of_webhooks",
    "soft_delete_webhook",
]

Keyset = tuple[datetime, uuid.UUID]


@dataclass(frozen=True)
class DueDelivery:
    """A claimed delivery with what sending it needs: its webhook and its event."""

    id: uuid.UUID
    attempts: int
    url: str
    secret: str
    webhook_deleted: bool
    event_id: uuid.UUID
    event_type: str
    occurred_at: datetime
    payload: dict[str, Any]


@dataclass(frozen=True)
class AttemptRecord:
    delivery_id: uuid.UUID
    attempt: int
    attempted_at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int


# --- subscriptions


async def insert_webhook(
    session: AsyncSession, *, url: str, events: list[str], secret: str, created_by: uuid.UUID | None
) -> Webhook:
    values = {"url": url, "events": events, "secret": secret, "created_by": created_by}
    return (await session.scalars(insert(Webhook).values(**values).returning(Webhook))).one()


async def get_webhook(session: AsyncSession, webhook_id: uuid.UUID) -> Webhook | None:
    query = select(Webhook).where(Webhook.id == webhook_id, Webhook.deleted_at.is_(None))
    return await session.scalar(query)


async def page_of_webhooks(session: AsyncSession, *, after: Keyset | None, limit: int) -> Sequence[Webhook]:
    query = select(Webhook).where(Webhook.deleted_at.is_(None))
    if after is not None:
        query = query.where(tuple_(Webhook.created_at, Webhook.id) > tuple_(*after))
    return (await session.scalars(query.order_by(Webhook.created_at, Webhook.id).limit(limit))).all()


async def soft_delete_webhook(session: AsyncSession, webhook_id: uuid.UUID) -> bool:
    statement = (
        update(Webhook)
        .where(Webhook.id == webhook_id, Webhook.deleted_at.is_(None))
        .values(deleted_at=func.now())
        .returning(Webhook.id)
    )
    return (await session.scalar(statement)) is not None


async def cancel_pending_deliveries(session: AsyncSession, webhook_id: uuid.UUID) -> None:
    """Cancel a webhook's pending deliveries without waiting for one being sent right now
    (SKIP LOCKED): the worker cancels that one itself once it sees the webhook deleted."""
    idle = (
        select(WebhookDelivery.id)
        .where(WebhookDelivery.webhook_id == webhook_id, WebhookDelivery.status == "pending")
        .with_for_update(skip_locked=True)
    )
    await session.execute(_cancel(WebhookDelivery.id.in_(idle)))


async def cancel_deliveries(session: AsyncSession, delivery_ids: Collection[uuid.UUID]) -> None:
    if delivery_ids:
        await session.execute(_cancel(WebhookDelivery.id.in_(delivery_ids)))


def _cancel(which: ColumnElement[bool]) -> Update:
    return (
        update(WebhookDelivery)
        .where(which, WebhookDelivery.status == "pending")
        .values(status="cancelled", next_attempt_at=None)
    )


# --- deliveries as listed


async def page_of_deliveries(
    session: AsyncSession, webhook_id: uuid.UUID, *, status: str | None, after: Keyset | None, limit: int
) -> Sequence[tuple[WebhookDelivery, str]]:
    """Newest first, each with its event's type."""
    query = (
        select(WebhookDelivery, Event.type)
        .join(Event, Event.id == WebhookDelivery.event_id)
        .where(WebhookDelivery.webhook_id == webhook_id)
    )
    if status is not None:
        query = query.where(WebhookDelivery.status == status)
    if after is not None:
        query = query.where(tuple_(WebhookDelivery.created_at, WebhookDelivery.id) < tuple_(*after))
    query = query.order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc()).limit(limit)
    return [(delivery, event_type) for delivery, event_type in await session.execute(query)]


async def attempts_of(
    session: AsyncSession, delivery_ids: Collection[uuid.UUID]
) -> Sequence[WebhookDeliveryAttempt]:
    query = (
        select(WebhookDeliveryAttempt)
        .where(WebhookDeliveryAttempt.delivery_id.in_(delivery_ids))
        .order_by(WebhookDeliveryAttempt.delivery_id, WebhookDeliveryAttempt.attempt)
    )
    return (await session.scalars(query)).all()


# --- the delivery worker


async def claim_due_deliveries(session: AsyncSession, limit: int) -> list[DueDelivery]:
    """Lock up to ``limit`` due pending deliveries, soonest first, skipping those another
    transaction holds: the lock is the claim, released when this transaction ends. Only the
    delivery rows are locked (OF), so webhooks and events stay free for everyone else."""
    query = (
        select(
            WebhookDelivery.id,
            WebhookDelivery.attempts,
            Webhook.url,
            Webhook.secret,
            Webhook.deleted_at.is_not(None).label("webhook_deleted"),
            Event.id.label("event_id"),
            Event.type.label("event_type"),
            Event.occurred_at,
            Event.payload,
        )
        .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .join(Event, Event.id == WebhookDelivery.event_id)
        .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= func.now())
        .order_by(WebhookDelivery.next_attempt_at)
        .limit(limit)
        .with_for_update(of=WebhookDelivery, skip_locked=True)
    )
    return [DueDelivery(**row._asdict()) for row in await session.execute(query)]


async def insert_attempts(session: AsyncSession, attempts: Sequence[AttemptRecord]) -> None:
    rows = [asdict(attempt) for attempt in attempts]
    if rows:
        await session.execute(insert(WebhookDeliveryAttempt), rows)


async def finish_attempt(
    session: AsyncSession,
    delivery_id: uuid.UUID,
    *,
    status: DeliveryStatus,
    status_code: int | None,
    retry_in: timedelta | None = None,
) -> None:
    """Count one attempt and move the delivery to ``status``; a ``pending`` one is due again
    ``retry_in`` from now. Times come from the database's clock, as the claim query's do."""
    now = func.clock_timestamp(type_=DateTime(timezone=True))
    statement = (
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id)
        .values(
            attempts=WebhookDelivery.attempts + 1,
            status=status,
            last_status_code=status_code,
            next_attempt_at=now + (retry_in or timedelta(0)) if status == "pending" else None,
            delivered_at=now if status == "delivered" else None,
        )
    )
    await session.execute(statement)
