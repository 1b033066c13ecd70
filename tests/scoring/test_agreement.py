"""Agreement between respondents on hand-computed cases of the small framework, and its invariants.

The small framework's options are the same on every question: none 0 | some 0.25 | half 0.5 |
most 0.75 | all 1. ways-of-working holds safety-officer, safety-reviews (N/A-able),
delivery-teams, delivery-releases (N/A-able); operating-model holds hosting-cloud, hosting-backup
(both N/A-able), data-catalogue, data-quality.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from random import Random

from hypothesis import given
from hypothesis import strategies as st

from baseline_scoring.engine import AgreementResult, QuestionAgreement, agreement, votes
from tests.scoring.engine_support import ENGINE_PROFILE, NA, answers, question_states, small_framework

FRAMEWORK = small_framework()

States = Mapping[str, str]


def agree(*respondents: States) -> AgreementResult:
    return agreement(FRAMEWORK, [votes(answers(states)) for states in respondents])


def question(result: AgreementResult, question_id: str) -> QuestionAgreement:
    return next(q for q in result.questions if q.question_id == question_id)


def test_three_respondents_at_0_half_and_1() -> None:
    result = agree({"delivery-teams": "none"}, {"delivery-teams": "half"}, {"delivery-teams": "all"})
    found = question(result, "delivery-teams")
    assert (found.answered, found.spread, found.agreed) == (3, 1.0, False)
    assert (found.suggested_value, found.suggested_not_applicable) == ("half", False)
    assert (found.lowest_value, found.lowest_not_applicable) == ("none", False)
    assert (result.confidence, result.questions_compared) == (0.0, 1)
    pillars = {p.pillar_id: (p.confidence, p.questions_compared) for p in result.pillars}
    assert pillars == {"ways-of-working": (0.0, 1), "operating-model": (None, 0)}


def test_confidence_is_one_minus_the_mean_spread_per_pillar_and_overall() -> None:
    # safety-officer: some/most -> 0.5; delivery-teams: half/half -> 0; data-quality: all/most -> 0.25.
    result = agree(
        {"safety-officer": "some", "delivery-teams": "half", "data-quality": "all"},
        {"safety-officer": "most", "delivery-teams": "half", "data-quality": "most"},
    )
    spreads = {q.question_id: (q.spread, q.agreed) for q in result.questions}
    assert spreads == {
        "safety-officer": (0.5, False),
        "delivery-teams": (0.0, True),
        "data-quality": (0.25, True),
    }
    pillars = {p.pillar_id: (p.confidence, p.questions_compared) for p in result.pillars}
    assert pillars == {"ways-of-working": (0.75, 2), "operating-model": (0.75, 1)}
    assert (result.confidence, result.questions_compared) == (0.75, 3)  # 1 - 0.75 / 3


def test_a_tie_suggests_the_lower_median() -> None:
    found = question(agree({"data-quality": "all"}, {"data-quality": "some"}), "data-quality")
    assert (found.suggested_value, found.spread, found.agreed) == ("some", 0.75, False)
    four = agree(*({"data-quality": value} for value in ["all", "half", "most", "none"]))
    assert question(four, "data-quality").suggested_value == "half"


def test_a_question_one_person_answered_has_no_spread_and_is_not_compared() -> None:
    result = agree({"safety-officer": "all", "data-quality": "half"}, {"safety-officer": "all"})
    found = question(result, "data-quality")
    assert (found.answered, found.spread, found.agreed) == (1, None, None)
    assert (found.suggested_value, found.lowest_value) == ("half", "half")
    assert (result.confidence, result.questions_compared) == (1.0, 1)
    assert [(p.confidence, p.questions_compared) for p in result.pillars] == [(1.0, 1), (None, 0)]


def test_a_split_between_not_applicable_and_an_option_has_spread_one() -> None:
    found = question(agree({"hosting-cloud": NA}, {"hosting-cloud": "all"}), "hosting-cloud")
    assert (found.spread, found.agreed) == (1.0, False)
    # A tie goes to the option: not applicable is suggested only when most respondents say so.
    assert (found.suggested_value, found.suggested_not_applicable) == ("all", False)
    assert (found.lowest_value, found.lowest_not_applicable) == ("all", False)
    most_say_na = agree({"hosting-cloud": NA}, {"hosting-cloud": NA}, {"hosting-cloud": "some"})
    found = question(most_say_na, "hosting-cloud")
    assert (found.suggested_value, found.suggested_not_applicable, found.spread) == (None, True, 1.0)


def test_all_not_applicable_is_agreement() -> None:
    found = question(agree({"hosting-cloud": NA}, {"hosting-cloud": NA}), "hosting-cloud")
    assert (found.spread, found.agreed) == (0.0, True)
    assert (found.suggested_not_applicable, found.lowest_not_applicable) == (True, True)


def test_no_respondents_or_no_answers_give_no_confidence() -> None:
    for result in (agree(), agree({}, {})):
        assert (result.confidence, result.questions_compared, result.questions) == (None, 0, ())
        assert all(p.confidence is None for p in result.pillars)


def _answered(states: States) -> dict[str, str]:
    return {question_id: state for question_id, state in states.items() if state != "<unanswered>"}


RESPONDENTS = st.lists(question_states(FRAMEWORK).map(_answered), min_size=0, max_size=6)


def _confidences(result: AgreementResult) -> list[float | None]:
    return [result.confidence, *(p.confidence for p in result.pillars)]


@ENGINE_PROFILE
@given(RESPONDENTS)
def test_confidence_is_between_zero_and_one(respondents: Sequence[States]) -> None:
    result = agree(*respondents)
    assert all(c is None or 0 <= c <= 1 for c in _confidences(result))
    assert all(q.spread is None or 0 <= q.spread <= 1 for q in result.questions)
    assert result.questions_compared == sum(p.questions_compared for p in result.pillars)


@ENGINE_PROFILE
@given(question_states(FRAMEWORK).map(_answered), st.integers(2, 6))
def test_identical_answers_give_confidence_one(states: States, count: int) -> None:
    result = agree(*[states] * count)
    expected = 1.0 if states else None
    assert result.confidence == expected
    assert all(p.confidence in (1.0, None) for p in result.pillars)
    assert all(q.agreed for q in result.questions)


@ENGINE_PROFILE
@given(RESPONDENTS)
def test_a_respondent_who_agrees_with_the_median_never_lowers_confidence(
    respondents: Sequence[States],
) -> None:
    before = agree(*respondents)
    median = {
        q.question_id: NA if q.suggested_not_applicable else str(q.suggested_value) for q in before.questions
    }
    after = agree(*respondents, median)
    for old, new in zip(_confidences(before), _confidences(after), strict=True):
        assert old is None or (new is not None and new >= old)


@ENGINE_PROFILE
@given(RESPONDENTS)
def test_the_confidences_alone_are_those_of_the_whole(respondents: Sequence[States]) -> None:
    whole = agree(*respondents)
    alone = agreement(FRAMEWORK, [votes(answers(states)) for states in respondents], per_question=False)
    assert alone == whole.model_copy(update={"questions": ()})


@ENGINE_PROFILE
@given(RESPONDENTS, st.randoms(use_true_random=False))
def test_the_order_of_respondents_and_answers_does_not_matter(
    respondents: Sequence[States], rng: Random
) -> None:
    shuffled = []
    for states in rng.sample(list(respondents), len(respondents)):
        items = list(states.items())
        rng.shuffle(items)
        shuffled.append(dict(items))
    assert agree(*shuffled) == agree(*respondents)
