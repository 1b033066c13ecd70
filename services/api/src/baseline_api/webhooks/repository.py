"""All SQL of the webhooks domain: subscriptions, the outbox, and deliveries as listed."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Update, func, insert, select, true, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Event, Webhook, WebhookDelivery, WebhookDeliveryAttempt

__all__ = [
    "Keyset",
    "attempts_of",
    "cancel_pending_deliveries",
    "get_webhook",
    "insert_event",
    "insert_webhook",
    "page_of_deliveries",
    "page_of_webhooks",
    "soft_delete_webhook",
]

Keyset = tuple[datetime, uuid.UUID]


# --- the outbox


async def insert_event(
    session: AsyncSession,
    *,
    event_type: str,
    organisation_id: uuid.UUID,
    assessment_id: uuid.UUID,
    payload: dict[str, Any],
) -> None:
    """One statement: the event, and a pending delivery for every live webhook subscribed to it."""
    event = (
        insert(Event)
        .values(
            type=event_type, organisation_id=organisation_id, assessment_id=assessment_id, payload=payload
        )
        .returning(Event.id)
        .cte("event")
    )
    subscribers = (
        select(Webhook.id, event.c.id)
        .join(event, true())  # the one new event, beside each subscriber
        .where(Webhook.deleted_at.is_(None), Webhook.events.contains([event_type]))
    )
    statement = insert(WebhookDelivery).from_select(["webhook_id", "event_id"], subscribers).add_cte(event)
    await session.execute(statement)


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
    (SKIP LOCKED): the delivery worker must cancel that one itself."""
    idle = (
        select(WebhookDelivery.id)
        .where(WebhookDelivery.webhook_id == webhook_id, WebhookDelivery.status == "pending")
        .with_for_update(skip_locked=True)
    )
    await session.execute(_cancel(WebhookDelivery.id.in_(idle)))


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
