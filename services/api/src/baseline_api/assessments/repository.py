"""All SQL of assessments, their responses and results.

Every change to an assessment or its responses goes through one ``UPDATE ... SET revision =
revision + 1 ... RETURNING``: the row lock it takes serialises concurrent writers, and its
``WHERE`` re-checks the status and the caller's ``If-Match`` revision after any wait, so a stale
writer finds no row instead of overwriting a newer change.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, delete, func, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.organisations.models import Organisation

from .models import Assessment, AssessmentResult, Response

__all__ = [
    "Keyset",
    "advance_revision",
    "delete_responses_except",
    "get_assessment",
    "get_assessment_by_external_id",
    "get_result",
    "insert_assessment",
    "insert_result",
    "latest_unnamed_draft",
    "list_assessments",
    "list_responses",
    "mark_scored",
    "mark_submitted",
    "organisation_exists",
    "scored_series",
    "upsert_responses",
]

Keyset = tuple[datetime, uuid.UUID]
_RESPONSE_FIELDS = ("value", "not_applicable", "reason", "comment", "updated_by")


async def organisation_exists(
    session: AsyncSession, organisation_id: uuid.UUID, *, lock: bool = False
) -> bool:
    """With ``lock``, FOR KEY SHARE keeps the organisation from being deleted until commit, so an
    assessment about to be inserted cannot lose its organisation in between."""
    query = select(Organisation.id).where(Organisation.id == organisation_id)
    if lock:
        query = query.with_for_update(key_share=True)
    return await session.scalar(query) is not None


async def insert_assessment(session: AsyncSession, **fields: Any) -> Assessment:
    assessment = Assessment(**fields)
    session.add(assessment)
    await session.flush()
    await session.refresh(assessment)  # server defaults: id, status, revision, timestamps
    return assessment


async def get_assessment(
    session: AsyncSession, assessment_id: uuid.UUID, *, lock: bool = False
) -> Assessment | None:
    query = select(Assessment).where(Assessment.id == assessment_id).execution_options(populate_existing=True)
    if lock:
        query = query.with_for_update()
    return await session.scalar(query)


async def get_assessment_by_external_id(
    session: AsyncSession, organisation_id: uuid.UUID, external_id: str
) -> Assessment | None:
    query = select(Assessment).where(
        Assessment.organisation_id == organisation_id, Assessment.external_id == external_id
    )
    return await session.scalar(query.execution_options(populate_existing=True))


async def latest_unnamed_draft(
    session: AsyncSession, organisation_id: uuid.UUID, framework_id: str, framework_version: str
) -> Assessment | None:
    """The newest draft of this framework version that no ingestion system has named."""
    query = (
        select(Assessment)
        .where(
            Assessment.organisation_id == organisation_id,
            Assessment.framework_id == framework_id,
            Assessment.framework_version == framework_version,
            Assessment.status == "draft",
            Assessment.external_id.is_(None),
        )
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
        .limit(1)
    )
    return await session.scalar(query.execution_options(populate_existing=True))


async def list_assessments(
    session: AsyncSession,
    organisation_id: uuid.UUID,
    *,
    limit: int,
    after: Keyset | None,
    filters: dict[str, str],
) -> Sequence[Assessment]:
    """Newest first; ``after`` is the (created_at, id) of the last item of the previous page."""
    query = select(Assessment).where(Assessment.organisation_id == organisation_id)
    query = query.filter_by(**filters)
    if after is not None:
        query = query.where(tuple_(Assessment.created_at, Assessment.id) < tuple_(*after))
    query = query.order_by(Assessment.created_at.desc(), Assessment.id.desc()).limit(limit)
    return (await session.scalars(query)).all()


async def advance_revision(
    session: AsyncSession,
    assessment_id: uuid.UUID,
    expected_revisions: Collection[int] | None,
    **changes: Any,
) -> Assessment | None:
    """Apply ``changes`` to a draft and bump its revision; None when it is no longer a draft or
    its revision is not one of ``expected_revisions`` (None: any revision)."""
    conditions: list[ColumnElement[bool]] = [Assessment.id == assessment_id, Assessment.status == "draft"]
    if expected_revisions is not None:
        conditions.append(Assessment.revision.in_(expected_revisions))
    statement = (
        update(Assessment)
        .where(*conditions)
        .values(revision=Assessment.revision + 1, updated_at=func.now(), **changes)
        .returning(Assessment)
        .execution_options(populate_existing=True, synchronize_session=False)
    )
    return await session.scalar(statement)


async def upsert_responses(
    session: AsyncSession, assessment_id: uuid.UUID, rows: Sequence[dict[str, Any]]
) -> Sequence[Response]:
    """One multi-row INSERT ... ON CONFLICT DO UPDATE for the whole batch."""
    statement = insert(Response).values([{**row, "assessment_id": assessment_id} for row in rows])
    changes = {name: statement.excluded[name] for name in _RESPONSE_FIELDS}
    statement = statement.on_conflict_do_update(
        index_elements=[Response.assessment_id, Response.question_id],
        set_={**changes, "updated_at": func.now()},
    )
    returning = statement.returning(Response).execution_options(populate_existing=True)
    return (await session.scalars(returning)).all()


async def delete_responses_except(
    session: AsyncSession, assessment_id: uuid.UUID, keep: Collection[str]
) -> None:
    """Delete the assessment's answers to every question not in ``keep``."""
    statement = delete(Response).where(Response.assessment_id == assessment_id)
    if keep:
        statement = statement.where(Response.question_id.not_in(keep))
    await session.execute(statement)


async def list_responses(session: AsyncSession, assessment_id: uuid.UUID) -> Sequence[Response]:
    return (await session.scalars(select(Response).where(Response.assessment_id == assessment_id))).all()


async def insert_result(session: AsyncSession, assessment_id: uuid.UUID, result: dict[str, Any]) -> None:
    stored = AssessmentResult(
        assessment_id=assessment_id,
        framework_id=result["framework_id"],
        framework_version=result["framework_version"],
        content_hash=result["content_hash"],
        engine_version=result["engine_version"],
        result=result,
    )
    session.add(stored)
    await session.flush()


async def mark_scored(session: AsyncSession, assessment_id: uuid.UUID) -> Assessment:
    """draft -> scored in one step (the caller holds the row lock)."""
    now = func.now()
    statement = (
        update(Assessment)
        .where(Assessment.id == assessment_id)
        .values(
            status="scored", submitted_at=now, scored_at=now, updated_at=now, revision=Assessment.revision + 1
        )
        .returning(Assessment)
        .execution_options(populate_existing=True, synchronize_session=False)
    )
    return (await session.scalars(statement)).one()


async def mark_submitted(session: AsyncSession, assessment_id: uuid.UUID) -> Assessment:
    """draft -> submitted (the caller holds the row lock); scored later."""
    now = func.now()
    statement = (
        update(Assessment)
        .where(Assessment.id == assessment_id)
        .values(status="submitted", submitted_at=now, updated_at=now, revision=Assessment.revision + 1)
        .returning(Assessment)
        .execution_options(populate_existing=True, synchronize_session=False)
    )
    return (await session.scalars(statement)).one()


async def get_result(session: AsyncSession, assessment_id: uuid.UUID) -> dict[str, Any] | None:
    query = select(AssessmentResult.result).where(AssessmentResult.assessment_id == assessment_id)
    return await session.scalar(query)


async def scored_series(
    session: AsyncSession, organisation_id: uuid.UUID, framework_id: str
) -> Sequence[Row[Any]]:
    """Scored assessments of one organisation and framework, oldest score first; only the parts of
    each result that progress needs (recommendations can be large)."""
    query = (
        select(
            Assessment.id,
            Assessment.framework_version,
            Assessment.scored_at,
            Assessment.targets,
            AssessmentResult.result["overall"]["score"].label("overall"),
            AssessmentResult.result["pillars"].label("pillars"),
        )
        .join(AssessmentResult, AssessmentResult.assessment_id == Assessment.id)
        .where(
            Assessment.organisation_id == organisation_id,
            Assessment.framework_id == framework_id,
            Assessment.status == "scored",
        )
        .order_by(Assessment.scored_at, Assessment.id)
    )
    return (await session.execute(query)).all()
