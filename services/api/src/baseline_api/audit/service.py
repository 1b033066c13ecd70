"""Reading an assessment's history, a page at a time."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.assessments.service import visible_assessment
from baseline_api.auth import Principal
from baseline_api.core.pagination import decode_typed_cursor, encode_cursor

from . import repository
from .models import AuditEvent

__all__ = ["history"]


async def history(
    session: AsyncSession, principal: Principal, assessment_id: uuid.UUID, *, limit: int, cursor: str | None
) -> tuple[Sequence[AuditEvent], str | None]:
    """One page of the history, oldest first, and the next page's cursor (None on the last)."""
    await visible_assessment(session, principal, assessment_id)
    key = decode_typed_cursor(cursor, int)
    found = await repository.history(
        session, assessment_id, after=None if key is None else key[0], limit=limit + 1
    )
    items = found[:limit]
    more = len(found) > limit
    return items, encode_cursor([str(items[-1].id)]) if more else None
