"""Respondents in scoring requests: their answers checked as ``responses`` are, and
``POST /v1/agreement`` (agreement alone, without scores)."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter, Response

from baseline_scoring.engine import AgreementResult, ScoreResult, agreement
from baseline_service_kit import FieldError, Problem, Unprocessable
from framework_model import Framework, Profile, check_answers

from .frameworks import load_or_404
from .schemas import AgreementRequest, RespondentAnswers, ScoreWithAgreement

__all__ = ["respondent_problems", "router", "with_agreement"]

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
        found = check_answers(
            framework, respondent.responses, field_prefix=f"respondents[{i}].responses", profile=profile
        )
        problems += [FieldError(field=p.field, message=p.message) for p in found]
    return problems


def with_agreement(
    result: ScoreResult, framework: Framework, respondents: Sequence[RespondentAnswers], profile: Profile
) -> ScoreWithAgreement:
    """``result`` with the respondents' agreement beside it."""
    fields = {name: getattr(result, name) for name in type(result).model_fields}
    found = agreement(framework, [r.responses for r in respondents], profile)
    return ScoreWithAgreement.model_construct(**fields, agreement=found)


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
    found = agreement(framework, [r.responses for r in request.respondents], request.profile)
    return Response(found.model_dump_json(), media_type="application/json")
