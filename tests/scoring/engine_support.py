"""The small framework of the engine tests, answer builders and Hypothesis strategies."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from framework_model.answers import Answer
from framework_model.models import Framework, Question

SMALL_FRAMEWORK = Path(__file__).parent / "fixtures" / "engine-small.yaml"
CONTENT_HASH = "sha256:engine-small"

#: Repeatable and bounded: the same examples on every run, no example database on disk.
ENGINE_PROFILE = settings(
    derandomize=True,
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

#: A question's state in a generated assessment: an option id, not applicable, or no answer.
NA = "<n/a>"
UNANSWERED = "<unanswered>"


# Scenario A, a preview: a critical answer below the minimum, one question unanswered, a
# capability wholly not applicable.
PREVIEW = {
    "safety-officer": "some",  # critical, 0.25 < 0.5: caps
    "safety-reviews": "most",
    "delivery-teams": "most",
    # delivery-releases: unanswered, counts 0 at full weight
    "hosting-cloud": NA,
    "hosting-backup": NA,  # critical but not applicable: never caps
    "data-catalogue": "half",
    "data-quality": "some",
}


@cache
def small_framework_data() -> Mapping[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SMALL_FRAMEWORK.read_text(encoding="utf-8"))
    return data


@cache
def small_framework() -> Framework:
    return Framework.model_validate(small_framework_data())


@cache
def small_framework_without(question_id: str) -> Framework:
    """The small framework without one question (and without it in any rule's triggers)."""
    data = yaml.safe_load(SMALL_FRAMEWORK.read_text(encoding="utf-8"))
    for pillar in data["pillars"]:
        for capability in pillar["capabilities"]:
            capability["questions"] = [q for q in capability["questions"] if q["question_id"] != question_id]
    for rule in data["recommendations"]:
        rule["triggers"] = [q for q in rule.get("triggers", []) if q != question_id]
    return Framework.model_validate(data)


@cache
def small_framework_with_only_hosting() -> Framework:
    """The small framework with operating-model holding only the hosting capability."""
    data = yaml.safe_load(SMALL_FRAMEWORK.read_text(encoding="utf-8"))
    operating_model = data["pillars"][1]
    operating_model["capabilities"] = [
        c for c in operating_model["capabilities"] if c["capability_id"] == "hosting"
    ]
    data["recommendations"] = [r for r in data["recommendations"] if r["capability_id"] != "data"]
    return Framework.model_validate(data)


def questions(framework: Framework) -> list[Question]:
    return [q for p in framework.pillars for c in p.capabilities for q in c.questions]


def answers(states: Mapping[str, str]) -> list[Answer]:
    """Answers from ``{question_id: option id | NA | UNANSWERED}``, in the mapping's order."""
    return [_answer(question_id, state) for question_id, state in states.items() if state != UNANSWERED]


def _answer(question_id: str, state: str) -> Answer:
    if state == NA:
        return Answer(question_id=question_id, not_applicable=True)
    return Answer(question_id=question_id, value=state)


def question_states(framework: Framework) -> st.SearchStrategy[dict[str, str]]:
    """Every question answered with some option, not applicable (where allowed) or unanswered."""
    return st.fixed_dictionaries({q.question_id: st.sampled_from(_choices(q)) for q in questions(framework)})


def complete_states(framework: Framework) -> st.SearchStrategy[dict[str, str]]:
    """A complete assessment: every question answered or, where allowed, not applicable."""
    return st.fixed_dictionaries(
        {
            q.question_id: st.sampled_from([s for s in _choices(q) if s != UNANSWERED])
            for q in questions(framework)
        }
    )


def targets(framework: Framework) -> st.SearchStrategy[dict[str, int]]:
    return st.fixed_dictionaries(
        {p.pillar_id: st.integers(1, len(framework.levels)) for p in framework.pillars}
    )


def _choices(question: Question) -> list[str]:
    extra = [NA, UNANSWERED] if question.allow_na else [UNANSWERED]
    return [option.option_id for option in question.options] + extra
