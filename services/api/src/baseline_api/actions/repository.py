"""All SQL of the improvement plan's actions.

A change that is news to webhook subscribers (an action done, an action overdue) records its
event in the same statement as the change (``webhooks.outbox``), so the event exists exactly
when the change was committed.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, not_, select, text, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.assessments.models import Assessment
from baseline_api.core.db_errors import violated_constraint
from baseline_api.webhooks.outbox import ACTION_CHANGED_COLUMNS, ACTION_EVENTS_OF_CHANGED, event_parameters
from baseline_api.webhooks.payload import ActionEventType

from .models import OPEN_STATUSES, Action

__all__ = [
    "OPEN_RECOMMENDATION_UNIQUE",
    "Keyset",
    "completed_between",
    "get_action",
    "insert_action",
    "is_open_recommendation_conflict",
    "list_actions",
    "open_action_id",
    "open_for_recommendations",
    "report_overdue",
    "update_action",
]

Keyset = tuple[datetime, uuid.UUID]
# The partial unique index that allows one open action per organisation and recommendation.
OPEN_RECOMMENDATION_UNIQUE = "uq_actions_open_recommendation"


def is_open_recommendation_conflict(error: IntegrityError) -> bool:
    return violated_constraint(error) == OPEN_RECOMMENDATION_UNIQUE


def _is_open() -> ColumnElement[bool]:
    return Action.status.in_(OPEN_STATUSES)


def _overdue(today: date) -> ColumnElement[bool]:
    return and_(_is_open(), Action.due_on < today)


async def insert_action(session: AsyncSession, **fields: Any) -> Action:
    action = Action(**fields)
    session.add(action)
    await session.flush()
    await session.refresh(action)  # server defaults: id, status, timestamps
    return action


async def get_action(session: AsyncSession, action_id: uuid.UUID, *, lock: bool = False) -> Action | None:
    query = select(Action).where(Action.id == action_id).execution_options(populate_existing=True)
    if lock:
        query = query.with_for_update()
    return await session.scalar(query)


async def open_action_id(
    session: AsyncSession, organisation_id: uuid.UUID, recommendation_id: str
) -> uuid.UUID | None:
    query = select(Action.id).where(
        Action.organisation_id == organisation_id, Action.recommendation_id == recommendation_id, _is_open()
    )
    return await session.scalar(query)


async def list_actions(
    session: AsyncSession,
    organisation_id: uuid.UUID,
    *,
    limit: int,
    after: Keyset | None,
    filters: dict[str, Any],
    overdue: bool | None,
    today: date,
) -> Sequence[Action]:
    """Newest first; ``after`` is the (created_at, id) of the last item of the previous page;
    ``overdue`` keeps only actions that are (True) or are not (False) overdue on ``today``."""
    query = select(Action).where(Action.organisation_id == organisation_id).filter_by(**filters)
    if overdue is not None:
        query = query.where(_overdue(today) if overdue else not_(_overdue(today)))
    if after is not None:
        query = query.where(tuple_(Action.created_at, Action.id) < tuple_(*after))
    query = query.order_by(Action.created_at.desc(), Action.id.desc()).limit(limit)
    return (await session.scalars(query)).all()


_UPDATE = text(f"""
WITH changed AS (
    UPDATE actions
    SET status = CAST(:status AS text), owner = :owner, due_on = :due_on, notes = :notes,
        completed_at = CASE WHEN CAST(:status AS text) = 'done' THEN COALESCE(completed_at, now()) END,
        updated_at = now(), updated_by = :updated_by
    WHERE id = :action_id
    RETURNING *
), {ACTION_EVENTS_OF_CHANGED}
SELECT * FROM changed
""")  # noqa: S608 - composed of constant SQL; every value is a bound parameter


async def update_action(
    session: AsyncSession,
    action_id: uuid.UUID,
    values: dict[str, Any],
    event_types: Sequence[ActionEventType],
) -> Action:
    """Set the action's ``values`` (status, owner, due_on, notes, updated_by: all of them) and
    record ``event_types``, in one statement. ``done`` sets ``completed_at`` (kept if it was
    already done); any other status clears it."""
    statement = select(Action).from_statement(_UPDATE).execution_options(populate_existing=True)
    parameters = {**values, "action_id": action_id, **event_parameters(event_types)}
    updated: Action = (await session.scalars(statement, parameters)).one()
    return updated


async def open_for_recommendations(
    session: AsyncSession, organisation_id: uuid.UUID, recommendation_ids: Collection[str]
) -> Sequence[Action]:
    query = select(Action).where(
        Action.organisation_id == organisation_id,
        Action.recommendation_id.in_(list(recommendation_ids)),
        _is_open(),
    )
    return (await session.scalars(query.order_by(Action.due_on, Action.id))).all()


async def completed_between(
    session: AsyncSession, organisation_id: uuid.UUID, framework_id: str, after: datetime, until: datetime
) -> Sequence[Action]:
    """The organisation's actions from assessments of ``framework_id`` marked done in
    (``after``, ``until``], oldest completion first."""
    query = (
        select(Action)
        .join(Assessment, Assessment.id == Action.assessment_id)
        .where(
            Action.organisation_id == organisation_id,
            Assessment.framework_id == framework_id,
            Action.status == "done",
            Action.completed_at > after,
            Action.completed_at <= until,
        )
        .order_by(Action.completed_at, Action.id)
    )
    return (await session.scalars(query)).all()


# The overdue worker's step: open actions due before today and not yet reported for their due
# date, claimed (rows another replica holds are skipped), marked reported and announced in one
# statement, so that each is reported once per due date however many replicas look.
_REPORT_OVERDUE = text(f"""
WITH due AS (
    SELECT id FROM actions
    WHERE status IN ('planned', 'in_progress') AND overdue_reported_for IS DISTINCT FROM due_on
      AND due_on < :today
    ORDER BY due_on, id
    LIMIT :batch
    FOR UPDATE SKIP LOCKED
), changed AS (
    UPDATE actions SET overdue_reported_for = actions.due_on
    FROM due WHERE actions.id = due.id
    RETURNING {", ".join(f"actions.{column}" for column in ACTION_CHANGED_COLUMNS.split(", "))}
), {ACTION_EVENTS_OF_CHANGED}
SELECT count(*) FROM changed
""")  # noqa: S608 - composed of constant SQL; every value is a bound parameter


async def report_overdue(session: AsyncSession, today: date, batch: int) -> int:
    """Report up to ``batch`` actions that became overdue by ``today``; how many were."""
    parameters = {"today": today, "batch": batch, **event_parameters(["action.overdue"])}
    return int((await session.execute(_REPORT_OVERDUE, parameters)).scalar_one())
