"""The rules of webhooks: who may manage them, and what deleting one means.

A webhook receives events of every organisation, so only an admin token that is not limited to
organisations may manage webhooks: a limited one could otherwise subscribe to assessments it
cannot see. Deleting a webhook stops it at once: its pending deliveries are cancelled.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.core.auth import Principal
from baseline_api.core.pagination import Page, decode_typed_cursor, encode_cursor
from baseline_service_kit import Forbidden, NotFound

from . import repository
from .schemas import DeliveryAttemptRead, DeliveryRead, DeliveryStatus, WebhookCreate, WebhookRead

__all__ = [
    "create_webhook",
    "delete_webhook",
    "ensure_unlimited",
    "get_webhook",
    "list_deliveries",
    "list_webhooks",
]

T = TypeVar("T", WebhookRead, DeliveryRead)


def ensure_unlimited(principal: Principal) -> None:
    if principal.organisation_ids is not None:
        raise Forbidden(
            "Webhooks receive events of every organisation: a token limited to organisations "
            "cannot manage them."
        )


async def create_webhook(session: AsyncSession, principal: Principal, body: WebhookCreate) -> WebhookRead:
    webhook = await repository.insert_webhook(
        session, url=str(body.url), events=list(body.events), secret=body.secret, created_by=principal.key_id
    )
    return WebhookRead.model_validate(webhook)


def _not_found() -> NotFound:
    return NotFound("No such webhook.")


async def get_webhook(session: AsyncSession, webhook_id: uuid.UUID) -> WebhookRead:
    webhook = await repository.get_webhook(session, webhook_id)
    if webhook is None:
        raise _not_found()
    return WebhookRead.model_validate(webhook)


async def list_webhooks(session: AsyncSession, *, limit: int, cursor: str | None) -> Page[WebhookRead]:
    found = await repository.page_of_webhooks(session, after=_after(cursor), limit=limit + 1)
    return _page([WebhookRead.model_validate(webhook) for webhook in found], limit)


async def delete_webhook(session: AsyncSession, webhook_id: uuid.UUID) -> None:
    if not await repository.soft_delete_webhook(session, webhook_id):
        raise _not_found()
    await repository.cancel_pending_deliveries(session, webhook_id)


async def list_deliveries(
    session: AsyncSession,
    webhook_id: uuid.UUID,
    *,
    status: DeliveryStatus | None,
    limit: int,
    cursor: str | None,
) -> Page[DeliveryRead]:
    """Newest first, each with every attempt made."""
    await get_webhook(session, webhook_id)
    found = await repository.page_of_deliveries(
        session, webhook_id, status=status, after=_after(cursor), limit=limit + 1
    )
    attempts: dict[uuid.UUID, list[DeliveryAttemptRead]] = defaultdict(list)
    for attempt in await repository.attempts_of(session, [delivery.id for delivery, _ in found[:limit]]):
        attempts[attempt.delivery_id].append(DeliveryAttemptRead.model_validate(attempt))
    items = [
        DeliveryRead.model_validate(
            {
                **{name: getattr(delivery, name) for name in _DELIVERY_COLUMNS},
                "event_type": event_type,
                "attempts_detail": attempts[delivery.id],
            }
        )
        for delivery, event_type in found
    ]
    return _page(items, limit)


_DELIVERY_COLUMNS = (
    "id",
    "event_id",
    "status",
    "attempts",
    "last_status_code",
    "next_attempt_at",
    "delivered_at",
    "created_at",
)


def _after(cursor: str | None) -> repository.Keyset | None:
    after = decode_typed_cursor(cursor, datetime.fromisoformat, uuid.UUID)
    return None if after is None else (after[0], after[1])


def _page(found: list[T], limit: int) -> Page[T]:
    """The first ``limit`` of ``found`` (fetched one more than a page, to see if another follows)."""
    items = found[:limit]
    last = items[-1] if len(found) > limit else None
    next_cursor = None if last is None else encode_cursor([last.created_at.isoformat(), str(last.id)])
    return Page(items=items, next_cursor=next_cursor)
