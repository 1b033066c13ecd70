"""All SQL of carrying forward: the earlier assessment's answers, and the carried ones stored."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.assessments.models import Response

__all__ = ["answers_of", "store_carried"]


async def answers_of(session: AsyncSession, assessment_id: uuid.UUID) -> Sequence[Response]:
    query = select(Response).where(Response.assessment_id == assessment_id)
    return (await session.scalars(query)).all()


async def store_carried(
    session: AsyncSession, assessment_id: uuid.UUID, rows: Sequence[dict[str, Any]]
) -> None:
    """Store ``rows`` (question_id, value, not_applicable, reason, comment, updated_by) as the new
    draft's answers, each marked carried."""
    if rows:
        values = [{**row, "assessment_id": assessment_id, "carried": True} for row in rows]
        await session.execute(insert(Response), values)
