"""Scores, levels, critical caps, targets and completeness, computed by hand.

The framework is tests/scoring/fixtures/engine-small.yaml; its header lists the weights.
Options: none 0 | some 0.25 | half 0.5 | most 0.75 | all 1.
Bands: 1 >= 0 | 2 >= 20 | 3 >= 40 | 4 >= 60 | 5 >= 80. Critical: option < 0.5 caps at level 2.
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from baseline_scoring.engine import (
    ENGINE_VERSION,
    CapabilityResult,
    PillarResult,
    ScoreResult,
    score_assessment,
)
from framework_model.answers import Answer
from framework_model.models import Framework
from tests.scoring.engine_support import (
    CONTENT_HASH,
    PREVIEW,
    answers,
    small_framework,
    small_framework_data,
    small_framework_with_only_hosting,
    small_framework_without,
)


def score(states: Mapping[str, str], targets: Mapping[str, int] | None = None) -> ScoreResult:
    return score_assessment(small_framework(), answers(states), content_hash=CONTENT_HASH, targets=targets)


def pillar(result: ScoreResult, pillar_id: str) -> PillarResult:
    return next(p for p in result.pillars if p.pillar_id == pillar_id)


def capability(result: ScoreResult, capability_id: str) -> CapabilityResult:
    return next(c for p in result.pillars for c in p.capabilities if c.capability_id == capability_id)


def test_the_result_names_what_was_scored() -> None:
    result = score(PREVIEW)

    assert (result.framework_id, result.framework_version) == ("engine-small", "1.0.0")
    assert result.content_hash == CONTENT_HASH
    assert result.engine_version == ENGINE_VERSION == "1.1.0"
    assert [p.pillar_id for p in result.pillars] == ["ways-of-working", "operating-model"]
    assert [c.capability_id for p in result.pillars for c in p.capabilities] == [
        "safety",
        "delivery",
        "hosting",
        "data",
    ]


def test_capability_scores_levels_and_counts() -> None:
    result = score(PREVIEW)

    # safety: (2x0.25 + 1x0.75)/3 = 1.25/3 = 0.41667 -> 41.7 -> band 3, capped by safety-officer -> 2
    assert capability(result, "safety") == CapabilityResult(
        capability_id="safety",
        title="Clinical safety",
        score=41.7,
        level=2,
        answered=2,
        applicable=2,
        target_level=3,
        critical_capped=True,
    )
    # delivery: (1x0.75 + 1x0 unanswered)/2 = 0.375 -> 37.5 -> level 2; 1 answered of 2 applicable
    delivery = capability(result, "delivery")
    assert (delivery.score, delivery.level, delivery.answered, delivery.applicable) == (37.5, 2, 1, 2)
    assert not delivery.critical_capped
    # hosting: everything not applicable -> no score, no level; answered counts N/A
    hosting = capability(result, "hosting")
    assert (hosting.score, hosting.level, hosting.answered, hosting.applicable) == (None, None, 2, 0)
    assert not hosting.critical_capped
    # data: (3x0.5 + 1x0.25)/4 = 1.75/4 = 0.4375 -> 43.75 -> 43.8 -> level 3
    assert (capability(result, "data").score, capability(result, "data").level) == (43.8, 3)


def test_pillar_scores_caps_gaps_and_percent_to_target() -> None:
    result = score(PREVIEW)

    # ways-of-working: (1x41.667 + 2x37.5)/3 = 116.667/3 = 38.889 -> 38.9 -> level 2 (cap 2 too)
    # target 3 (default), band minimum 40: gap 3-2 = 1; 100x(1 - (40-38.889)/40) = 97.22 -> 97.2
    # completeness: 3 of 4 questions answered (delivery-releases is not)
    ways = pillar(result, "ways-of-working")
    assert (ways.score, ways.level, ways.target_level, ways.gap) == (38.9, 2, 3, 1)
    assert ways.percent_to_target == 97.2
    assert ways.capped_by == ("safety-officer",)
    assert ways.completeness == 0.75
    # operating-model: hosting drops out with its weight -> data alone: 43.75 -> 43.8 -> level 3
    # target 4 (default), band minimum 60: gap 1; 100x(1 - (60-43.75)/60) = 72.92 -> 72.9
    ops = pillar(result, "operating-model")
    assert (ops.score, ops.level, ops.target_level, ops.gap) == (43.8, 3, 4, 1)
    assert ops.percent_to_target == 72.9
    assert ops.capped_by == ()
    assert ops.completeness == 1.0


def test_overall_score_is_capped_when_any_pillar_is() -> None:
    result = score(PREVIEW)

    # (2x38.889 + 1x43.75)/3 = 121.528/3 = 40.509 -> 40.5 -> band 3, capped by ways-of-working -> 2
    # SAMM: 100x(1 - ((40-38.889) + (60-43.75)) / (40+60)) = 100x(1 - 17.361/100) = 82.64 -> 82.6
    assert result.overall.model_dump() == {"score": 40.5, "level": 2, "percent_to_target": 82.6}
    # 7 of 8 questions answered or not applicable
    assert result.completeness == 0.875


def test_a_critical_answer_at_the_minimum_does_not_cap() -> None:
    # safety: (2x0.5 + 1x0)/3 = 0.3333 -> 33.3 -> level 2, uncapped (0.5 is not below 0.5)
    # ways-of-working: (1x33.333 + 2x37.5)/3 = 108.333/3 = 36.11 -> 36.1 -> level 2
    # overall: (2x36.111 + 43.75)/3 = 115.972/3 = 38.66 -> 38.7 -> level 2 by its score alone
    result = score({**PREVIEW, "safety-officer": "half", "safety-reviews": "none"})

    assert (capability(result, "safety").score, capability(result, "safety").critical_capped) == (33.3, False)
    assert (pillar(result, "ways-of-working").score, pillar(result, "ways-of-working").capped_by) == (
        36.1,
        (),
    )
    assert (result.overall.score, result.overall.level) == (38.7, 2)


def test_a_cap_holds_a_high_score_down() -> None:
    # safety: (2x0.25 + 1x1)/3 = 0.5 -> 50.0 -> band 3, capped -> 2
    # delivery: (1 + 1)/2 -> 100.0 -> level 5; ways-of-working (50 + 2x100)/3 = 83.33 -> 83.3 -> band 5 -> 2
    states = {**PREVIEW, "safety-reviews": "all", "delivery-teams": "all", "delivery-releases": "all"}
    result = score(states)

    assert (capability(result, "safety").score, capability(result, "safety").level) == (50.0, 2)
    # A capped pillar never reads as on target: it counts at most 39.9, just under level 3's 40,
    # so against its target of 3 (40): 100 x (1 - 0.1/40) = 99.75 -> 99.8.
    ways = pillar(result, "ways-of-working")
    assert (ways.score, ways.level, ways.gap, ways.percent_to_target) == (83.3, 2, 1, 99.8)


def test_nothing_answered_scores_zero_and_unanswered_critical_questions_cap() -> None:
    result = score({})

    assert [(c.score, c.level) for p in result.pillars for c in p.capabilities] == [(0.0, 1)] * 4
    assert [c.critical_capped for p in result.pillars for c in p.capabilities] == [True, False, True, False]
    assert [(p.score, p.level, p.gap, p.percent_to_target) for p in result.pillars] == [
        (0.0, 1, 2, 0.0),
        (0.0, 1, 3, 0.0),
    ]
    assert [p.capped_by for p in result.pillars] == [("safety-officer",), ("hosting-backup",)]
    assert [p.completeness for p in result.pillars] == [0.0, 0.0]
    assert result.overall.model_dump() == {"score": 0.0, "level": 1, "percent_to_target": 0.0}
    assert result.completeness == 0.0


def test_a_complete_top_assessment_meets_every_target() -> None:
    result = score(dict.fromkeys(_question_ids(), "all"))

    assert [(c.score, c.level) for p in result.pillars for c in p.capabilities] == [(100.0, 5)] * 4
    assert [(p.score, p.level, p.gap, p.percent_to_target, p.completeness) for p in result.pillars] == [
        (100.0, 5, 0, 100.0, 1.0),
        (100.0, 5, 0, 100.0, 1.0),
    ]
    assert result.overall.model_dump() == {"score": 100.0, "level": 5, "percent_to_target": 100.0}
    assert result.recommendations == ()


def test_a_pillar_with_nothing_applicable_has_no_score_gap_or_percent() -> None:
    # operating-model holds only hosting here, and hosting is all not applicable.
    without_data = {q: state for q, state in PREVIEW.items() if not q.startswith("data-")}
    result = score_assessment(
        small_framework_with_only_hosting(), answers(without_data), content_hash="sha256:h"
    )

    ops = pillar(result, "operating-model")
    assert (ops.score, ops.level, ops.gap, ops.percent_to_target, ops.capped_by) == (None, None, 0, None, ())
    assert ops.completeness == 1.0
    # overall: ways-of-working alone, 38.889 -> 38.9 (capped at 2); SAMM over scored pillars: 97.2
    assert result.overall.model_dump() == {"score": 38.9, "level": 2, "percent_to_target": 97.2}


def test_targets_override_the_framework_defaults() -> None:
    result = score(PREVIEW, targets={"ways-of-working": 5, "operating-model": 1})

    # ways-of-working: target 5, band minimum 80: gap 5-2 = 3; 100x(1 - (80-38.889)/80) = 48.61 -> 48.6
    ways = pillar(result, "ways-of-working")
    assert (ways.target_level, ways.gap, ways.percent_to_target) == (5, 3, 48.6)
    assert [c.target_level for c in ways.capabilities] == [5, 5]
    # operating-model: target 1, band minimum 0: met, 100
    ops = pillar(result, "operating-model")
    assert (ops.target_level, ops.gap, ops.percent_to_target) == (1, 0, 100.0)
    # overall: 100x(1 - (41.111 + 0)/(80 + 0)) = 48.61 -> 48.6
    assert result.overall.percent_to_target == 48.6


def test_a_target_for_an_unknown_pillar_is_ignored() -> None:
    assert score(PREVIEW, targets={"elsewhere": 1}) == score(PREVIEW)


def test_an_answer_with_an_unknown_option_is_refused_not_scored() -> None:
    with pytest.raises(ValueError, match="not an option"):
        score_assessment(
            small_framework(),
            [Answer(question_id="data-quality", value="maybe")],
            content_hash=CONTENT_HASH,
        )


def test_the_json_is_byte_identical_for_the_same_input_and_a_fresh_framework() -> None:
    fresh = Framework.model_validate(small_framework_data())
    first = score(PREVIEW).model_dump_json()

    again = score_assessment(fresh, answers(PREVIEW), content_hash=CONTENT_HASH).model_dump_json()
    reversed_answers = list(reversed(answers(PREVIEW)))
    shuffled = score_assessment(small_framework(), reversed_answers, content_hash=CONTENT_HASH)
    assert again == first
    assert shuffled.model_dump_json() == first


def test_the_cached_index_is_not_reused_for_a_different_framework_under_the_same_key() -> None:
    score(PREVIEW)
    # Same framework_id, version and content hash, different content (no data-quality question):
    # data: (3x0.5)/3 = 50.0 rather than 43.8.
    other = small_framework_without("data-quality")
    preview = {q: state for q, state in PREVIEW.items() if q != "data-quality"}
    result = score_assessment(other, answers(preview), content_hash=CONTENT_HASH)
    assert capability(result, "data").score == 50.0


def test_results_are_frozen() -> None:
    result = score(PREVIEW)
    with pytest.raises(ValueError, match="frozen"):
        result.completeness = 1.0  # type: ignore[misc]


def _question_ids() -> list[str]:
    return [q.question_id for p in small_framework().pillars for c in p.capabilities for q in c.questions]
