"""Disabling a webhook, and enabling it again.

A receiver that has failed for ``WEBHOOK_DISABLE_AFTER_HOURS`` is not retried for ever: its
webhook is disabled, its pending deliveries are marked ``failed``, and a ``webhook.disabled``
event goes to the other webhooks subscribed to that type (of the disabled webhook's
organisations, or, for a webhook of every organisation, to webhooks of every organisation).
Nothing is queued for a disabled webhook. ``PATCH /v1/webhooks/{id}`` with ``{"enabled": true}``
enables it again with its circuit closed; what happened meanwhile is not sent.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from sqlalchemy import func, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Webhook, WebhookDelivery
from .outbox import WEBHOOK_DISABLED_EVENTS, event_parameters

__all__ = ["disable", "disable_if_failing_since", "enable"]

_log = logging.getLogger("baseline.webhooks")


async def disable_if_failing_since(
    session: AsyncSession, webhook_id: uuid.UUID, *, before: timedelta
) -> bool:
    """Disable the webhook if its receiver has been failing for longer than ``before``, telling
    its subscribers; True when it was disabled now. The caller holds the webhook's row lock."""
    statement = (
        update(Webhook)
        .where(
            Webhook.id == webhook_id,
            Webhook.deleted_at.is_(None),
            Webhook.disabled_at.is_(None),
            Webhook.failing_since <= func.now() - before,
        )
        .values(disabled_at=func.now(), next_probe_at=None)
        .returning(Webhook.id)
    )
    if await session.scalar(statement) is None:
        return False
    _log.warning("webhook %s disabled: its receiver has failed for %s", webhook_id, before)
    await _fail_pending(session, webhook_id)
    await session.execute(text(WEBHOOK_DISABLED_EVENTS), {"webhook_id": webhook_id, **event_parameters([])})
    return True


async def disable(session: AsyncSession, webhook_id: uuid.UUID) -> None:
    """Disable on request: the same as after failing too long, but no event is written."""
    statement = update(Webhook).where(Webhook.id == webhook_id, Webhook.disabled_at.is_(None))
    await session.execute(statement.values(disabled_at=func.now(), next_probe_at=None))
    await _fail_pending(session, webhook_id)


async def enable(session: AsyncSession, webhook_id: uuid.UUID) -> None:
    """Enable with a closed circuit: the next event is sent as to any healthy receiver."""
    closed = {"disabled_at": None, "consecutive_failures": 0, "failing_since": None, "next_probe_at": None}
    await session.execute(update(Webhook).where(Webhook.id == webhook_id).values(**closed))


async def _fail_pending(session: AsyncSession, webhook_id: uuid.UUID) -> None:
    statement = update(WebhookDelivery).where(
        WebhookDelivery.webhook_id == webhook_id, WebhookDelivery.status == "pending"
    )
    await session.execute(
        statement.values(status="failed", next_attempt_at=None, locked_until=None, claimed_by=None)
    )
