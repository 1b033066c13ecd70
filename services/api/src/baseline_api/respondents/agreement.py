"""Agreement on the gateway: the figures come from the scoring service (``POST /v1/agreement``),
the people and their answers from the database, shown to those who may see them; ``apply``
fills the assessment's own answers from the respondents' through the draft's usual write path."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Collection
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.assessments import responses as answering
from baseline_api.assessments.models import Response
from baseline_api.assessments.schemas import ResponseBatch, ResponseItemIn
from baseline_api.assessments.service import ask_scoring, visible_assessment
from baseline_api.audit.record import record
from baseline_api.auth import Principal
from baseline_api.core.scoring_client import ScoringClient
from baseline_service_kit import Conflict, NotFound, PreconditionFailed, ServiceUnavailable

from . import repository
from .schemas import ApplyIn
from .service import sees_people

__all__ = ["agreement", "apply"]

Figures = dict[str, Any]


async def _read(
    session: AsyncSession, scoring: ScoringClient, principal: Principal, assessment_id: uuid.UUID
) -> tuple[repository.ForAgreement, Figures]:
    found = await repository.read_for_agreement(session, assessment_id)
    if found is None or not principal.can_see(found.organisation_id):
        raise NotFound("No such assessment.")
    document = await ask_scoring(scoring, "/v1/agreement", found.agreement_request.encode())
    try:
        figures: Figures = json.loads(document)
    except ValueError as exc:
        raise ServiceUnavailable("The scoring service answered with something that is not JSON.") from exc
    return found, figures


async def agreement(
    session: AsyncSession, scoring: ScoringClient, principal: Principal, assessment_id: uuid.UUID
) -> dict[str, Any]:
    """The agreement as ``AgreementOut`` (a plain dict: it is only serialised)."""
    found, figures = await _read(session, scoring, principal, assessment_id)
    people = sees_people(principal)
    answers = _answers_by_question(found) if people else {}
    for question in figures["questions"]:
        value, not_applicable = found.agreed.get(question["question_id"], (None, False))
        question["answers"] = answers.get(question["question_id"], []) if people else None
        question["agreed_value"], question["agreed_not_applicable"] = value, not_applicable
    roster = [{**person, "name": person["name"] if people else None} for person in found.roster]
    return {"assessment_id": str(assessment_id), **figures, "roster": roster}


def _answers_by_question(found: repository.ForAgreement) -> dict[str, list[dict[str, Any]]]:
    """Each respondent's answer by question, respondents in the order they were added."""
    by_question: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for respondent in json.loads(found.agreement_request)["respondents"]:
        for answer in respondent["responses"]:
            by_question[answer["question_id"]].append(
                {
                    "respondent_id": respondent["respondent_id"],
                    "value": answer["value"],
                    "not_applicable": answer["not_applicable"],
                }
            )
    return by_question


async def apply(
    session: AsyncSession,
    scoring: ScoringClient,
    principal: Principal,
    assessment_id: uuid.UUID,
    body: ApplyIn,
    expected: Collection[int] | None,
) -> tuple[int, list[Response]]:
    """Fill the assessment's answers from its respondents' by ``body.strategy``; the new revision
    and all the assessment's answers. Nothing to fill changes nothing (and records nothing)."""
    found, figures = await _read(session, scoring, principal, assessment_id)
    chosen = [
        _agreed_answer(question, body.strategy)
        for question in figures["questions"]
        if not (body.only_unanswered and question["question_id"] in found.agreed)
    ]
    if chosen:
        await answering.answer_many(
            session, principal, assessment_id, ResponseBatch(responses=chosen), expected
        )
        detail = {"strategy": body.strategy, "questions": [item.question_id for item in chosen]}
        await record(
            session,
            organisation_id=found.organisation_id,
            assessment_id=assessment_id,
            by=principal.actor,
            action="agreement.applied",
            detail=detail,
        )
    else:
        await _ensure_writable(session, principal, assessment_id, expected)
    assessment, stored = await answering.list_responses(session, principal, assessment_id)
    return assessment.revision, stored


def _agreed_answer(question: dict[str, Any], strategy: str) -> ResponseItemIn:
    prefix = "suggested" if strategy == "median" else "lowest"
    return ResponseItemIn(
        question_id=question["question_id"],
        value=question[f"{prefix}_value"],
        not_applicable=question[f"{prefix}_not_applicable"],
        comment=f"Agreed answer by the {strategy} strategy, from {question['answered']} respondent(s)' answers.",
    )


async def _ensure_writable(
    session: AsyncSession, principal: Principal, assessment_id: uuid.UUID, expected: Collection[int] | None
) -> None:
    """What a write would have refused, when there is nothing to write: 409 or 412."""
    assessment = await visible_assessment(session, principal, assessment_id)
    if assessment.status != "draft":
        raise Conflict(f"The assessment is {assessment.status}; only a draft can change.")
    if expected is not None and assessment.revision not in expected:
        raise PreconditionFailed(f'If-Match does not match the current ETag "{assessment.revision}".')
