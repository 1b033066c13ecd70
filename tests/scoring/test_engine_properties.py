"""Invariants of the scoring engine, checked over generated assessments of the small framework."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from random import Random

from hypothesis import given
from hypothesis import strategies as st

from baseline_scoring.engine import ScoreResult, score_assessment
from tests.scoring.engine_support import (
    CONTENT_HASH,
    ENGINE_PROFILE,
    NA,
    UNANSWERED,
    answers,
    complete_states,
    question_states,
    questions,
    small_framework,
    small_framework_without,
    targets,
)

FRAMEWORK = small_framework()
OPTION_SCORES = {q.question_id: {o.option_id: o.score for o in q.options} for q in questions(FRAMEWORK)}
RULES = {rule.recommendation_id: rule for rule in FRAMEWORK.recommendations}
CAPABILITY_QUESTIONS = {
    c.capability_id: {q.question_id for q in c.questions} for p in FRAMEWORK.pillars for c in p.capabilities
}


def score(
    states: Mapping[str, str], goal: Mapping[str, int] | None = None, increment_size: int = 3
) -> ScoreResult:
    return score_assessment(
        FRAMEWORK, answers(states), content_hash=CONTENT_HASH, targets=goal, increment_size=increment_size
    )


def all_scores(result: ScoreResult) -> Iterator[float | None]:
    yield result.overall.score
    for pillar in result.pillars:
        yield pillar.score
        yield from (capability.score for capability in pillar.capabilities)


def all_levels(result: ScoreResult) -> Iterator[int | None]:
    yield result.overall.level
    for pillar in result.pillars:
        yield pillar.level
        yield from (capability.level for capability in pillar.capabilities)


@ENGINE_PROFILE
@given(question_states(FRAMEWORK), targets(FRAMEWORK))
def test_scores_levels_and_fractions_stay_in_range(states: dict[str, str], goal: dict[str, int]) -> None:
    result = score(states, goal)

    assert all(s is None or 0 <= s <= 100 for s in all_scores(result))
    assert all(level is None or 1 <= level <= 5 for level in all_levels(result))
    percents = [result.overall.percent_to_target, *(p.percent_to_target for p in result.pillars)]
    assert all(p is None or 0 <= p <= 100 for p in percents)
    assert all(0 <= c <= 1 for c in [result.completeness, *(p.completeness for p in result.pillars)])
    assert all(p.gap == (0 if p.level is None else max(0, p.target_level - p.level)) for p in result.pillars)


@ENGINE_PROFILE
@given(question_states(FRAMEWORK), st.data())
def test_raising_one_answer_never_lowers_a_score(states: dict[str, str], data: st.DataObject) -> None:
    raisable = sorted(q for q, state in states.items() if state != NA)
    question_id = data.draw(st.sampled_from(raisable))
    current = OPTION_SCORES[question_id].get(states[question_id], 0.0)
    higher = sorted(o for o, s in OPTION_SCORES[question_id].items() if s >= current)
    raised = {**states, question_id: data.draw(st.sampled_from(higher))}

    for before, after in zip(all_scores(score(states)), all_scores(score(raised)), strict=True):
        assert (before is None) == (after is None)
        assert before is None or after is None or after >= before


@ENGINE_PROFILE
@given(question_states(FRAMEWORK), targets(FRAMEWORK), st.randoms(use_true_random=False))
def test_the_order_of_answers_does_not_matter(
    states: dict[str, str], goal: dict[str, int], rng: Random
) -> None:
    shuffled = answers(states)
    rng.shuffle(shuffled)

    reordered = score_assessment(FRAMEWORK, shuffled, content_hash=CONTENT_HASH, targets=goal)
    assert reordered.model_dump_json() == score(states, goal).model_dump_json()


@ENGINE_PROFILE
@given(question_states(FRAMEWORK), targets(FRAMEWORK), st.integers(0, 5))
def test_the_same_input_gives_byte_identical_json(
    states: dict[str, str], goal: dict[str, int], increment_size: int
) -> None:
    assert (
        score(states, goal, increment_size).model_dump_json()
        == score(states, goal, increment_size).model_dump_json()
    )


@ENGINE_PROFILE
@given(
    question_states(FRAMEWORK),
    st.sampled_from(sorted(q.question_id for q in questions(FRAMEWORK) if q.allow_na)),
)
def test_not_applicable_is_the_same_as_leaving_the_question_out(
    states: dict[str, str], question_id: str
) -> None:
    with_na = score({**states, question_id: NA})
    without = score_assessment(
        small_framework_without(question_id),
        answers({q: s for q, s in states.items() if q != question_id}),
        content_hash="sha256:without",
    )

    assert list(all_scores(with_na)) == list(all_scores(without))
    assert list(all_levels(with_na)) == list(all_levels(without))
    assert [p.capped_by for p in with_na.pillars] == [p.capped_by for p in without.pillars]


@ENGINE_PROFILE
@given(question_states(FRAMEWORK))
def test_an_all_not_applicable_capability_drops_out_of_its_pillar(states: dict[str, str]) -> None:
    result = score({**states, "hosting-cloud": NA, "hosting-backup": NA})

    hosting, data = result.pillars[1].capabilities
    assert (hosting.score, hosting.level, hosting.critical_capped) == (None, None, False)
    assert result.pillars[1].score == data.score
    assert result.pillars[1].capped_by == ()


@ENGINE_PROFILE
@given(complete_states(FRAMEWORK))
def test_a_complete_assessment_is_complete(states: dict[str, str]) -> None:
    result = score(states)

    assert result.completeness == 1.0
    assert all(p.completeness == 1.0 for p in result.pillars)
    assert UNANSWERED not in states.values()


@ENGINE_PROFILE
@given(question_states(FRAMEWORK), targets(FRAMEWORK), st.integers(0, 5))
def test_recommendations_are_next_steps_below_target(
    states: dict[str, str], goal: dict[str, int], increment_size: int
) -> None:
    result = score(states, goal, increment_size)
    capabilities = {c.capability_id: (p, c) for p in result.pillars for c in p.capabilities}

    for recommendation in result.recommendations:
        pillar, capability = capabilities[recommendation.capability_id]
        assert capability.level is not None
        assert capability.level < pillar.target_level
        assert recommendation.from_level == capability.level
        assert recommendation.to_level == recommendation.from_level + 1
        assert recommendation.pillar_id == pillar.pillar_id
    below_target = [
        c.capability_id
        for p in result.pillars
        for c in p.capabilities
        if c.level is not None and c.level < p.target_level
    ]
    # Every rule set of the small framework covers levels 1-4, so each one below target gets exactly one.
    assert sorted(r.capability_id for r in result.recommendations) == sorted(below_target)


@ENGINE_PROFILE
@given(question_states(FRAMEWORK), targets(FRAMEWORK), st.integers(0, 5))
def test_ranks_prerequisites_blocks_and_the_increment(
    states: dict[str, str], goal: dict[str, int], increment_size: int
) -> None:
    recommendations = score(states, goal, increment_size).recommendations
    rank = {r.recommendation_id: r.rank for r in recommendations}

    assert [r.rank for r in recommendations] == list(range(1, len(recommendations) + 1))
    for recommendation in recommendations:
        for prerequisite in _prerequisites(recommendation.recommendation_id):
            assert prerequisite not in rank or rank[prerequisite] < recommendation.rank
        assert set(recommendation.blocked_by) <= set(recommendation.depends_on)
    unblocked = [r.recommendation_id for r in recommendations if not r.blocked_by]
    chosen = [r.recommendation_id for r in recommendations if r.in_next_increment]
    assert chosen == unblocked[:increment_size]


@ENGINE_PROFILE
@given(question_states(FRAMEWORK), targets(FRAMEWORK))
def test_triggers_name_what_holds_the_capability_back(states: dict[str, str], goal: dict[str, int]) -> None:
    critical = {q.question_id for q in questions(FRAMEWORK) if q.critical}
    minimum = FRAMEWORK.critical_rule.min_score
    for recommendation in score(states, goal).recommendations:
        rule = RULES[recommendation.recommendation_id]
        threshold = next(band.min_score for band in FRAMEWORK.levels if band.level == rule.to_level) / 100
        assert recommendation.triggered_by, recommendation.recommendation_id
        for question_id in recommendation.triggered_by:
            assert question_id in CAPABILITY_QUESTIONS[rule.capability_id]
            chosen = OPTION_SCORES[question_id].get(states[question_id], 0.0)
            holds_back = states[question_id] != NA and chosen < threshold
            caps = question_id in critical and states[question_id] != NA and chosen < minimum
            assert holds_back or caps, (recommendation.recommendation_id, question_id)


def _prerequisites(recommendation_id: str) -> set[str]:
    """Every rule that recommendation_id depends on, directly or through others."""
    found: set[str] = set()
    stack = list(RULES[recommendation_id].depends_on)
    while stack:
        rule_id = stack.pop()
        if rule_id not in found:
            found.add(rule_id)
            stack.extend(RULES[rule_id].depends_on)
    return found
