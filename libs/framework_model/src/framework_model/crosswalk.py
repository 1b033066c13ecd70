"""Carrying answers from an earlier framework version to a later one, through its crosswalk.

A crosswalk comes in two forms. The first (1.1.0) maps the question ids that changed; an answer
carries where its option id also exists in the new question. The second (2.0.0 on) maps option by
option and accounts for every earlier question. Both are read here as one plan of routes, each
from an earlier question to a later one with its option map, so carrying has one set of rules:

- nothing is invented: a carried answer is a mapped option of the later question, and when
  several earlier answers feed one question the lowest-scoring mapped option wins;
- a question is not carried, and is listed with the reason, when any question it comes from was
  unanswered or its answer maps to ``null``, when its sources disagree on being applicable, or
  when a not-applicable answer meets a question that must be answered;
- an answered question the later version dropped is listed with the crosswalk's reason.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from framework_model.answers import Answer
from framework_model.exceptions import NoCrosswalkError
from framework_model.index import framework_index
from framework_model.models import Framework, OptionCrosswalk, Question
from framework_model.versions import version_key

__all__ = [
    "CarriedAnswers",
    "NotCarried",
    "NotCarriedCode",
    "capability_crosswalk",
    "carry_answers",
    "crosswalk_question_ids",
]


#: Why an answer was not carried, one code per case of the improvement plan's specification:
#: the later version dropped the question (``dropped``); an answer maps to ``null`` or, in the first
#: form, to an option the later question lacks (``no-counterpart``); a question the answer feeds
#: also comes from one that was left unanswered (``source-unanswered``); a not-applicable answer
#: meets a question that must be answered, or answered ones it must be merged with
#: (``not-applicable``).
NotCarriedCode = Literal["dropped", "no-counterpart", "source-unanswered", "not-applicable"]


class NotCarried(BaseModel):
    """An answer that could not be carried: ``question_id`` is the later version's question, or the
    earlier one's when the later version dropped it."""

    model_config = ConfigDict(frozen=True)

    question_id: str
    code: NotCarriedCode
    reason: str


class CarriedAnswers(BaseModel):
    model_config = ConfigDict(frozen=True)

    answers: tuple[Answer, ...]
    not_carried: tuple[NotCarried, ...]
    sources: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="Each carried answer's question -> the earlier questions it was carried from.",
    )


@dataclass(frozen=True)
class _Route:
    from_question: str
    to_question: str
    options: Mapping[str, str | None]


@dataclass(frozen=True)
class _Plan:
    routes: tuple[_Route, ...]
    dropped: Mapping[str, str]  # earlier question id -> reason


def carry_answers(source: Framework, target: Framework, answers: Sequence[Answer]) -> CarriedAnswers:
    """``answers`` to ``source`` as answers to ``target``, in ``target``'s question order."""
    plan = _plan(source, target)
    given = {answer.question_id: answer for answer in answers}
    carried: dict[str, Answer] = {}
    not_carried = [
        NotCarried(question_id=question_id, code="dropped", reason=f"Dropped in {target.version}: {reason}")
        for question_id, reason in plan.dropped.items()
        if question_id in given
    ]
    questions = framework_index(target).questions
    by_target = _by_target(plan.routes)
    for to_question, routes in by_target.items():
        outcome = _carry_one(questions[to_question].question, routes, given)
        if isinstance(outcome, Answer):
            carried[to_question] = outcome
        elif outcome is not None:
            not_carried.append(NotCarried(question_id=to_question, code=outcome[0], reason=outcome[1]))
    ordered = tuple(carried[qid] for qid in questions if qid in carried)
    sources = {a.question_id: tuple(r.from_question for r in by_target[a.question_id]) for a in ordered}
    return CarriedAnswers(answers=ordered, not_carried=tuple(not_carried), sources=sources)


def crosswalk_question_ids(
    framework: Framework, from_version: str, *, from_framework: Framework | None = None
) -> dict[str, str]:
    """Map question ids of ``from_version`` to this ``framework``'s (the first route of each).

    In the first crosswalk form an id that exists in both versions carries over as itself; pass
    the earlier version as ``from_framework`` to keep only its ids (without it, every id of
    ``framework`` maps to itself too). ``NoCrosswalkError`` if the framework has no crosswalk from
    ``from_version`` (and is not that version).
    """
    if from_framework is not None and from_framework.version != from_version:
        raise ValueError(f"from_framework is version {from_framework.version}, not {from_version}")
    entry = framework.crosswalk.get(from_version)
    if from_version != framework.version and entry is None:
        raise NoCrosswalkError(framework.framework_id, framework.version, from_version)
    if isinstance(entry, OptionCrosswalk):
        mapping: dict[str, str] = {}
        for route in entry.map:
            mapping.setdefault(route.from_question, route.to_question)
        return mapping
    mapping = {question_id: question_id for question_id in framework_index(framework).questions}
    mapping.update(entry or {})
    if from_framework is not None:
        old_ids = framework_index(from_framework).questions
        mapping = {old: new for old, new in mapping.items() if old in old_ids}
    return mapping


def capability_crosswalk(source: Framework, target: Framework) -> dict[str, str | None]:
    """Each capability of ``source`` -> the capability of ``target`` that continues it: the same id
    when ``target`` has it, else the one most of its questions are carried to (None: no heir)."""
    target_capabilities = framework_index(target).capabilities
    owner = {qid: ref.capability_id for qid, ref in framework_index(target).questions.items()}
    heirs: dict[str, Counter[str]] = defaultdict(Counter)
    source_questions = framework_index(source).questions
    for route in _plan(source, target).routes:
        heirs[source_questions[route.from_question].capability_id][owner[route.to_question]] += 1
    return {
        capability_id: capability_id
        if capability_id in target_capabilities
        else _most_common(heirs.get(capability_id))
        for capability_id in framework_index(source).capabilities
    }


def _most_common(counts: Counter[str] | None) -> str | None:
    return counts.most_common(1)[0][0] if counts else None


# The plan: both crosswalk forms, and the same version, as routes.


def _plan(source: Framework, target: Framework) -> _Plan:
    if source.framework_id != target.framework_id:
        raise ValueError(f"cannot carry {source.framework_id} answers to {target.framework_id}")
    if source.version == target.version:
        return _identity_plan(source)
    entry = target.crosswalk.get(source.version)
    if entry is None or version_key(source.version) > version_key(target.version):
        raise NoCrosswalkError(target.framework_id, target.version, source.version)
    if isinstance(entry, OptionCrosswalk):
        routes = (_Route(m.from_question, m.to_question, m.options) for m in entry.map)
        return _Plan(tuple(routes), {d.question_id: d.reason for d in entry.dropped})
    return _question_plan(source, target, entry)


def _identity_plan(framework: Framework) -> _Plan:
    questions = framework_index(framework).questions.values()
    return _Plan(
        tuple(_Route(r.question.question_id, r.question.question_id, _same(r.question)) for r in questions),
        {},
    )


def _question_plan(source: Framework, target: Framework, mapping: Mapping[str, str]) -> _Plan:
    """The first form: ids that changed are mapped, the rest carry as themselves, and an option
    carries where its id exists in the later question."""
    later = framework_index(target).questions
    routes: list[_Route] = []
    dropped: dict[str, str] = {}
    for question_id, ref in framework_index(source).questions.items():
        to_question = mapping.get(question_id, question_id)
        if to_question not in later:
            dropped[question_id] = f"{question_id!r} has no counterpart"
            continue
        kept = {option.option_id for option in later[to_question].question.options}
        options = {o.option_id: o.option_id if o.option_id in kept else None for o in ref.question.options}
        routes.append(_Route(question_id, to_question, options))
    return _Plan(tuple(routes), dropped)


def _same(question: Question) -> dict[str, str | None]:
    return {option.option_id: option.option_id for option in question.options}


def _by_target(routes: Iterable[_Route]) -> dict[str, list[_Route]]:
    grouped: dict[str, list[_Route]] = defaultdict(list)
    for route in routes:
        grouped[route.to_question].append(route)
    return grouped


# Carrying one question.

_Refusal = tuple[NotCarriedCode, str]  # why a question is not carried: its code and reason


def _carry_one(
    question: Question, routes: list[_Route], given: Mapping[str, Answer]
) -> Answer | _Refusal | None:
    """The carried answer, why it cannot be carried, or None when nothing was answered."""
    sources = [(route, given.get(route.from_question)) for route in routes]
    if all(answer is None for _, answer in sources):
        return None
    unanswered = [route.from_question for route, answer in sources if answer is None]
    if unanswered:
        return "source-unanswered", f"Not carried: {_listed(unanswered)} {_was(unanswered)} not answered."
    answered = [(route, answer) for route, answer in sources if answer is not None]
    not_applicable = [route.from_question for route, answer in answered if answer.not_applicable]
    if not_applicable:
        return _carry_not_applicable(question, not_applicable, len(answered))
    return _lowest_mapped(question, answered)


def _carry_not_applicable(question: Question, not_applicable: list[str], sources: int) -> Answer | _Refusal:
    listed = f"{_listed(not_applicable)} {_was(not_applicable)} not applicable"
    if len(not_applicable) < sources:
        return "not-applicable", f"Not carried: {listed}, the rest answered."
    if not question.allow_na:
        return "not-applicable", f"Not carried: {listed}, and this question must be answered."
    return Answer(question_id=question.question_id, not_applicable=True)


def _lowest_mapped(question: Question, answered: list[tuple[_Route, Answer]]) -> Answer | _Refusal:
    scores = {option.option_id: option.score for option in question.options}
    mapped: list[str] = []
    for route, answer in answered:
        option = route.options.get(answer.value or "")
        if option is None:
            reason = f"Ask again: the answer {answer.value!r} to {route.from_question!r} has no counterpart."
            return "no-counterpart", reason
        mapped.append(option)
    lowest = min(mapped, key=lambda option: (scores[option], mapped.index(option)))
    return Answer(question_id=question.question_id, value=lowest)


def _listed(question_ids: list[str]) -> str:
    return ", ".join(repr(question_id) for question_id in question_ids)


def _was(question_ids: list[str]) -> str:
    return "was" if len(question_ids) == 1 else "were"
