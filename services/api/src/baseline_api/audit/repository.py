"""All SQL of reading the audit."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import AuditEvent

__all__ = ["history"]


async def history(
    session: AsyncSession, assessment_id: uuid.UUID, *, after: int | None, limit: int
) -> Sequence[AuditEvent]:
    """The assessment's events in the order written, after the event ``after`` (a page's cursor)."""
    query = select(AuditEvent).where(AuditEvent.assessment_id == assessment_id)
    if after is not None:
        query = query.where(AuditEvent.id > after)
    return (await session.scalars(query.order_by(AuditEvent.id).limit(limit))).all()
