"""Submission: a complete draft is scored now when the scoring service answers, and otherwise
accepted as ``submitted`` and scored later by the background worker. Either way nothing the
caller sent is lost, and an assessment is scored exactly once."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.core.auth import Principal
from baseline_api.core.scoring_client import ScoringClient
from baseline_service_kit import Conflict, FieldError, PreconditionFailed, ServiceUnavailable, Unprocessable
from framework_model import Framework, framework_index

from . import repository
from .models import Assessment, Response
from .result import ScoreResult
from .service import pinned_framework, score, visible_assessment

__all__ = ["accept_submission", "submit_assessment", "unanswered_errors", "unanswered_questions"]


def unanswered_questions(framework: Framework, answered: Iterable[str]) -> list[str]:
    """The framework's questions without an answer, in the framework's order."""
    done = set(answered)
    return [question_id for question_id in framework_index(framework).questions if question_id not in done]


def unanswered_errors(framework: Framework, answered: Iterable[str]) -> list[FieldError]:
    """What stops a submission: one error per unanswered question, at ``responses.<question_id>``."""
    return [
        FieldError(field=f"responses.{qid}", message="unanswered")
        for qid in unanswered_questions(framework, answered)
    ]


def _ensure_submittable(
    assessment: Assessment, responses: Sequence[Response], expected_revisions: Collection[int] | None
) -> None:
    if assessment.status != "draft":
        raise Conflict(f"The assessment is already {assessment.status}.")
    if expected_revisions is not None and assessment.revision not in expected_revisions:
        raise PreconditionFailed(f'If-Match does not match the current ETag "{assessment.revision}".')
    errors = unanswered_errors(pinned_framework(assessment), (r.question_id for r in responses))
    if errors:
        raise Unprocessable(f"{len(errors)} question(s) are unanswered.", errors=errors)


async def submit_assessment(
    session: AsyncSession,
    scoring: ScoringClient,
    principal: Principal,
    assessment_id: uuid.UUID,
    expected_revisions: Collection[int] | None,
) -> tuple[Assessment, ScoreResult | None]:
    """Score and store a complete draft; the result is None when scoring has to wait.

    The row lock makes a concurrent second submit wait, then find the assessment no longer a
    draft (409)."""
    assessment = await visible_assessment(session, principal, assessment_id, lock=True)
    responses = await repository.list_responses(session, assessment.id)
    _ensure_submittable(assessment, responses, expected_revisions)
    try:
        result = await score(scoring, assessment, responses)
    except ServiceUnavailable:
        return await accept_submission(session, assessment.id), None
    await repository.insert_result(session, assessment.id, result.model_dump(mode="json"))
    return await repository.mark_scored(session, assessment.id), result


async def accept_submission(session: AsyncSession, assessment_id: uuid.UUID) -> Assessment:
    """draft -> submitted for a complete draft the caller has checked and locked; the background
    worker scores it."""
    return await repository.mark_submitted(session, assessment_id)
