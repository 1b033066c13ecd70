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
from .recommendations import recommend
from .result import ScoreResult
from .scores import completeness, read_answers, score_overall, score_pillar
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
        "completeness": completeness(sum(p.responded for p in pillars), sum(p.questions for p in pillars)),
        "overall": {
            "score": overall.score,
            "level": overall.level,
            "percent_to_target": overall.percent_to_target,
        },
        "pillars": [pillar.document for pillar in pillars],
        "recommendations": recommend(index, pillars, sheet, increment_size),
    }
