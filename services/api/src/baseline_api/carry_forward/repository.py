"""All SQL of carrying forward: the earlier assessment's answers, and the carried ones stored."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.assessments.models import Response

__all__ = ["answers_of", "store_carried"]


async def answers_of(session: AsyncSession, assessment_id: uuid.UUID) -> Sequence[Response]:
    query = select(Response).where(Response.assessment_id == assessment_id)
    return (await session.scalars(query)).all()


async def store_carried(
    session: AsyncSession, assessment_id: uuid.UUID, rows: Sequence[dict[str, Any]]
) -> None:
    """Store ``rows`` (question_id, value, not_applicable, reason, comment, updated_by and its name) as the new
    draft's answers, each marked carried."""
    if rows:
        values = [{**row, "assessment_id": assessment_id, "carried": True} for row in rows]
        await session.execute(insert(Response), values)
        await session.execute(_AUDIT_CARRIED, {"assessment_id": assessment_id})


# ``response.carried`` for each carried answer of the new draft, attributed as the answer is.
_AUDIT_CARRIED = text("""
INSERT INTO audit_events (organisation_id, assessment_id, by, by_name, action, target, detail)
SELECT a.organisation_id, a.id, r.updated_by, r.updated_by_name, 'response.carried', r.question_id,
       jsonb_build_object('value', r.value, 'not_applicable', r.not_applicable,
                          'from', CAST(a.carried_forward_from AS text))
FROM assessments a JOIN responses r ON r.assessment_id = a.id
WHERE a.id = :assessment_id AND r.carried
""")
