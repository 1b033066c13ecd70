"""All SQL of assessments, their responses and results.

Every change to an assessment or its responses goes through one ``UPDATE ... SET revision =
revision + 1 ... RETURNING``: the row lock it takes serialises concurrent writers, and its
``WHERE`` re-checks the status and the caller's ``If-Match`` revision after any wait, so a stale
writer finds no row instead of overwriting a newer change.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Row,
    String,
    Text,
    column,
    func,
    literal,
    select,
    true,
    tuple_,
    type_coerce,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID, insert
from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.organisations.models import Organisation

from .models import Assessment, AssessmentResult, Response

__all__ = [
    "Keyset",
    "advance_revision",
    "answer_draft",
    "claim_due_submission",
    "get_assessment",
    "get_result",
    "insert_assessment",
    "list_assessments",
    "list_responses",
    "mark_submitted",
    "organisation_exists",
    "postpone_scoring",
    "record_score",
    "retry_waiting_now",
    "scored_series",
    "upsert_responses",
]

Keyset = tuple[datetime, uuid.UUID]
_RESPONSE_FIELDS = ("value", "not_applicable", "reason", "comment", "updated_by")
# The answer fields a batch carries, as jsonb_to_recordset reads them.
_ANSWER_COLUMNS = (
    ("question_id", String),
    ("value", String),
    ("not_applicable", Boolean),
    ("reason", Text),
    ("comment", Text),
)


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


async def answer_draft(
    session: AsyncSession,
    assessment_id: uuid.UUID,
    expected_revisions: Collection[int] | None,
    rows: Sequence[dict[str, Any]],
    updated_by: uuid.UUID | None,
) -> tuple[int, Sequence[Row[Any]]] | None:
    """Upsert answers and bump the draft's revision in one statement: (new revision, stored rows),
    or None when it is no longer a draft or its revision is not one of ``expected_revisions``."""
    conditions: list[ColumnElement[bool]] = [Assessment.id == assessment_id, Assessment.status == "draft"]
    if expected_revisions is not None:
        conditions.append(Assessment.revision.in_(expected_revisions))
    bumped = (
        update(Assessment)
        .where(*conditions)
        .values(revision=Assessment.revision + 1, updated_at=func.now())
        .returning(Assessment.id, Assessment.revision)
        .cte("bumped")
    )
    incoming = (
        func.jsonb_to_recordset(type_coerce(list(rows), JSONB))
        .table_valued(*(column(name, type_) for name, type_ in _ANSWER_COLUMNS))
        .render_derived(name="incoming", with_types=True)
    )
    names = [name for name, _ in _ANSWER_COLUMNS]
    written = insert(Response).from_select(
        ["assessment_id", *names, "updated_by"],
        select(bumped.c.id, *(incoming.c[name] for name in names), literal(updated_by, UUID)).select_from(
            bumped.join(incoming, true())
        ),
    )
    written = written.on_conflict_do_update(
        index_elements=[Response.assessment_id, Response.question_id],
        set_={**{name: written.excluded[name] for name in _RESPONSE_FIELDS}, "updated_at": func.now()},
    )
    stored = written.returning(*Response.__table__.c).cte("stored")
    result = (await session.execute(select(bumped.c.revision, stored).join(stored, true()))).all()
    if not result:
        return None
    return result[0].revision, result


async def list_responses(session: AsyncSession, assessment_id: uuid.UUID) -> Sequence[Response]:
    return (await session.scalars(select(Response).where(Response.assessment_id == assessment_id))).all()


async def record_score(session: AsyncSession, assessment_id: uuid.UUID, result: dict[str, Any]) -> Assessment:
    """Store the result and mark the assessment scored, in one statement (the caller holds the
    row lock). From a draft (scored at once) or from submitted (scored by the worker)."""
    stored = (
        insert(AssessmentResult)
        .values(
            assessment_id=assessment_id,
            framework_id=result["framework_id"],
            framework_version=result["framework_version"],
            content_hash=result["content_hash"],
            engine_version=result["engine_version"],
            result=result,
        )
        .returning(AssessmentResult.assessment_id)
        .cte("stored")
    )
    now = func.now()
    statement = (
        update(Assessment)
        .where(Assessment.id == select(stored.c.assessment_id).scalar_subquery())
        .values(
            status="scored",
            submitted_at=func.coalesce(Assessment.submitted_at, now),
            scored_at=now,
            updated_at=now,
            next_scoring_at=None,
            revision=Assessment.revision + 1,
        )
        .returning(Assessment)
        .execution_options(populate_existing=True, synchronize_session=False)
    )
    return (await session.scalars(statement)).one()


async def mark_submitted(
    session: AsyncSession, assessment_id: uuid.UUID, *, retry_in: float = 0.0, error: str | None = None
) -> Assessment:
    """draft -> submitted (the caller holds the row lock), due for scoring in ``retry_in`` seconds;
    ``error`` records a scoring attempt that already failed."""
    now = func.now()
    statement = (
        update(Assessment)
        .where(Assessment.id == assessment_id)
        .values(
            status="submitted",
            submitted_at=now,
            updated_at=now,
            next_scoring_at=now + timedelta(seconds=retry_in),
            scoring_attempts=0 if error is None else 1,
            last_scoring_error=error,
            revision=Assessment.revision + 1,
        )
        .returning(Assessment)
        .execution_options(populate_existing=True, synchronize_session=False)
    )
    return (await session.scalars(statement)).one()


async def claim_due_submission(session: AsyncSession) -> Assessment | None:
    """The most overdue submitted assessment, locked for this transaction; rows another worker
    holds are skipped, so replicas never score the same assessment twice."""
    query = (
        select(Assessment)
        .where(Assessment.status == "submitted", Assessment.next_scoring_at <= func.now())
        .order_by(Assessment.next_scoring_at)
        .limit(1)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    return await session.scalar(query)


async def postpone_scoring(session: AsyncSession, assessment_id: uuid.UUID, delay: float, error: str) -> None:
    statement = (
        update(Assessment)
        .where(Assessment.id == assessment_id)
        .values(
            scoring_attempts=Assessment.scoring_attempts + 1,
            next_scoring_at=func.now() + timedelta(seconds=delay),
            last_scoring_error=error,
        )
    )
    await session.execute(statement)


async def retry_waiting_now(session: AsyncSession) -> None:
    """Make every backed-off submission due now: the scoring service has just answered again."""
    statement = (
        update(Assessment)
        .where(Assessment.status == "submitted", Assessment.next_scoring_at > func.now())
        .values(next_scoring_at=func.now())
    )
    await session.execute(statement)


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
