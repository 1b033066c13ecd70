"""Lookups by id into a framework: which pillar and capability a question belongs to.

Both services resolve question ids on every request, so the index is built once per
``Framework`` instance and kept on it (frameworks are frozen, so it never goes stale).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from framework_model.models import Capability, Framework, Pillar, Question, Recommendation

__all__ = ["CapabilityRef", "FrameworkIndex", "QuestionRef", "build_index", "framework_index"]


class QuestionRef(NamedTuple):
    """A question and where it sits."""

    pillar_id: str
    capability_id: str
    question: Question


class CapabilityRef(NamedTuple):
    """A capability and the pillar that holds it."""

    pillar_id: str
    capability: Capability


@dataclass(frozen=True)
class FrameworkIndex:
    """Read-only maps from ids to the items of one framework, in document order."""

    pillars: Mapping[str, Pillar]
    capabilities: Mapping[str, CapabilityRef]
    questions: Mapping[str, QuestionRef]
    recommendations: Mapping[str, Recommendation]
    #: question id -> its option ids; and the questions that accept "not applicable", and the
    #: lead ones: what checking an answer that fits needs, as sets (both services check every
    #: answer of every request).
    option_sets: Mapping[str, frozenset[str]]
    allow_na: frozenset[str]
    lead: frozenset[str]

    def option_ids(self, question_id: str) -> tuple[str, ...]:
        """The option ids of a question, in order; ``KeyError`` if the question is unknown."""
        return tuple(option.option_id for option in self.questions[question_id].question.options)


def build_index(framework: Framework) -> FrameworkIndex:
    """Index a framework (uncached: prefer ``framework_index``)."""
    capabilities = {
        capability.capability_id: CapabilityRef(pillar.pillar_id, capability)
        for pillar in framework.pillars
        for capability in pillar.capabilities
    }
    questions = {
        question.question_id: QuestionRef(ref.pillar_id, capability_id, question)
        for capability_id, ref in capabilities.items()
        for question in ref.capability.questions
    }
    return FrameworkIndex(
        pillars=MappingProxyType({pillar.pillar_id: pillar for pillar in framework.pillars}),
        capabilities=MappingProxyType(capabilities),
        questions=MappingProxyType(questions),
        recommendations=MappingProxyType({rec.recommendation_id: rec for rec in framework.recommendations}),
        option_sets=MappingProxyType(
            {qid: frozenset(o.option_id for o in ref.question.options) for qid, ref in questions.items()}
        ),
        allow_na=frozenset(qid for qid, ref in questions.items() if ref.question.allow_na),
        lead=frozenset(qid for qid, ref in questions.items() if ref.question.lead),
    )


def framework_index(framework: Framework) -> FrameworkIndex:
    """The index of ``framework``, built on first use and cached on the instance."""
    return framework._index
