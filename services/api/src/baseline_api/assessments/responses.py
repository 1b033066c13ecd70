"""The rules of responses (answers): checked against the assessment's pinned framework version,
written to drafts only, a batch all or nothing."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.core.auth import Principal
from baseline_service_kit import FieldError, NotFound, Unprocessable
from framework_model import Answer, AnswerProblem, Framework, check_answer, check_answers, framework_index

from . import repository
from .models import Assessment, Response
from .schemas import ResponseBatch, ResponseIn, ResponseItemIn
from .service import pinned_framework, visible_assessment, write_draft

__all__ = ["answer_errors", "answer_many", "answer_one", "in_question_order", "list_responses"]


async def answer_one(
    session: AsyncSession,
    principal: Principal,
    target: tuple[uuid.UUID, str],
    body: ResponseIn,
    expected_revisions: Collection[int] | None,
) -> tuple[Assessment, Response]:
    """Answer one question; ``target`` is (assessment id, question id)."""
    assessment_id, question_id = target
    assessment = await visible_assessment(session, principal, assessment_id)
    framework = pinned_framework(assessment)
    if question_id not in framework_index(framework).questions:
        raise NotFound(f"No question {question_id!r} in {framework.framework_id} {framework.version}.")
    answer = Answer(question_id=question_id, value=body.value, not_applicable=body.not_applicable)
    _refuse(framework, _field_errors(check_answer(framework, answer)))
    assessment = await write_draft(session, assessment, expected_revisions)
    [stored] = await repository.upsert_responses(session, assessment.id, [_row(question_id, body, principal)])
    return assessment, stored


async def answer_many(
    session: AsyncSession,
    principal: Principal,
    assessment_id: uuid.UUID,
    batch: ResponseBatch,
    expected_revisions: Collection[int] | None,
) -> tuple[Assessment, list[Response]]:
    """Answer many questions in one statement; one bad item (or a question twice) refuses them all."""
    assessment = await visible_assessment(session, principal, assessment_id)
    framework = pinned_framework(assessment)
    _refuse(framework, answer_errors(framework, batch.responses))
    assessment = await write_draft(session, assessment, expected_revisions)
    rows = [_row(item.question_id, item, principal) for item in batch.responses]
    stored = await repository.upsert_responses(session, assessment.id, rows)
    return assessment, in_question_order(framework, stored)


async def list_responses(
    session: AsyncSession, principal: Principal, assessment_id: uuid.UUID
) -> tuple[Assessment, list[Response]]:
    assessment = await visible_assessment(session, principal, assessment_id)
    stored = await repository.list_responses(session, assessment.id)
    return assessment, in_question_order(pinned_framework(assessment), stored)


def in_question_order(framework: Framework, responses: Sequence[Response]) -> list[Response]:
    position = {question_id: i for i, question_id in enumerate(framework_index(framework).questions)}
    return sorted(responses, key=lambda response: position.get(response.question_id, len(position)))


def answer_errors(framework: Framework, items: Sequence[ResponseItemIn]) -> list[FieldError]:
    """Every problem with a batch of answers to ``framework``, at fields like ``responses[3].value``."""
    answers = [_answer(item) for item in items]
    return _field_errors(check_answers(framework, answers, field_prefix="responses"))


def _field_errors(problems: Sequence[AnswerProblem]) -> list[FieldError]:
    return [FieldError(field=problem.field, message=problem.message) for problem in problems]


def _answer(item: ResponseItemIn) -> Answer:
    return Answer(question_id=item.question_id, value=item.value, not_applicable=item.not_applicable)


def _row(question_id: str, body: ResponseIn, principal: Principal) -> dict[str, Any]:
    return {
        "question_id": question_id,
        "value": body.value,
        "not_applicable": body.not_applicable,
        "reason": body.reason,
        "comment": body.comment,
        "updated_by": principal.key_id,
    }


def _refuse(framework: Framework, errors: Sequence[FieldError]) -> None:
    if errors:
        where = f"{framework.framework_id} {framework.version}"
        raise Unprocessable(f"{len(errors)} problem(s) with the answers for {where}.", errors=errors)
