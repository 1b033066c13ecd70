"""``score_assessment``: a framework version, answers and targets in; a result out.

Pure: no I/O, no clock, no randomness; the same input gives a byte-identical result whatever
the order of the answers.

The engine writes its result as a plain document (``score_document``: dicts and lists in the
fields' order, JSON types only), which the scoring service serialises as it stands: building
and validating the pydantic models of ``result`` for every request would cost more than the
scoring itself. ``score_assessment`` gives the same result as those models, validated, for
callers that read it in Python. A new block of the result is added to both: a key of the
document, in the position of its field in ``ScoreResult``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from framework_model.answers import Answer
from framework_model.models import Framework
from framework_model.profiles import Profile

from .index import index_for
from .levels import round_half_up
from .recommendations import recommend
from .result import ScoreResult
from .scores import (
    PillarScore,
    pillar_gap,
    pillar_percent_to_target,
    read_answers,
    score_overall,
    score_pillar,
)
from .targets import target_level

__all__ = ["ENGINE_VERSION", "ResultDocument", "score_assessment", "score_document"]

#: Bumped whenever the same input could score differently, so stored results stay reproducible.
#: 1.1.0: a capped pillar's percent to target stays below the band above its cap; triggered_by
#: is never empty; the quick profile.
ENGINE_VERSION = "1.1.0"

#: A ``ScoreResult`` as JSON-ready data: what ``ScoreResult.model_dump(mode="json")`` gives.
ResultDocument = dict[str, Any]


def score_assessment(
    framework: Framework,
    answers: Sequence[Answer],
    *,
    content_hash: str,
    targets: Mapping[str, int] | None = None,
    increment_size: int = 3,
    profile: Profile = "full",
) -> ScoreResult:
    """Score checked answers against a framework version; unanswered questions count 0.

    In the ``quick`` profile only lead questions are asked and count; its result is indicative.
    """
    document = score_document(
        framework,
        answers,
        content_hash=content_hash,
        targets=targets,
        increment_size=increment_size,
        profile=profile,
    )
    return ScoreResult.model_validate(document)


def score_document(
    framework: Framework,
    answers: Sequence[Answer],
    *,
    content_hash: str,
    targets: Mapping[str, int] | None = None,
    increment_size: int = 3,
    profile: Profile = "full",
) -> ResultDocument:
    """``score_assessment``'s result as a JSON-ready document, without building its models."""
    index = index_for(framework, content_hash)
    sheet = read_answers(index, answers, profile)
    pillars = [
        score_pillar(index, pillar, sheet, target_level(framework, targets, pillar.pillar_id))
        for pillar in framework.pillars
    ]
    overall = score_overall(index, pillars)
    return {
        "framework_id": framework.framework_id,
        "framework_version": framework.version,
        "content_hash": content_hash,
        "engine_version": ENGINE_VERSION,
        "profile": profile,
        "indicative": profile == "quick",
        "completeness": _completeness(sum(p.responded for p in pillars), sum(p.questions for p in pillars)),
        "overall": {
            "score": overall.score,
            "level": overall.level,
            "percent_to_target": overall.percent_to_target,
        },
        "pillars": [_pillar_document(pillar) for pillar in pillars],
        "recommendations": recommend(index, pillars, sheet, increment_size),
    }


def _pillar_document(pillar: PillarScore) -> dict[str, Any]:
    return {
        "pillar_id": pillar.pillar.pillar_id,
        "title": pillar.pillar.title,
        "score": pillar.score,
        "level": pillar.level,
        "target_level": pillar.target_level,
        "gap": pillar_gap(pillar),
        "percent_to_target": pillar_percent_to_target(pillar),
        "completeness": _completeness(pillar.responded, pillar.questions),
        "capped_by": list(pillar.capped_by),
        "capabilities": [
            {
                "capability_id": c.capability.capability_id,
                "title": c.capability.title,
                "score": c.score,
                "level": c.level,
                "answered": c.answered,
                "applicable": c.applicable,
                "target_level": pillar.target_level,
                "critical_capped": bool(c.capped_by),
            }
            for c in pillar.capabilities
        ],
    }


def _completeness(responded: int, questions: int) -> float:
    """(Answered + not applicable) / questions, to 4 decimal places."""
    return round_half_up(responded / questions, 4) if questions else 1.0
