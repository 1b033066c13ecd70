"""Respondents in scoring requests: their answers checked as ``responses`` are, and
``POST /v1/agreement`` (agreement alone, without scores)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Response

from baseline_scoring.engine import AgreementResult, Vote, agreement
from baseline_service_kit import FieldError, Problem, Unprocessable
from framework_model import Answer, Framework, Profile, answers_fit, check_answers

from .frameworks import load_or_404
from .schemas import AgreementRequest, RespondentAnswer, RespondentAnswers

__all__ = ["agreement_document", "respondent_problems", "router"]

router = APIRouter(prefix="/v1", tags=["scoring"])


def respondent_problems(
    framework: Framework, respondents: Sequence[RespondentAnswers] | None, profile: Profile
) -> list[FieldError]:
    """Every problem with the respondents, at fields like ``respondents[1].responses[3].value``."""
    problems: list[FieldError] = []
    first_at: dict[str, int] = {}
    for i, respondent in enumerate(respondents or ()):
        first = first_at.setdefault(respondent.respondent_id, i)
        if first != i:
            message = f"respondent {respondent.respondent_id!r} is sent more than once (first at respondents[{first}])"
            problems.append(FieldError(field=f"respondents[{i}].respondent_id", message=message))
        if not answers_fit(framework, _parts(respondent.responses), profile):
            answers = [Answer.model_validate(answer) for answer in respondent.responses]
            found = check_answers(
                framework, answers, field_prefix=f"respondents[{i}].responses", profile=profile
            )
            problems += [FieldError(field=p.field, message=p.message) for p in found]
    return problems


def _parts(answers: Sequence[RespondentAnswer]) -> list[Vote]:
    """A respondent's answers as (question id, value, not applicable): what the check and the
    agreement read, without building an ``Answer`` model for each."""
    return [(a["question_id"], a.get("value"), a.get("not_applicable", False)) for a in answers]


def _votes(respondents: Sequence[RespondentAnswers]) -> list[list[Vote]]:
    return [_parts(respondent.responses) for respondent in respondents]


def agreement_document(
    framework: Framework, respondents: Sequence[RespondentAnswers], profile: Profile
) -> dict[str, Any]:
    """The respondents' agreement as a score result carries it, as JSON-ready data: the
    confidences (``POST /v1/agreement`` gives the figures of each question)."""
    found = agreement(framework, _votes(respondents), profile, per_question=False)
    return found.model_dump(mode="json")


@router.post(
    "/agreement",
    response_model=AgreementResult,
    summary="How far respondents agree, without scoring anything: the `agreement` of a score request.",
    responses={
        404: {"model": Problem, "description": "No such framework or version."},
        422: {"model": Problem, "description": "Answers that do not fit the framework; each is named."},
    },
)
async def post_agreement(request: AgreementRequest) -> Response:
    framework = load_or_404(request.framework_id, request.framework_version)
    problems = respondent_problems(framework, request.respondents, request.profile)
    if problems:
        raise Unprocessable(f"{len(problems)} respondent answer(s) do not fit.", errors=problems)
    found = agreement(framework, _votes(request.respondents), request.profile)
    return Response(found.model_dump_json(), media_type="application/json")
