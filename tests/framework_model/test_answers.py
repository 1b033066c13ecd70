"""check_answers: every problem with a list of answers, at its field path."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from framework_model import (
    Answer,
    AnswerProblem,
    Framework,
    Profile,
    check_answer,
    check_answers,
    framework_index,
    latest_published,
)


def _fields(problems: list[AnswerProblem]) -> list[str]:
    return [problem.field for problem in problems]


def test_good_answers_have_no_problems(demo: Framework) -> None:
    answers = [
        Answer(question_id="culture-blameless", value="always"),
        Answer(question_id="culture-learning", value="no"),
        Answer(question_id="safety-officer", value="yes"),
        Answer(question_id="exit-plan", not_applicable=True),
    ]
    assert check_answers(demo, answers) == []


def test_an_unknown_question(demo: Framework) -> None:
    answers = [Answer(question_id="culture-blameless", value="never"), Answer(question_id="ghost", value="x")]
    assert check_answers(demo, answers) == [
        AnswerProblem(
            field="responses[1].question_id", message="unknown question 'ghost' in demo-readiness 1.0.0"
        )
    ]


def test_a_value_that_is_not_an_option_lists_the_allowed_ones(demo: Framework) -> None:
    [problem] = check_answers(demo, [Answer(question_id="culture-blameless", value="often")])
    assert problem.field == "responses[0].value"
    assert (
        problem.message
        == "'often' is not an option of question 'culture-blameless'; allowed: never, sometimes, always"
    )


def test_not_applicable_where_the_question_does_not_allow_it(demo: Framework) -> None:
    [problem] = check_answers(demo, [Answer(question_id="safety-officer", not_applicable=True)])
    assert problem == AnswerProblem(
        field="responses[0].not_applicable",
        message="question 'safety-officer' cannot be answered not applicable",
    )


def test_not_applicable_with_a_value(demo: Framework) -> None:
    [problem] = check_answers(demo, [Answer(question_id="exit-plan", value="all", not_applicable=True)])
    assert problem == AnswerProblem(
        field="responses[0].value", message="must be null when not_applicable is true"
    )


def test_neither_a_value_nor_not_applicable(demo: Framework) -> None:
    [problem] = check_answers(demo, [Answer(question_id="exit-plan")])
    assert problem.field == "responses[0].value"
    assert "required unless not_applicable" in problem.message


def test_a_question_answered_twice_is_flagged_at_the_later_answers(demo: Framework) -> None:
    answers = [
        Answer(question_id="exit-plan", value="all"),
        Answer(question_id="culture-blameless", value="never"),
        Answer(question_id="exit-plan", value="none"),
        Answer(question_id="exit-plan", value="some"),
    ]
    problems = check_answers(demo, answers)
    assert _fields(problems) == ["responses[2].question_id", "responses[3].question_id"]
    assert problems[0].message == "question 'exit-plan' is answered more than once (first at responses[0])"


def test_every_problem_is_returned(demo: Framework) -> None:
    answers = [
        Answer(question_id="ghost"),
        Answer(question_id="safety-officer", value="maybe", not_applicable=True),
        Answer(question_id="culture-blameless", value="never"),
        Answer(question_id="ghost", value="x"),
    ]
    assert _fields(check_answers(demo, answers)) == [
        "responses[0].question_id",
        "responses[0].value",
        "responses[1].value",
        "responses[1].not_applicable",
        "responses[1].value",
        "responses[3].question_id",
        "responses[3].question_id",
    ]


def test_the_field_prefix_is_configurable(demo: Framework) -> None:
    problems = check_answers(demo, [Answer(question_id="exit-plan")], field_prefix="items[4].responses")
    assert _fields(problems) == ["items[4].responses[0].value"]


def test_one_answer_alone_has_bare_fields(demo: Framework) -> None:
    assert _fields(check_answer(demo, Answer(question_id="culture-blameless", value="x"))) == ["value"]
    assert check_answer(demo, Answer(question_id="culture-blameless", value="never")) == []


def test_the_index_places_each_question(demo: Framework) -> None:
    index = framework_index(demo)
    found = index.questions["exit-plan"]
    assert (found.pillar_id, found.capability_id, found.question.question_id) == (
        "suppliers",
        "exit",
        "exit-plan",
    )
    assert index.capabilities["safety"].pillar_id == "people"
    assert index.option_ids("culture-blameless") == ("never", "sometimes", "always")
    assert list(index.recommendations) == [r.recommendation_id for r in demo.recommendations]
    assert framework_index(demo) is index  # cached on the instance


def _answers_of(framework: Framework) -> st.SearchStrategy[list[Answer]]:
    """Answers that fit and answers that do not: unknown questions and options, values beside
    not applicable, neither, not applicable where it is refused, the same question twice."""
    index = framework_index(framework)
    known = list(index.questions)
    options = sorted({o for qid in known for o in index.option_ids(qid)})
    anything = st.builds(
        Answer,
        question_id=st.sampled_from([*known, "ghost"]),
        value=st.one_of(st.none(), st.sampled_from([*options, "nope"])),
        not_applicable=st.booleans(),
    )
    fitting = st.sampled_from(known).flatmap(
        lambda qid: st.one_of(
            st.builds(Answer, question_id=st.just(qid), value=st.sampled_from(index.option_ids(qid))),
            st.just(Answer(question_id=qid, not_applicable=True)),
        )
    )
    return st.lists(st.one_of(fitting, fitting, fitting, fitting, anything), max_size=8)


@settings(derandomize=True, max_examples=300, database=None, deadline=None)
@given(data=st.data(), profile=st.sampled_from(["full", "quick"]))
def test_a_list_has_no_problem_exactly_when_no_answer_has_one(data: st.DataObject, profile: Profile) -> None:
    # The whole list is first checked as one (a fast path without field names); it must agree
    # with the answers checked one by one.
    framework = latest_published("nhs-digital-readiness")
    answers = data.draw(_answers_of(framework))
    once = len({a.question_id for a in answers}) == len(answers)
    fits = once and all(check_answer(framework, a, profile=profile) == [] for a in answers)
    assert (check_answers(framework, answers, profile=profile) == []) == fits
