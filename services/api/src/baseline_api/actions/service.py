"""The rules of the improvement plan: an action takes on one recommendation of a stored result,
at most one is open per organisation and recommendation, and marking one done is news.

An organisation or action outside the token's reach is reported as missing (404). An assessment
of another organisation named in a body is a 422 naming the field, worded as for one that does not
exist, so that it reveals nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.assessments import repository as assessments
from baseline_api.assessments.service import ensure_organisation, pinned_framework
from baseline_api.core.auth import Principal
from baseline_api.core.pagination import Page, decode_typed_cursor, encode_cursor
from baseline_api.webhooks.payload import ActionEventType
from baseline_service_kit import Conflict, FieldError, NotFound, Unprocessable
from framework_model import Recommendation

from . import repository
from .dates import default_due_on, london_today
from .models import OPEN_STATUSES, Action
from .schemas import ActionCreate, ActionOut, ActionUpdate

__all__ = [
    "actor_of",
    "create_action",
    "get_action",
    "list_actions",
    "open_actions_for_assessment",
    "present",
    "update_action",
]


def actor_of(principal: Principal) -> uuid.UUID | None:
    """Who an action's ``created_by``/``updated_by`` records: today the API key (None for the
    bootstrap admin), as responses record it. The one place to change when people sign in."""
    return principal.key_id


def present(action: Action, today: date) -> ActionOut:
    fields = {name: getattr(action, name) for name in ActionOut.model_fields if name != "overdue"}
    return ActionOut(**fields, overdue=action.status in OPEN_STATUSES and action.due_on < today)


def _unprocessable(field: str, message: str) -> Unprocessable:
    return Unprocessable(f"Invalid {field}.", errors=[FieldError(field=field, message=message)])


def _already_open(existing: uuid.UUID | None) -> Conflict:
    which = f" ({existing})" if existing else ""
    error = FieldError(field="recommendation_id", message=f"an open action{which} already takes it on")
    return Conflict(
        "This organisation already has an open action for this recommendation; finish or drop it first.",
        errors=[error],
    )


async def _recommendation(
    session: AsyncSession, organisation_id: uuid.UUID, body: ActionCreate
) -> tuple[dict[str, Any], Recommendation | None]:
    """The recommendation as the assessment's stored result gives it, and as its framework
    defines it (for ``done_when`` and ``duration_days``); 422 naming the field that is wrong."""
    assessment = await assessments.get_assessment(session, body.assessment_id)
    if assessment is None or assessment.organisation_id != organisation_id:
        raise _unprocessable("assessment_id", "no such assessment of this organisation")
    result = await assessments.get_result(session, assessment.id)
    if result is None:
        raise _unprocessable("assessment_id", f"the assessment is {assessment.status}, not scored: no result")
    found = [r for r in result["recommendations"] if r["recommendation_id"] == body.recommendation_id]
    if not found:
        raise _unprocessable("recommendation_id", "not among the recommendations of that assessment's result")
    defined = {r.recommendation_id: r for r in pinned_framework(assessment).recommendations}
    return found[0], defined.get(body.recommendation_id)


async def create_action(
    session: AsyncSession, principal: Principal, organisation_id: uuid.UUID, body: ActionCreate
) -> ActionOut:
    await ensure_organisation(session, principal, organisation_id, lock=True)
    recommendation, definition = await _recommendation(session, organisation_id, body)
    existing = await repository.open_action_id(session, organisation_id, body.recommendation_id)
    if existing is not None:
        raise _already_open(existing)
    today = london_today()
    duration = definition.duration_days if definition else None
    fields = {
        "organisation_id": organisation_id,
        "assessment_id": body.assessment_id,
        "recommendation_id": body.recommendation_id,
        "capability_id": recommendation["capability_id"],
        "title": definition.title if definition else recommendation["title"],
        "done_when": definition.done_when if definition else None,
        "owner": body.owner,
        "due_on": body.due_on or default_due_on(today, duration),
        "notes": body.notes,
        "created_by": actor_of(principal),
        "updated_by": actor_of(principal),
    }
    try:
        action = await repository.insert_action(session, **fields)
    except IntegrityError as error:  # a concurrent request took it first
        raise _conflict_from(error) from error
    return present(action, today)


def _conflict_from(error: IntegrityError) -> Exception:
    return _already_open(None) if repository.is_open_recommendation_conflict(error) else error


async def _visible_action(
    session: AsyncSession, principal: Principal, action_id: uuid.UUID, *, lock: bool = False
) -> Action:
    action = await repository.get_action(session, action_id, lock=lock)
    if action is None or not principal.can_see(action.organisation_id):
        raise NotFound("No such action.")
    return action


async def get_action(session: AsyncSession, principal: Principal, action_id: uuid.UUID) -> ActionOut:
    return present(await _visible_action(session, principal, action_id), london_today())


async def list_actions(
    session: AsyncSession,
    principal: Principal,
    organisation_id: uuid.UUID,
    *,
    limit: int,
    cursor: str | None,
    filters: dict[str, Any],
    overdue: bool | None,
) -> Page[ActionOut]:
    """One page, newest first, and the cursor of the next page (None on the last)."""
    await ensure_organisation(session, principal, organisation_id)
    after = decode_typed_cursor(cursor, datetime.fromisoformat, uuid.UUID)
    today = london_today()
    found = await repository.list_actions(
        session,
        organisation_id,
        limit=limit + 1,
        after=(after[0], after[1]) if after else None,
        filters=filters,
        overdue=overdue,
        today=today,
    )
    items, last = found[:limit], found[limit - 1] if len(found) > limit else None
    next_cursor = None if last is None else encode_cursor([last.created_at.isoformat(), str(last.id)])
    return Page(items=[present(action, today) for action in items], next_cursor=next_cursor)


async def update_action(
    session: AsyncSession, principal: Principal, action_id: uuid.UUID, body: ActionUpdate
) -> ActionOut:
    """Apply the fields sent. Marking it done records ``action.completed`` with the change."""
    action = await _visible_action(session, principal, action_id, lock=True)
    if not body.changes():
        return present(action, london_today())
    current = {"status": action.status, "owner": action.owner, "due_on": action.due_on, "notes": action.notes}
    values = {**current, **body.changes(), "updated_by": actor_of(principal)}
    events: list[ActionEventType] = (
        ["action.completed"] if values["status"] == "done" and action.status != "done" else []
    )
    try:
        updated = await repository.update_action(session, action.id, values, events)
    except IntegrityError as error:  # reopened while another action for its step is open
        raise _conflict_from(error) from error
    return present(updated, london_today())


async def open_actions_for_assessment(session: AsyncSession, assessment_id: uuid.UUID) -> Sequence[Action]:
    """The organisation's open actions that take on a recommendation of this assessment's stored
    result (whichever assessment each was created from), soonest due first; none before it is
    scored. For the report, which lists them beside the next increment, and the XLSX export's
    ``Actions`` sheet. The caller has checked that the token may see the assessment."""
    assessment = await assessments.get_assessment(session, assessment_id)
    result = None if assessment is None else await assessments.get_result(session, assessment_id)
    if assessment is None or result is None:
        return []
    recommendation_ids = {r["recommendation_id"] for r in result["recommendations"]}
    return await repository.open_for_recommendations(session, assessment.organisation_id, recommendation_ids)
