"""``record_event``: how the rest of the gateway announces a change to webhook subscribers.

The event is written in the caller's transaction (the outbox pattern): it is committed exactly
when the change that caused it is, and rolled back with it. Nothing is sent here; the delivery
worker sends what the outbox holds once it is committed.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.assessments.models import Assessment

from . import repository
from .payload import EventType, event_data

__all__ = ["record_event"]


async def record_event(session: AsyncSession, event_type: EventType, assessment: Assessment) -> None:
    """Record that ``assessment`` was submitted or scored, with one pending delivery for each
    webhook (not deleted) subscribed to ``event_type``. Call it after the change is made, in the
    same transaction, so that the event describes the assessment as the change left it."""
    await repository.insert_event(
        session,
        event_type=event_type,
        organisation_id=assessment.organisation_id,
        assessment_id=assessment.id,
        payload=event_data(assessment).model_dump(mode="json"),
    )
