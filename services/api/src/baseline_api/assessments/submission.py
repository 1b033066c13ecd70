"""Submission: a complete draft is scored now when the scoring service answers, and otherwise
accepted as ``submitted`` and scored later by the background worker. Either way nothing the
caller sent is lost, and an assessment is scored exactly once."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.core.auth import Principal
from baseline_api.core.scoring_client import ScoringClient
from baseline_api.webhooks.outbox import record_events
from baseline_service_kit import (
    Conflict,
    FieldError,
    PreconditionFailed,
    ServiceUnavailable,
    Unprocessable,
)
from framework_model import Framework, framework_index, load_framework

from . import repository
from .service import Scored, for_scoring, score_document

__all__ = [
    "Submitted",
    "accept_submissions",
    "score_next_submission",
    "submit_assessment",
    "unanswered_errors",
    "unanswered_questions",
]


@dataclass(frozen=True)
class Submitted:
    """What a submit did: scored now (``scored`` set) or accepted for the worker (None)."""

    assessment_id: uuid.UUID
    revision: int
    scored: Scored | None


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


def _ensure_submittable(found: Row[Any], expected_revisions: Collection[int] | None) -> None:
    if found.status != "draft":
        raise Conflict(f"The assessment is already {found.status}.")
    if expected_revisions is not None and found.revision not in expected_revisions:
        raise PreconditionFailed(f'If-Match does not match the current ETag "{found.revision}".')
    errors = unanswered_errors(load_framework(found.framework_id, found.framework_version), found.answered)
    if errors:
        raise Unprocessable(f"{len(errors)} question(s) are unanswered.", errors=errors)


async def submit_assessment(
    session: AsyncSession,
    scoring: ScoringClient,
    principal: Principal,
    assessment_id: uuid.UUID,
    expected_revisions: Collection[int] | None,
) -> Submitted:
    """Score and store a complete draft, or accept it for the worker when scoring fails.

    The row lock makes a concurrent second submit wait, then find the assessment no longer a
    draft (409)."""
    found = await for_scoring(session, principal, assessment_id, lock=True)
    _ensure_submittable(found, expected_revisions)
    try:
        scored = await score_document(scoring, found.score_request.encode(), found.content_hash)
    except ServiceUnavailable as exc:
        retry_in = scoring.retry_in(1)
        [revision] = await repository.mark_submitted(
            session, [assessment_id], retry_in=retry_in, error=exc.detail
        )
        await record_events(session, [assessment_id], ["assessment.submitted"])
        return Submitted(assessment_id, revision, None)
    revision = await _record(session, assessment_id, scored)
    # Submitted and scored at once: subscribers of either event hear of it (both say "scored").
    await record_events(session, [assessment_id], ["assessment.submitted", "assessment.scored"])
    return Submitted(assessment_id, revision, scored)


async def accept_submissions(session: AsyncSession, assessment_ids: Collection[uuid.UUID]) -> None:
    """draft -> submitted for complete drafts the caller has checked and locked, in two statements
    however many; the background worker scores them."""
    if assessment_ids:
        await repository.mark_submitted(session, assessment_ids)
        await record_events(session, assessment_ids, ["assessment.submitted"])


async def score_next_submission(session: AsyncSession, scoring: ScoringClient) -> bool:
    """The scoring worker's step: score the most overdue submitted assessment, or back it off.

    False when there was nothing due or the scoring service is still unavailable (the worker
    then idles). A success after failed tries means the service is back, so everything that was
    backing off becomes due at once rather than after its own backoff."""
    found = await repository.claim_due_submission(session)
    if found is None:
        return False
    try:
        scored = await score_document(scoring, found.score_request.encode(), found.content_hash)
    except ServiceUnavailable as exc:
        delay = scoring.retry_in(found.scoring_attempts + 1)
        await repository.postpone_scoring(session, found.id, delay, exc.detail)
        return False
    await _record(session, found.id, scored)
    await record_events(session, [found.id], ["assessment.scored"])
    if found.scoring_attempts:
        await repository.retry_waiting_now(session)
    return True


async def _record(session: AsyncSession, assessment_id: uuid.UUID, scored: Scored) -> int:
    columns = scored.result.model_dump(
        include={"framework_id", "framework_version", "content_hash", "engine_version"}
    )
    return await repository.record_score(session, assessment_id, columns, scored.document)
