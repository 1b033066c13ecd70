"""Writing the audit: every change to an assessment calls :func:`record` in its own transaction,
so the history and the change commit together or not at all."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, Protocol

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.auth.actor import Actor

from .models import AuditEvent

__all__ = ["AnAssessment", "record", "record_on"]


class AnAssessment(Protocol):
    """An assessment as ``record_on`` needs it (the ORM model, or a row with these fields)."""

    @property
    def id(self) -> uuid.UUID: ...

    @property
    def organisation_id(self) -> uuid.UUID: ...


async def record(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID,
    assessment_id: uuid.UUID,
    by: Actor,
    action: str,
    target: str | None = None,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Append one event to the assessment's history, in the caller's transaction. ``detail`` holds
    what changed, never personal data beyond the actor (no email, no answer comments)."""
    await session.execute(
        insert(AuditEvent).values(
            organisation_id=organisation_id,
            assessment_id=assessment_id,
            by=by.id,
            by_name=by.name,
            action=action,
            target=target,
            detail=dict(detail or {}),
        )
    )


async def record_on(
    session: AsyncSession,
    assessment: AnAssessment,
    by: Actor,
    action: str,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """``record`` of a change to ``assessment`` itself (no target)."""
    await record(
        session,
        organisation_id=assessment.organisation_id,
        assessment_id=assessment.id,
        by=by,
        action=action,
        detail=detail,
    )
