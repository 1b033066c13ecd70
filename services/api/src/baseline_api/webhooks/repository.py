"""The SQL of the webhooks API: subscriptions and the deliveries listed. (The delivery worker's is
in ``claiming``, ``circuit`` and ``disabling``; the outbox's in ``outbox``.)"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, cast, func, insert, select, tuple_, update
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Event, Webhook, WebhookDelivery, WebhookDeliveryAttempt

__all__ = [
    "Keyset",
    "Reach",
    "attempts_of",
    "cancel_pending_deliveries",
    "get_webhook",
    "insert_webhook",
    "page_of_deliveries",
    "page_of_webhooks",
    "soft_delete_webhook",
]

Keyset = tuple[datetime, uuid.UUID]
Reach = frozenset[uuid.UUID] | None  # the caller's organisations; None: every organisation


# --- subscriptions


async def insert_webhook(session: AsyncSession, **values: Any) -> Webhook:
    """``values``: url, events, secret_ciphertext, organisation_ids, created_by."""
    return (await session.scalars(insert(Webhook).values(**values).returning(Webhook))).one()


def _within(reach: Reach) -> ColumnElement[bool]:
    """Live webhooks a caller limited to ``reach`` may manage: those of some of its organisations."""
    live = Webhook.deleted_at.is_(None)
    if reach is None:
        return live
    mine = Webhook.organisation_ids.contained_by(cast(sorted(reach), ARRAY(UUID)))
    return and_(live, Webhook.organisation_ids.is_not(None), mine)


async def get_webhook(
    session: AsyncSession, webhook_id: uuid.UUID, reach: Reach, *, lock: bool = False
) -> Webhook | None:
    """``lock``: hold the row until the transaction ends (to change the webhook or its deliveries)."""
    query = select(Webhook).where(Webhook.id == webhook_id, _within(reach))
    return await session.scalar(query.with_for_update() if lock else query)


async def page_of_webhooks(
    session: AsyncSession, reach: Reach, *, after: Keyset | None, limit: int
) -> Sequence[Webhook]:
    query = select(Webhook).where(_within(reach))
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
    """Cancel a webhook's pending deliveries, including any being sent right now (rows are locked
    only for the instant of a claim or a record, so this hardly waits): the attempt in flight is
    still recorded, and its delivery stays cancelled."""
    statement = update(WebhookDelivery).where(
        WebhookDelivery.webhook_id == webhook_id, WebhookDelivery.status == "pending"
    )
    await session.execute(
        statement.values(status="cancelled", next_attempt_at=None, locked_until=None, claimed_by=None)
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
