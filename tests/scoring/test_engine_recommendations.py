"""Recommendations computed by hand: selection, priority, ranking, blocking, increment, triggers.

Shares of the overall score (fixture header): safety 2/9, delivery 4/9, hosting 1/6, data 1/6.
priority = (pillar target - capability level) x impact x share / effort (S=1, M=2, L=3).
Prerequisites: delivery-2 -> safety-2 -> hosting-2; delivery-3 -> safety-3; data-3 -> hosting-3.
"""

from __future__ import annotations

from collections.abc import Mapping

from baseline_scoring.engine import RecommendationResult, ScoreResult, score_assessment
from tests.scoring.engine_support import CONTENT_HASH, PREVIEW, answers, small_framework

# Levels in PREVIEW: safety 2 (capped), delivery 2, hosting none (all N/A), data 3.
# Targets: ways-of-working 3, operating-model 4.


def recommend(
    states: Mapping[str, str], targets: Mapping[str, int] | None = None, increment_size: int = 3
) -> tuple[RecommendationResult, ...]:
    result: ScoreResult = score_assessment(
        small_framework(),
        answers(states),
        content_hash=CONTENT_HASH,
        targets=targets,
        increment_size=increment_size,
    )
    return result.recommendations


def table(recommendations: tuple[RecommendationResult, ...]) -> list[tuple[object, ...]]:
    return [
        (r.rank, r.recommendation_id, r.priority, r.blocked_by, r.in_next_increment, r.triggered_by)
        for r in recommendations
    ]


def test_the_next_step_of_each_capability_below_target_critical_caps_first() -> None:
    # safety-2:   (3-2) x 3 x 2/9 / M2 = 0.3333 -> 0.333, critical-capped: first
    # delivery-2: (3-2) x 4 x 4/9 / S1 = 1.7778 -> 1.778, blocked: safety is at 2 < safety-2's to_level 3
    # data-3:     (4-3) x 5 x 1/6 / S1 = 0.8333 -> 0.833; its prerequisite hosting-3 is on an all-N/A
    #             capability (no level), which never blocks
    # hosting: no level, no recommendation; data-3 triggers only data-quality (0.25 < 60/100)
    assert table(recommend(PREVIEW)) == [
        (1, "safety-2", 0.333, (), True, ("safety-officer",)),  # 0.25 < 0.40; safety-reviews 0.75 is not
        (2, "delivery-2", 1.778, ("safety-2",), False, ("delivery-releases",)),  # unanswered
        (3, "data-3", 0.833, (), True, ("data-quality",)),
    ]


def test_a_recommendation_carries_its_rule_and_an_explanation() -> None:
    first = recommend(PREVIEW)[0]

    assert first.model_dump(
        exclude={"priority", "rank", "blocked_by", "in_next_increment", "triggered_by"}
    ) == {
        "recommendation_id": "safety-2",
        "pillar_id": "ways-of-working",
        "capability_id": "safety",
        "title": "Review hazards",
        "action": "Review the log.",
        "rationale": (
            "Clinical safety is at level 2 (Emerging, 41.7) against a target of 3 for Ways of working; "
            "the critical answer to safety-officer caps it at level 2. "
            "Level 3 (Established) starts at a score of 40."
        ),
        "from_level": 2,
        "to_level": 3,
        "effort": "M",
        "impact": 3,
        "depends_on": ("hosting-2",),
    }
    assert recommend(PREVIEW)[1].rationale == (
        "Delivery is at level 2 (Emerging, 37.5) against a target of 3 for Ways of working. "
        "Level 3 (Established) starts at a score of 40."
    )


def test_a_prerequisite_inherits_the_rank_of_its_dependant() -> None:
    # safety-officer "half" (0.5) no longer caps; safety: (2x0.5 + 0)/3 = 33.3 -> level 2.
    # Own keys: delivery-2 1.778 > data-3 0.833 > safety-2 0.333, but safety-2 is delivery-2's
    # prerequisite, so it takes delivery-2's place and goes just before it.
    states = {**PREVIEW, "safety-officer": "half", "safety-reviews": "none"}

    assert table(recommend(states)) == [
        (1, "safety-2", 0.333, (), True, ("safety-reviews",)),  # 0 < 0.40; safety-officer 0.5 is not
        (2, "delivery-2", 1.778, ("safety-2",), False, ("delivery-releases",)),
        (3, "data-3", 0.833, (), True, ("data-quality",)),
    ]


def test_transitive_prerequisites_come_first_and_block() -> None:
    # hosting: (0.25 + 0.5)/2 = 37.5 -> level 2 (hosting-backup at 0.5 does not cap)
    # hosting-2: (4-2) x 2 x 1/6 / M2 = 0.3333 -> 0.333
    # delivery-2 -> safety-2 -> hosting-2: both prerequisites inherit delivery-2's key and then
    # tie on their own (0.333), so id order: hosting-2, safety-2.
    # data-3 is blocked by hosting-3, which is not recommended: hosting is at 2 < 4.
    states = {
        **PREVIEW,
        "safety-officer": "half",
        "safety-reviews": "none",
        "hosting-cloud": "some",
        "hosting-backup": "half",
    }

    assert table(recommend(states)) == [
        (1, "hosting-2", 0.333, (), True, ("hosting-cloud",)),  # 0.25 < 0.40; hosting-backup 0.5 is not
        (2, "safety-2", 0.333, ("hosting-2",), False, ("safety-reviews",)),
        (3, "delivery-2", 1.778, ("safety-2",), False, ("delivery-releases",)),
        (4, "data-3", 0.833, ("hosting-3",), False, ("data-quality",)),
    ]


def test_nothing_answered_recommends_every_first_step_caps_first() -> None:
    # All capabilities at level 1; gaps: ways-of-working 3-1 = 2, operating-model 4-1 = 3.
    # hosting-1:  3 x 2 x 1/6 / S1 = 1.0    capped (hosting-backup unanswered)
    # safety-1:   2 x 3 x 2/9 / M2 = 0.667  capped (safety-officer unanswered)
    # delivery-1: 2 x 4 x 4/9 / S1 = 3.556
    # data-1:     3 x 5 x 1/6 / S1 = 2.5
    # The increment stops at 3; hosting-1 is triggered by its one trigger question only.
    assert table(recommend({})) == [
        (1, "hosting-1", 1.0, (), True, ("hosting-backup",)),
        (2, "safety-1", 0.667, (), True, ("safety-officer", "safety-reviews")),
        (3, "delivery-1", 3.556, (), True, ("delivery-teams", "delivery-releases")),
        (4, "data-1", 2.5, (), False, ("data-catalogue", "data-quality")),
    ]


def test_targets_change_gaps_priorities_and_what_is_below_target() -> None:
    # ways-of-working target 5: safety-2 (5-2) x 3 x 2/9 / 2 = 1.0; delivery-2 (5-2) x 4 x 4/9 = 5.333
    # operating-model target 1: data at 3 is above it, no recommendation.
    recommendations = recommend(PREVIEW, targets={"ways-of-working": 5, "operating-model": 1})

    assert [(r.recommendation_id, r.priority) for r in recommendations] == [
        ("safety-2", 1.0),
        ("delivery-2", 5.333),
    ]


def test_the_increment_size_limits_the_work_in_progress() -> None:
    assert [r.recommendation_id for r in recommend(PREVIEW, increment_size=1) if r.in_next_increment] == [
        "safety-2"
    ]
    assert not any(r.in_next_increment for r in recommend(PREVIEW, increment_size=0))


def test_no_capability_below_target_means_no_recommendations() -> None:
    assert recommend(PREVIEW, targets={"ways-of-working": 1, "operating-model": 1}) == ()
