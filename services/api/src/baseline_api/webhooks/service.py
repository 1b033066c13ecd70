"""The rules of webhooks: who may manage which, which receivers are allowed, and what deleting,
disabling and enabling one mean.

A token with the ``webhooks`` scope (or ``admin``) manages webhooks. One limited to organisations
manages only webhooks limited to some of its organisations, and creates only such webhooks (by
default, of all its organisations); others are "not found" to it. A webhook receives only the
events of its organisations (``organisation_ids``), or of every organisation when it has none.

A receiver's URL must be https (http in development only), and its host must not resolve to an
address refused by ``addresses``: checked here, and again at every connection. Deleting a webhook
stops it at once: its pending deliveries are cancelled.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime
from typing import TypeVar

from pydantic import HttpUrl
from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.auth import Principal
from baseline_api.core.pagination import Page, decode_typed_cursor, encode_cursor
from baseline_api.organisations.service import ensure_organisations_exist
from baseline_service_kit import FieldError, Forbidden, NotFound, Unprocessable

from . import disabling, repository
from .addresses import AddressError
from .context import WebhookContext
from .models import Webhook
from .schemas import (
    DeliveryAttemptRead,
    DeliveryRead,
    DeliveryStatus,
    WebhookCreate,
    WebhookRead,
    WebhookUpdate,
)

__all__ = [
    "check_receiver",
    "create_webhook",
    "delete_webhook",
    "get_webhook",
    "list_deliveries",
    "list_webhooks",
    "update_webhook",
]

T = TypeVar("T", WebhookRead, DeliveryRead)


def _organisations_of(principal: Principal, requested: list[uuid.UUID] | None) -> list[uuid.UUID] | None:
    """The new webhook's organisations: never beyond the caller's (403, checked before any lookup
    so the answer reveals nothing about organisations outside its reach)."""
    reach = principal.organisation_ids
    if reach is None:
        return requested
    if requested is None:
        return sorted(reach)
    if not reach.issuperset(requested):
        raise Forbidden("This token may only create webhooks of organisations it can see itself.")
    return requested


def _url_refused(message: str) -> Unprocessable:
    return Unprocessable("The receiver's URL is refused.", errors=[FieldError(field="url", message=message)])


async def check_receiver(url: HttpUrl, context: WebhookContext) -> None:
    """422 naming ``url`` unless webhooks may be sent there (its host is resolved now)."""
    if url.scheme != "https" and not context.allow_http:
        raise _url_refused("must be https (http is allowed only in development)")
    try:
        await context.addresses.addresses(url.host or "", url.port or 443)
    except AddressError as exc:
        raise _url_refused(str(exc)) from exc


async def create_webhook(
    session: AsyncSession, principal: Principal, body: WebhookCreate, context: WebhookContext
) -> WebhookRead:
    organisation_ids = _organisations_of(principal, body.organisation_ids)
    await ensure_organisations_exist(session, body.organisation_ids)
    await check_receiver(body.url, context)
    webhook = await repository.insert_webhook(
        session,
        url=str(body.url),
        events=list(body.events),
        secret_ciphertext=context.secrets.encrypt(body.secret),
        organisation_ids=organisation_ids,
        created_by=principal.key_id,
    )
    return _read(webhook, context)


def _read(webhook: Webhook, context: WebhookContext) -> WebhookRead:
    """``failing`` while the circuit is open."""
    enabled = webhook.disabled_at is None
    failing = webhook.consecutive_failures >= context.circuit_failures
    return WebhookRead(
        id=webhook.id,
        url=webhook.url,
        events=webhook.events,
        organisation_ids=webhook.organisation_ids,
        enabled=enabled,
        health="failing" if failing else "healthy",
        consecutive_failures=webhook.consecutive_failures,
        failing_since=webhook.failing_since if failing else None,
        next_probe_at=webhook.next_probe_at if failing and enabled else None,
        disabled_at=webhook.disabled_at,
        created_at=webhook.created_at,
    )


def _not_found() -> NotFound:
    return NotFound("No such webhook.")


async def _webhook(
    session: AsyncSession, principal: Principal, webhook_id: uuid.UUID, *, lock: bool = False
) -> Webhook:
    webhook = await repository.get_webhook(session, webhook_id, principal.organisation_ids, lock=lock)
    if webhook is None:
        raise _not_found()
    return webhook


async def get_webhook(
    session: AsyncSession, principal: Principal, webhook_id: uuid.UUID, context: WebhookContext
) -> WebhookRead:
    return _read(await _webhook(session, principal, webhook_id), context)


async def list_webhooks(
    session: AsyncSession, principal: Principal, context: WebhookContext, *, limit: int, cursor: str | None
) -> Page[WebhookRead]:
    found = await repository.page_of_webhooks(
        session, principal.organisation_ids, after=_after(cursor), limit=limit + 1
    )
    return _page([_read(webhook, context) for webhook in found], limit)


async def update_webhook(
    session: AsyncSession,
    principal: Principal,
    webhook_id: uuid.UUID,
    body: WebhookUpdate,
    context: WebhookContext,
) -> WebhookRead:
    webhook = await _webhook(session, principal, webhook_id, lock=True)
    if body.enabled and webhook.disabled_at is not None:
        await disabling.enable(session, webhook_id)
    elif not body.enabled and webhook.disabled_at is None:
        await disabling.disable(session, webhook_id)
    await session.refresh(webhook)
    return _read(webhook, context)


async def delete_webhook(session: AsyncSession, principal: Principal, webhook_id: uuid.UUID) -> None:
    await _webhook(session, principal, webhook_id, lock=True)
    await repository.soft_delete_webhook(session, webhook_id)
    await repository.cancel_pending_deliveries(session, webhook_id)


async def list_deliveries(
    session: AsyncSession,
    principal: Principal,
    webhook_id: uuid.UUID,
    *,
    status: DeliveryStatus | None,
    limit: int,
    cursor: str | None,
) -> Page[DeliveryRead]:
    """Newest first, each with every attempt made."""
    await _webhook(session, principal, webhook_id)
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
