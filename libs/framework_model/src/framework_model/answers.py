"""Answers to a framework's questions, and the check that they fit a framework version.

Both services check answers with the same code: the gateway before it stores them, the
scoring service before it scores them, so a client hears the same complaint from either.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict, Field

from framework_model.index import NOT_APPLICABLE, Accepted, framework_index
from framework_model.models import Framework, Question
from framework_model.profiles import Profile, asks

__all__ = ["Answer", "AnswerParts", "AnswerProblem", "answers_fit", "check_answer", "check_answers"]


class Answer(BaseModel):
    """One answer: an option id, or not applicable."""

    model_config = ConfigDict(frozen=True)

    question_id: str = Field(min_length=1, max_length=64, examples=["wow-cs-safety-officer"])
    value: str | None = Field(default=None, max_length=64, description="The chosen option_id.")
    not_applicable: bool = False


class AnswerProblem(BaseModel):
    """What is wrong with one answer: ``field`` is a path into the request body."""

    model_config = ConfigDict(frozen=True)

    field: str
    message: str


def check_answers(
    framework: Framework,
    answers: Sequence[Answer],
    *,
    field_prefix: str = "responses",
    profile: Profile = "full",
) -> list[AnswerProblem]:
    """Every problem with a list of answers, each at a field like ``responses[3].value``.

    Besides what ``check_answer`` finds in each answer, a question answered more than once
    is flagged at its second and later answers: which one was meant is anyone's guess.
    """
    if answers_fit(framework, ((a.question_id, a.value, a.not_applicable) for a in answers), profile):
        return []  # the usual case, checked without building a field name per answer
    problems: list[AnswerProblem] = []
    first_at: dict[str, str] = {}
    for i, answer in enumerate(answers):
        prefix = f"{field_prefix}[{i}]"
        first = first_at.setdefault(answer.question_id, prefix)
        if first != prefix:
            message = f"question {answer.question_id!r} is answered more than once (first at {first})"
            problems.append(_problem(prefix, "question_id", message))
        problems.extend(check_answer(framework, answer, field_prefix=prefix, profile=profile))
    return problems


#: An answer as (question id, value, not applicable), however it arrived: an ``Answer``, or a
#: respondent's answer as the scoring service takes it.
AnswerParts = tuple[str, str | None, bool]

_NOTHING: frozenset[Accepted] = frozenset()


def answers_fit(framework: Framework, answers: Iterable[AnswerParts], profile: Profile = "full") -> bool:
    """Whether ``check_answers`` would find nothing wrong: every answer fits and each question is
    answered once. One set lookup an answer, for the usual case, where no problem needs naming."""
    index = framework_index(framework)
    accepted = index.accepted if profile == "full" else index.accepted_lead
    seen: set[str] = set()
    for question_id, value, not_applicable in answers:
        given: Accepted | None = value
        if not_applicable:
            given = NOT_APPLICABLE if given is None else None  # a value as well never fits
        # None (no value, or both) is never accepted; nor is a question the profile does not ask.
        if given not in accepted.get(question_id, _NOTHING) or question_id in seen:
            return False
        seen.add(question_id)
    return True


def check_answer(
    framework: Framework, answer: Answer, *, field_prefix: str = "", profile: Profile = "full"
) -> list[AnswerProblem]:
    """Every problem with one answer on its own; fields are ``question_id``, ``value``, ``not_applicable``.

    ``field_prefix`` is put in front of each field, joined with a dot. A question that ``profile``
    does not ask (a quick assessment asks only lead questions) is refused like an unknown one.
    """
    found = framework_index(framework).questions.get(answer.question_id)
    if found is None:
        where = f"{framework.framework_id} {framework.version}"
        problems = [
            _problem(field_prefix, "question_id", f"unknown question {answer.question_id!r} in {where}")
        ]
    elif not asks(found.question, profile):
        message = (
            f"question {answer.question_id!r} is not asked in the {profile} profile (only lead questions are)"
        )
        problems = [_problem(field_prefix, "question_id", message)]
    else:
        problems = _fit_problems(found.question, answer, field_prefix)
    return problems + _shape_problems(answer, field_prefix)


def _fit_problems(question: Question, answer: Answer, prefix: str) -> list[AnswerProblem]:
    """Whether the answer is one this question accepts."""
    problems: list[AnswerProblem] = []
    allowed = [option.option_id for option in question.options]
    if answer.value is not None and answer.value not in allowed:
        message = f"{answer.value!r} is not an option of question {question.question_id!r}"
        message += f"; allowed: {', '.join(allowed)}"
        problems.append(_problem(prefix, "value", message))
    if answer.not_applicable and not question.allow_na:
        message = f"question {question.question_id!r} cannot be answered not applicable"
        problems.append(_problem(prefix, "not_applicable", message))
    return problems


def _shape_problems(answer: Answer, prefix: str) -> list[AnswerProblem]:
    """An answer is a value or not applicable: exactly one of the two."""
    if answer.not_applicable and answer.value is not None:
        return [_problem(prefix, "value", "must be null when not_applicable is true")]
    if not answer.not_applicable and answer.value is None:
        return [_problem(prefix, "value", "an option id is required unless not_applicable is true")]
    return []


def _problem(prefix: str, name: str, message: str) -> AnswerProblem:
    return AnswerProblem(field=f"{prefix}.{name}" if prefix else name, message=message)
