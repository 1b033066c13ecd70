"""Submission: a complete draft is scored now when the scoring service answers, and otherwise
accepted as ``submitted`` and scored later by the background worker. Either way nothing the
caller sent is lost, and an assessment is scored exactly once.

A submit holds no lock and no transaction while the scoring service works (which may take up to
its timeout): it reads the draft, scores it, and stores the result with one statement that
applies only if the draft is still at the revision it read. A draft changed meanwhile (an answer
edited, a concurrent submit that won) is read and judged again, so the result always matches the
answers stored with it.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.core.auth import Principal
from baseline_api.core.db import Connections, PgConnection, driver_connection
from baseline_api.core.scoring_client import ScoringClient
from baseline_api.webhooks.payload import EventType
from baseline_service_kit import (
    Conflict,
    FieldError,
    PreconditionFailed,
    ServiceUnavailable,
    Unprocessable,
)
from framework_model import Framework, Profile, asks, framework_index, load_framework

from . import repository
from .service import Scored, for_scoring, score_document

__all__ = [
    "Submitted",
    "accept_submissions",
    "carried_errors",
    "score_next_submission",
    "submit_assessment",
    "unanswered_errors",
    "unanswered_questions",
]


# A draft edited between its read and its store is read and scored again; this many times at most.
SUBMIT_ATTEMPTS = 3


@dataclass(frozen=True)
class Submitted:
    """What a submit did: scored now (``scored`` set) or accepted for the worker (None)."""

    assessment_id: uuid.UUID
    revision: int
    scored: Scored | None


def unanswered_questions(
    framework: Framework, answered: Iterable[str], profile: Profile = "full"
) -> list[str]:
    """The questions ``profile`` asks that have no answer, in the framework's order."""
    done = set(answered)
    return [
        question_id
        for question_id, ref in framework_index(framework).questions.items()
        if question_id not in done and asks(ref.question, profile)
    ]


def unanswered_errors(
    framework: Framework, answered: Iterable[str], profile: Profile = "full"
) -> list[FieldError]:
    """What stops a submission: one error per unanswered question, at ``responses.<question_id>``."""
    return [
        FieldError(field=f"responses.{qid}", message="unanswered")
        for qid in unanswered_questions(framework, answered, profile)
    ]


def carried_errors(framework: Framework, carried: Iterable[str]) -> list[FieldError]:
    """One error per answer carried forward and not yet confirmed, at ``responses.<question_id>``:
    nothing is scored that nobody looked at."""
    pending = set(carried)
    return [
        FieldError(field=f"responses.{qid}", message="carried forward: confirm it by answering it again")
        for qid in framework_index(framework).questions
        if qid in pending
    ]


def _blocking_errors(framework: Framework, found: repository.ForScoring) -> list[FieldError]:
    """What stops a submission, in the framework's question order: unanswered questions, and
    answers carried forward that nobody has confirmed."""
    errors = [
        *unanswered_errors(framework, found.answered, found.profile),
        *carried_errors(framework, found.carried),
    ]
    by_field = {error.field: error for error in errors}
    fields = (f"responses.{question_id}" for question_id in framework_index(framework).questions)
    return [by_field[field] for field in fields if field in by_field]


def _ensure_submittable(found: repository.ForScoring, expected_revisions: Collection[int] | None) -> None:
    if found.status != "draft":
        raise Conflict(f"The assessment is already {found.status}.")
    if expected_revisions is not None and found.revision not in expected_revisions:
        raise PreconditionFailed(f'If-Match does not match the current ETag "{found.revision}".')
    framework = load_framework(found.framework_id, found.framework_version)
    errors = _blocking_errors(framework, found)
    if errors:
        raise Unprocessable(f"{len(errors)} question(s) are unanswered or not yet confirmed.", errors=errors)


async def submit_assessment(
    connections: Connections,
    scoring: ScoringClient,
    principal: Principal,
    assessment_id: uuid.UUID,
    expected_revisions: Collection[int] | None,
) -> Submitted:
    """Score and store a complete draft, or accept it for the worker when scoring fails.

    With autocommit ``connections`` each statement here is a whole change on its own, and no
    connection is held while the scoring service works. With a session's (FHIR ingestion, whose
    transaction has just written the draft) all of it joins that transaction, which holds the
    draft until it commits. A concurrent second submit of the same draft finds it no longer a
    draft (409)."""
    for _ in range(SUBMIT_ATTEMPTS):
        async with connections.use() as connection:
            found = await for_scoring(connection, principal, assessment_id)
        _ensure_submittable(found, expected_revisions)
        try:
            scored = await score_document(scoring, found.score_request.encode(), found.content_hash)
        except ServiceUnavailable as exc:
            retry_in = scoring.retry_in(1)
            async with connections.use() as connection:
                accepted = await repository.mark_submitted(
                    connection, [assessment_id], revision=found.revision, retry_in=retry_in, error=exc.detail
                )
            if accepted:
                return Submitted(assessment_id, accepted[0], None)
            continue
        # Submitted and scored at once: subscribers of either event hear of it (both say "scored").
        async with connections.use() as connection:
            revision = await _record(connection, found, scored, ["assessment.submitted", "assessment.scored"])
        if revision is not None:
            return Submitted(assessment_id, revision, scored)
    raise Conflict("The assessment kept changing while it was being scored; submit it again.")


async def accept_submissions(session: AsyncSession, assessment_ids: Collection[uuid.UUID]) -> None:
    """draft -> submitted for complete drafts the caller has checked and locked, in one statement
    however many; the background worker scores them."""
    if assessment_ids:
        await repository.mark_submitted(await driver_connection(session), assessment_ids)


async def score_next_submission(session: AsyncSession, scoring: ScoringClient) -> bool:
    """The scoring worker's step: score the most overdue submitted assessment, or back it off.

    False when there was nothing due or the scoring service is still unavailable (the worker
    then idles). A success after failed tries means the service is back, so everything that was
    backing off becomes due at once rather than after its own backoff."""
    connection = await driver_connection(session)  # the claim and the result: one transaction
    found = await repository.claim_due_submission(connection)
    if found is None:
        return False
    try:
        scored = await score_document(scoring, found.score_request.encode(), found.content_hash)
    except ServiceUnavailable as exc:
        delay = scoring.retry_in(found.scoring_attempts + 1)
        await repository.postpone_scoring(session, found.id, delay, exc.detail)
        return False
    # The claim's row lock keeps the revision as it was read: this always stores.
    await _record(connection, found, scored, ["assessment.scored"])
    if found.scoring_attempts:
        await repository.retry_waiting_now(session)
    return True


async def _record(
    connection: PgConnection, found: repository.ForScoring, scored: Scored, event_types: Sequence[EventType]
) -> int | None:
    columns = scored.result.model_dump(include=set(repository.RESULT_COLUMNS))
    return await repository.record_score(
        connection, found.id, found.revision, columns, scored.document, event_types
    )
