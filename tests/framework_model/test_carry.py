"""Carrying answers across versions: never invent an option, never raise a score, list what is lost.

Properties run over every pair of packaged versions that a crosswalk joins (1.0.0 -> 1.1.0, and
1.0.0 and 1.1.0 -> 2.0.0), with random answers; a few hand-made cases pin the reasons.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framework_model import (
    Answer,
    Framework,
    NoCrosswalkError,
    carry_answers,
    check_answers,
    crosswalk_question_ids,
    default_catalogue,
    framework_index,
    load_framework,
)
from tests.framework_model.support import Route, crosswalk_routes

FRAMEWORK_ID = "nhs-digital-readiness"
VERSIONS = [f.version for f in default_catalogue().versions(FRAMEWORK_ID)]
PAIRS = [
    (old, new) for new in VERSIONS for old in VERSIONS if old in load_framework(FRAMEWORK_ID, new).crosswalk
]


@st.composite
def answer_sets(draw: st.DrawFn, framework: Framework) -> list[Answer]:
    """Random answers: each question unanswered, not applicable where allowed, or any option."""
    answers = []
    for question_id, ref in framework_index(framework).questions.items():
        choices: list[Answer | None] = [
            None,
            *(Answer(question_id=question_id, value=o.option_id) for o in ref.question.options),
        ]
        if ref.question.allow_na:
            choices.append(Answer(question_id=question_id, not_applicable=True))
        picked = draw(st.sampled_from(choices))
        if picked is not None:
            answers.append(picked)
    return answers


def test_every_older_version_crosswalks_to_the_latest() -> None:
    latest = VERSIONS[-1]
    assert {(old, latest) for old in VERSIONS[:-1]} <= set(PAIRS)


@pytest.mark.parametrize(("old", "new"), PAIRS)
@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(data=st.data())
def test_carrying_never_invents_never_raises_and_lists_what_it_loses(
    old: str, new: str, data: st.DataObject
) -> None:
    source, target = load_framework(FRAMEWORK_ID, old), load_framework(FRAMEWORK_ID, new)
    answers = data.draw(answer_sets(source))
    carried = carry_answers(source, target, answers)
    given_by_id = {a.question_id: a for a in answers}
    routes_to: dict[str, list[Route]] = defaultdict(list)
    for route in crosswalk_routes(source, target):
        routes_to[route[1]].append(route)
    scores = {
        qid: {o.option_id: o.score for o in ref.question.options}
        for qid, ref in framework_index(target).questions.items()
    }

    assert check_answers(target, list(carried.answers)) == []  # every carried answer fits the target
    for answer in carried.answers:
        sources = [given_by_id[r[0]] for r in routes_to[answer.question_id]]
        if answer.not_applicable:
            assert all(s.not_applicable for s in sources)
            continue
        mapped = [r[2][s.value or ""] for r, s in zip(routes_to[answer.question_id], sources, strict=True)]
        assert answer.value in mapped  # never invented
        option_scores = scores[answer.question_id]
        assert option_scores[answer.value or ""] == min(option_scores[m] for m in mapped if m is not None)

    for answer in carried.answers:  # each carried answer names exactly the questions it came from
        assert set(carried.sources[answer.question_id]) == {r[0] for r in routes_to[answer.question_id]}
    assert set(carried.sources) == {a.question_id for a in carried.answers}
    for item in carried.not_carried:
        assert item.code == _expected_code(item.question_id, routes_to, given_by_id)

    listed = {item.question_id for item in carried.not_carried}
    carried_ids = {a.question_id for a in carried.answers}
    routed = {r[0] for routes in routes_to.values() for r in routes}
    for question_id in given_by_id:
        heirs = {to for to, routes in routes_to.items() if any(r[0] == question_id for r in routes)}
        if question_id not in routed:
            assert question_id in listed, f"{question_id} was dropped but not listed"
        else:
            assert heirs <= carried_ids | listed, f"{question_id}'s answer vanished"


def _expected_code(question_id: str, routes_to: dict[str, list[Route]], given: dict[str, Answer]) -> str:
    """The code the specification gives a question that is not carried, worked out from the routes."""
    routes = routes_to.get(question_id)
    if routes is None:
        return "dropped"
    sources = [given.get(r[0]) for r in routes]
    if any(s is None for s in sources):
        return "source-unanswered"
    if any(s is not None and s.not_applicable for s in sources):
        return "not-applicable"
    return "no-counterpart"


def _first_form_pair() -> tuple[Framework, Framework]:
    return load_framework(FRAMEWORK_ID, "1.0.0"), load_framework(FRAMEWORK_ID, "1.1.0")


def test_the_same_version_carries_everything_as_it_is() -> None:
    framework = load_framework(FRAMEWORK_ID, "1.1.0")
    answers = [
        Answer(question_id=q, value=framework_index(framework).option_ids(q)[1])
        for q in framework_index(framework).questions
    ]
    carried = carry_answers(framework, framework, answers)
    assert list(carried.answers) == answers
    assert carried.not_carried == ()


def test_an_answer_to_a_split_question_is_carried_only_where_its_option_still_exists() -> None:
    source, target = _first_form_pair()
    old_id = next(iter(framework_index(source).questions))
    new_id = crosswalk_question_ids(target, "1.0.0", from_framework=source)[old_id]
    kept = set(framework_index(target).option_ids(new_id))
    for option_id in framework_index(source).option_ids(old_id):
        carried = carry_answers(source, target, [Answer(question_id=old_id, value=option_id)])
        if option_id in kept:
            assert [a.value for a in carried.answers if a.question_id == new_id] == [option_id]
        else:
            assert [item.question_id for item in carried.not_carried] == [new_id]
            assert carried.not_carried[0].code == "no-counterpart"
            assert "has no counterpart" in carried.not_carried[0].reason


def test_no_crosswalk_backwards() -> None:
    old, new = _first_form_pair()
    with pytest.raises(NoCrosswalkError):
        carry_answers(new, old, [])
