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

__all__ = ["answer_many", "answer_one", "in_question_order", "list_responses", "replace_answers"]


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
    _refuse(framework, check_answer(framework, answer))
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
    rows = [_row(item.question_id, item, principal) for item in batch.responses]
    answers = [_answer(item) for item in batch.responses]
    return await _write_answers(session, assessment, answers, rows, expected_revisions)


async def replace_answers(
    session: AsyncSession, principal: Principal, assessment: Assessment, answers: Sequence[Answer]
) -> Assessment:
    """Make ``answers`` the draft's whole set of answers, all or nothing: every other question loses
    its answer, and each answer loses the reason and comment it had (``answers`` carry none).

    For an ingestion system whose document is the questionnaire as answered so far (a FHIR
    QuestionnaireResponse): an answer it no longer holds was withdrawn, not forgotten."""
    rows = [_row(answer.question_id, _as_response(answer), principal) for answer in answers]
    assessment, _ = await _write_answers(session, assessment, answers, rows, None, replace=True)
    return assessment


async def _write_answers(
    session: AsyncSession,
    assessment: Assessment,
    answers: Sequence[Answer],
    rows: Sequence[dict[str, Any]],
    expected_revisions: Collection[int] | None,
    *,
    replace: bool = False,
) -> tuple[Assessment, list[Response]]:
    """Check ``answers`` against the pinned framework, bump the draft's revision, store ``rows``;
    with ``replace``, first delete the answers to questions ``answers`` leave out."""
    framework = pinned_framework(assessment)
    _refuse(framework, check_answers(framework, answers, field_prefix="responses"))
    assessment = await write_draft(session, assessment, expected_revisions)
    if replace:
        await repository.delete_responses_except(session, assessment.id, [a.question_id for a in answers])
    stored = await repository.upsert_responses(session, assessment.id, rows) if rows else []
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


def _answer(item: ResponseItemIn) -> Answer:
    return Answer(question_id=item.question_id, value=item.value, not_applicable=item.not_applicable)


def _as_response(answer: Answer) -> ResponseIn:
    return ResponseIn(value=answer.value, not_applicable=answer.not_applicable)


def _row(question_id: str, body: ResponseIn, principal: Principal) -> dict[str, Any]:
    return {
        "question_id": question_id,
        "value": body.value,
        "not_applicable": body.not_applicable,
        "reason": body.reason,
        "comment": body.comment,
        "updated_by": principal.key_id,
    }


def _refuse(framework: Framework, problems: Sequence[AnswerProblem]) -> None:
    if problems:
        errors = [FieldError(field=problem.field, message=problem.message) for problem in problems]
        where = f"{framework.framework_id} {framework.version}"
        raise Unprocessable(f"{len(errors)} problem(s) with the answers for {where}.", errors=errors)
