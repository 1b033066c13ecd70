"""All SQL of evidence."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, func, insert, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Evidence

__all__ = ["count", "insert_evidence", "list_evidence", "one", "pieces", "remove", "update_evidence"]

Keyset = tuple[datetime, uuid.UUID]


async def count(session: AsyncSession, assessment_id: uuid.UUID) -> int:
    query = select(func.count()).select_from(Evidence).where(Evidence.assessment_id == assessment_id)
    return int(await session.scalar(query) or 0)


async def insert_evidence(session: AsyncSession, **fields: Any) -> Evidence:
    evidence = Evidence(**fields)
    session.add(evidence)
    await session.flush()
    await session.refresh(evidence)
    return evidence


def _expired(day: date) -> ColumnElement[bool]:
    return Evidence.expires_on < day


async def list_evidence(
    session: AsyncSession,
    assessment_id: uuid.UUID,
    *,
    question_id: str | None,
    expired: bool | None,
    day: date,
    after: Keyset | None,
    limit: int,
) -> Sequence[Evidence]:
    """Oldest first; ``after`` is the (created_at, id) of the previous page's last item."""
    query = select(Evidence).where(Evidence.assessment_id == assessment_id)
    if question_id is not None:
        query = query.where(Evidence.question_ids.contains([question_id]))
    if expired is True:
        query = query.where(_expired(day))
    elif expired is False:
        query = query.where(or_(Evidence.expires_on.is_(None), ~_expired(day)))
    if after is not None:
        query = query.where(tuple_(Evidence.created_at, Evidence.id) > tuple_(*after))
    query = query.order_by(Evidence.created_at, Evidence.id).limit(limit)
    return (await session.scalars(query)).all()


async def one(session: AsyncSession, assessment_id: uuid.UUID, evidence_id: uuid.UUID) -> Evidence | None:
    query = select(Evidence).where(Evidence.assessment_id == assessment_id, Evidence.id == evidence_id)
    return await session.scalar(query.execution_options(populate_existing=True))


async def update_evidence(session: AsyncSession, evidence_id: uuid.UUID, **changes: Any) -> Evidence:
    statement = (
        update(Evidence)
        .where(Evidence.id == evidence_id)
        .values(updated_at=func.now(), **changes)
        .returning(Evidence)
        .execution_options(populate_existing=True, synchronize_session=False)
    )
    return (await session.scalars(statement)).one()


async def remove(session: AsyncSession, evidence_id: uuid.UUID) -> None:
    await session.execute(delete(Evidence).where(Evidence.id == evidence_id))


async def pieces(session: AsyncSession, assessment_id: uuid.UUID) -> Sequence[Evidence]:
    """Every piece of the assessment's evidence, oldest first (at most MAX_EVIDENCE)."""
    query = select(Evidence).where(Evidence.assessment_id == assessment_id)
    return (await session.scalars(query.order_by(Evidence.created_at, Evidence.id))).all()


async def insert_many(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await session.execute(insert(Evidence), list(rows))
