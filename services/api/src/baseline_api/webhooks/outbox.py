"""``record_events``: how the rest of the gateway announces a change to webhook subscribers.

The events are written in the caller's transaction (the outbox pattern): committed exactly when
the change that caused them is, and rolled back with it. Nothing is sent here; the delivery
worker sends what the outbox holds once it is committed.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from . import repository
from .payload import EventType

__all__ = ["record_events"]


async def record_events(
    session: AsyncSession, assessment_ids: Collection[uuid.UUID], event_types: Sequence[EventType]
) -> None:
    """Record that the assessments were submitted and/or scored, with one pending delivery for each
    webhook (not deleted) subscribed to each type. Call it after the change is made, in the same
    transaction, so that the events describe each assessment as the change left it."""
    await repository.insert_events(session, assessment_ids, event_types)
