"""``POST /v1/score``: answers in, scores and next steps out. Stateless and deterministic."""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Response

from baseline_scoring.engine import score_document
from baseline_scoring.http.agreement import agreement_document, respondent_problems
from baseline_scoring.http.frameworks import load_or_404
from baseline_scoring.http.json_route import JsonBodyRoute
from baseline_scoring.http.schemas import ScoreRequest, ScoreWithAgreement
from baseline_service_kit import FieldError, Problem, Unprocessable
from framework_model import (
    Framework,
    check_answers,
    content_hash,
    has_profile,
)

# The one route whose speed the service is judged by: its body is parsed the short way.
router = APIRouter(prefix="/v1", tags=["scoring"], route_class=JsonBodyRoute)


def _check_request(framework: Framework, request: ScoreRequest) -> None:
    if not has_profile(framework, request.profile):
        message = f"{framework.framework_id} {framework.version} has no {request.profile} profile"
        raise Unprocessable(message, errors=[FieldError(field="profile", message=message)])
    answer_problems = check_answers(framework, request.responses, profile=request.profile)
    problems = [FieldError(field=p.field, message=p.message) for p in answer_problems]
    pillar_ids = {pillar.pillar_id for pillar in framework.pillars}
    problems += [
        FieldError(
            field=f"targets.{pillar_id}", message=f"unknown pillar; expected one of {sorted(pillar_ids)}"
        )
        for pillar_id in sorted(set(request.targets or {}) - pillar_ids)
    ]
    top_level = len(framework.levels)
    problems += [
        FieldError(field=f"targets.{pillar_id}", message=f"a target is a level from 1 to {top_level}")
        for pillar_id, level in sorted((request.targets or {}).items())
        if pillar_id in pillar_ids and level > top_level
    ]
    problems += respondent_problems(framework, request.respondents, request.profile)
    if problems:
        raise Unprocessable(
            f"{len(problems)} item(s) do not fit {framework.framework_id} {framework.version}.",
            errors=problems,
        )


@router.post(
    "/score",
    response_model=ScoreWithAgreement,
    summary="Score a set of answers against a framework version.",
    responses={
        404: {"model": Problem, "description": "No such framework or version."},
        422: {
            "model": Problem,
            "description": "Answers or targets that do not fit the framework; each is named.",
        },
    },
)
async def score(request: ScoreRequest) -> Response:
    # Scoring takes well under a millisecond, so it runs on the event loop rather than paying
    # for a thread hop; the engine's document is serialised as it stands (``response_model``
    # only documents it: FastAPI would build and validate the models for nothing).
    return Response(score_json(request), media_type="application/json")


def score_json(request: ScoreRequest) -> bytes:
    """The result of a parsed request as JSON; 404 or 422 problems for requests that do not fit."""
    framework = load_or_404(request.framework_id, request.framework_version)
    _check_request(framework, request)
    document = score_document(
        framework,
        request.responses,
        content_hash=content_hash(framework),
        targets=request.targets,
        increment_size=request.increment_size,
        profile=request.profile,
    )
    if request.respondents is not None:
        # The last field of ``ScoreWithAgreement``, so the bytes stay its ``model_dump_json()``.
        document["agreement"] = agreement_document(framework, request.respondents, request.profile)
    # Byte for byte what ``ScoreWithAgreement.model_dump_json()`` gives (tests/scoring/test_result_bytes.py).
    return orjson.dumps(document)
