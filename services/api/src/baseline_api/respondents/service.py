"""The rules of respondents: added, answered and deleted only while the assessment is a draft,
at most 50 of them, answers checked as the assessment's own are, and a respondent who signs in
(``subject``) answering only for themselves. Every change bumps the assessment's revision (so a
submit that read them stores a result matching them) and is recorded in the audit."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.assessments import repository as assessments
from baseline_api.assessments.models import Assessment
from baseline_api.assessments.pinning import Pinned, pinned
from baseline_api.assessments.responses import answer_errors, in_question_order
from baseline_api.assessments.schemas import ResponseBatch
from baseline_api.assessments.service import refusal
from baseline_api.audit.record import record
from baseline_api.auth import Principal
from baseline_api.core.db import driver_connection
from baseline_service_kit import FieldError, Forbidden, NotFound, Unprocessable

from . import repository
from .models import MAX_RESPONDENTS, Respondent, RespondentResponse
from .schemas import RespondentIn

__all__ = [
    "PEOPLE_SCOPES",
    "add_respondent",
    "answer",
    "delete_respondent",
    "list_answers",
    "list_respondents",
    "sees_people",
]

#: Who may see respondents' names and contacts and what each of them answered.
PEOPLE_SCOPES = ("write", "approve", "admin")


def sees_people(principal: Principal) -> bool:
    return any(principal.has_scope(scope) for scope in PEOPLE_SCOPES)


async def _pinned(session: AsyncSession, principal: Principal, assessment_id: uuid.UUID) -> Pinned:
    """``pinned`` on the psycopg connection under ``session``, in its transaction."""
    return await pinned(await driver_connection(session), principal, assessment_id)


async def _change_draft(
    session: AsyncSession, principal: Principal, assessment_id: uuid.UUID, expected: Collection[int] | None
) -> tuple[Pinned, Assessment]:
    """Bump the draft's revision by ``principal`` (locking it until commit), or explain why not:
    404 no such assessment (or out of reach), 409 not a draft, 412 stale ``If-Match``."""
    found = await _pinned(session, principal, assessment_id)
    changed = await assessments.advance_revision(
        session, assessment_id, expected, **principal.actor.columns()
    )
    if changed is None:
        raise await refusal(await driver_connection(session), assessment_id)
    return found, changed


async def _respondent(
    session: AsyncSession, assessment_id: uuid.UUID, respondent_id: uuid.UUID
) -> Respondent:
    respondent = await repository.get_respondent(session, assessment_id, respondent_id)
    if respondent is None:
        raise NotFound("No such respondent in this assessment.")
    return respondent


async def add_respondent(
    session: AsyncSession,
    principal: Principal,
    assessment_id: uuid.UUID,
    body: RespondentIn,
    expected: Collection[int] | None,
) -> tuple[Assessment, Respondent]:
    found, changed = await _change_draft(session, principal, assessment_id, expected)
    if await repository.count_respondents(session, assessment_id) >= MAX_RESPONDENTS:
        message = f"an assessment has at most {MAX_RESPONDENTS} respondents"
        raise Unprocessable(
            "Too many respondents.", errors=[FieldError(field="respondents", message=message)]
        )
    respondent = await repository.insert_respondent(
        session,
        assessment_id=assessment_id,
        organisation_id=found.organisation_id,
        **body.model_dump(),
        **principal.actor.columns("created_by"),
        **principal.actor.columns(),
    )
    await _audit(
        session,
        principal,
        (found, assessment_id),
        "respondent.added",
        respondent.id,
        {"role": respondent.role},
    )
    return changed, respondent


async def list_respondents(
    session: AsyncSession, principal: Principal, assessment_id: uuid.UUID
) -> Sequence[Respondent]:
    await _pinned(session, principal, assessment_id)
    return await repository.list_respondents(session, assessment_id)


async def delete_respondent(
    session: AsyncSession,
    principal: Principal,
    ids: tuple[uuid.UUID, uuid.UUID],
    expected: Collection[int] | None,
) -> Assessment:
    """Delete a respondent and their answers; ``ids`` is (assessment id, respondent id)."""
    assessment_id, respondent_id = ids
    found, changed = await _change_draft(session, principal, assessment_id, expected)
    gone = await repository.delete_respondent(session, assessment_id, respondent_id)
    if gone is None:
        raise NotFound("No such respondent in this assessment.")
    detail = {"role": gone.role, "answers": gone.answers}
    await _audit(session, principal, (found, assessment_id), "respondent.deleted", respondent_id, detail)
    return changed


async def answer(
    session: AsyncSession,
    principal: Principal,
    ids: tuple[uuid.UUID, uuid.UUID],
    batch: ResponseBatch,
    expected: Collection[int] | None,
) -> tuple[Assessment, list[Row[Any]]]:
    """Answer for one respondent, as ``PATCH .../responses`` answers for the assessment: the same
    checks, all or nothing. A respondent with a ``subject`` is answered only by that person (403)."""
    assessment_id, respondent_id = ids
    found = await _pinned(session, principal, assessment_id)
    framework = found.framework
    errors = answer_errors(framework, batch.responses, found.profile)
    if errors:
        where = f"{framework.framework_id} {framework.version}"
        raise Unprocessable(f"{len(errors)} problem(s) with the answers for {where}.", errors=errors)
    found, changed = await _change_draft(session, principal, assessment_id, expected)
    _ensure_may_answer(principal, await _respondent(session, assessment_id, respondent_id))
    stored = await repository.answer(
        session, respondent_id, [item.model_dump() for item in batch.responses], principal.actor
    )
    questions = [item.question_id for item in batch.responses]
    await _audit(
        session,
        principal,
        (found, assessment_id),
        "respondent.answered",
        respondent_id,
        {"questions": questions},
    )
    return changed, in_question_order(framework, stored)


def _ensure_may_answer(principal: Principal, respondent: Respondent) -> None:
    """403 rather than 404: the respondent is no secret to this caller (it may list them), only
    its answers are someone else's to give."""
    if respondent.subject is not None and principal.actor.id != f"user:{respondent.subject}":
        raise Forbidden("Only the person signed in as this respondent may write their answers.")


async def list_answers(
    session: AsyncSession, principal: Principal, ids: tuple[uuid.UUID, uuid.UUID]
) -> list[RespondentResponse]:
    assessment_id, respondent_id = ids
    found = await _pinned(session, principal, assessment_id)
    if not sees_people(principal):
        raise Forbidden("A respondent's own answers need the 'write', 'approve' or 'admin' scope.")
    await _respondent(session, assessment_id, respondent_id)
    return in_question_order(found.framework, await repository.list_answers(session, respondent_id))


async def _audit(
    session: AsyncSession,
    principal: Principal,
    where: tuple[Pinned, uuid.UUID],
    action: str,
    respondent_id: uuid.UUID,
    detail: dict[str, Any],
) -> None:
    """``where``: the assessment's pinning and id. No name, email or subject goes in ``detail``."""
    found, assessment_id = where
    await record(
        session,
        organisation_id=found.organisation_id,
        assessment_id=assessment_id,
        by=principal.actor,
        action=action,
        target=str(respondent_id),
        detail=detail,
    )
