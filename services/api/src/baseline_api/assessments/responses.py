"""The rules of responses (answers): checked against the assessment's pinned framework version,
written to drafts only, a batch all or nothing."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from typing import Any, Protocol, TypeVar

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.auth import Principal
from baseline_api.core.db import Connections, PgConnection, driver_connection
from baseline_service_kit import FieldError, NotFound, Unprocessable
from framework_model import (
    Answer,
    AnswerProblem,
    Framework,
    Profile,
    check_answer,
    check_answers,
    framework_index,
)

from . import repository
from .models import Assessment, Response
from .pinning import pinned
from .schemas import ResponseBatch, ResponseIn, ResponseItemIn
from .service import pinned_framework, profile_of, refusal, visible_assessment, write_draft

__all__ = [
    "Answered",
    "answer_errors",
    "answer_many",
    "answer_one",
    "in_question_order",
    "list_responses",
    "replace_answers",
]

# A stored answer: an ORM ``Response`` or a row with the same columns (as attributes), straight
# from a write.
Answered = Response | Any


class _ToQuestion(Protocol):
    @property
    def question_id(self) -> str: ...


# Anything answering a question: the assessment's answers, or a respondent's.
AnsweredT = TypeVar("AnsweredT", bound=_ToQuestion | Row[Any])


async def answer_one(
    connections: Connections,
    principal: Principal,
    target: tuple[uuid.UUID, str],
    body: ResponseIn,
    expected_revisions: Collection[int] | None,
) -> tuple[int, Answered]:
    """Answer one question; ``target`` is (assessment id, question id). Returns the new revision.

    The answer is one statement (``repository.answer_draft``), so on autocommit ``connections``
    it is its own transaction: one round trip to PostgreSQL (the pinning is usually remembered)."""
    assessment_id, question_id = target
    async with connections.use() as connection:
        found = await pinned(connection, principal, assessment_id)
        framework = found.framework
        if question_id not in framework_index(framework).questions:
            raise NotFound(f"No question {question_id!r} in {framework.framework_id} {framework.version}.")
        answer = Answer(question_id=question_id, value=body.value, not_applicable=body.not_applicable)
        _refuse(framework, _field_errors(check_answer(framework, answer, profile=found.profile)))
        rows = [_row(question_id, body)]
        revision, [stored] = await _write(connection, principal, assessment_id, rows, expected_revisions)
    return revision, stored


async def answer_many(
    session: AsyncSession,
    principal: Principal,
    assessment_id: uuid.UUID,
    batch: ResponseBatch,
    expected_revisions: Collection[int] | None,
) -> tuple[int, list[Answered]]:
    """Answer many questions in one statement; one bad item (or a question twice) refuses them all."""
    connection = await driver_connection(session)
    found = await pinned(connection, principal, assessment_id)
    framework = found.framework
    _refuse(framework, answer_errors(framework, batch.responses, found.profile))
    rows = [_row(item.question_id, item) for item in batch.responses]
    revision, stored = await _write(connection, principal, assessment_id, rows, expected_revisions)
    return revision, in_question_order(framework, stored)


async def replace_answers(
    session: AsyncSession, principal: Principal, assessment: Assessment, answers: Sequence[Answer]
) -> Assessment:
    """Make ``answers`` the draft's whole set of answers, all or nothing: every other question loses
    its answer, and each answer loses the reason and comment it had (``answers`` carry none).

    For an ingestion system whose document is the questionnaire as answered so far (a FHIR
    QuestionnaireResponse): an answer it no longer holds was withdrawn, not forgotten."""
    framework = pinned_framework(assessment)
    _refuse(framework, _batch_errors(framework, answers, profile_of(assessment)))
    kept = [a.question_id for a in answers]
    await repository.delete_responses_except(session, assessment.id, kept, principal.actor)
    rows = [_row(a.question_id, ResponseIn(value=a.value, not_applicable=a.not_applicable)) for a in answers]
    if rows:
        await _write(await driver_connection(session), principal, assessment.id, rows, None)
    else:
        await write_draft(session, assessment, None, principal.actor)
    refreshed = await repository.get_assessment(session, assessment.id)
    assert refreshed is not None  # the caller holds it, and assessments are never deleted
    return refreshed


async def _write(
    connection: PgConnection,
    principal: Principal,
    assessment_id: uuid.UUID,
    rows: list[dict[str, Any]],
    expected_revisions: Collection[int] | None,
) -> tuple[int, Sequence[Answered]]:
    written = await repository.answer_draft(
        connection, assessment_id, expected_revisions, rows, principal.actor
    )
    if written is None:
        raise await refusal(connection, assessment_id)
    return written


async def list_responses(
    session: AsyncSession, principal: Principal, assessment_id: uuid.UUID
) -> tuple[Assessment, list[Response]]:
    assessment = await visible_assessment(session, principal, assessment_id)
    stored = await repository.list_responses(session, assessment.id)
    return assessment, in_question_order(pinned_framework(assessment), stored)


def in_question_order(framework: Framework, responses: Sequence[AnsweredT]) -> list[AnsweredT]:
    position = {question_id: i for i, question_id in enumerate(framework_index(framework).questions)}
    return sorted(responses, key=lambda response: position.get(response.question_id, len(position)))


def answer_errors(
    framework: Framework, items: Sequence[ResponseItemIn], profile: Profile = "full"
) -> list[FieldError]:
    """Every problem with a batch of answers to ``framework``, at fields like ``responses[3].value``."""
    return _batch_errors(framework, [_answer(item) for item in items], profile)


def _batch_errors(
    framework: Framework, answers: Sequence[Answer], profile: Profile = "full"
) -> list[FieldError]:
    return _field_errors(check_answers(framework, answers, field_prefix="responses", profile=profile))


def _field_errors(problems: Sequence[AnswerProblem]) -> list[FieldError]:
    return [FieldError(field=problem.field, message=problem.message) for problem in problems]


def _answer(item: ResponseItemIn) -> Answer:
    return Answer(question_id=item.question_id, value=item.value, not_applicable=item.not_applicable)


def _row(question_id: str, body: ResponseIn) -> dict[str, Any]:
    return {
        "question_id": question_id,
        "value": body.value,
        "not_applicable": body.not_applicable,
        "reason": body.reason,
        "comment": body.comment,
    }


def _refuse(framework: Framework, errors: Sequence[FieldError]) -> None:
    if errors:
        where = f"{framework.framework_id} {framework.version}"
        raise Unprocessable(f"{len(errors)} problem(s) with the answers for {where}.", errors=errors)
