"""Lookups by id into a framework: which pillar and capability a question belongs to.

Both services resolve question ids on every request, so the index is built once per
``Framework`` instance and kept on it (frameworks are frozen, so it never goes stale).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from framework_model.models import Capability, Framework, Pillar, Question, Recommendation

__all__ = [
    "NOT_APPLICABLE",
    "Accepted",
    "CapabilityRef",
    "FrameworkIndex",
    "QuestionRef",
    "build_index",
    "framework_index",
]


class _NotApplicable(Enum):
    """ "Not applicable" among the answers a question accepts: no option id or value equals it."""

    NOT_APPLICABLE = "not applicable"


NOT_APPLICABLE = _NotApplicable.NOT_APPLICABLE
#: An answer a question accepts: an option id, or ``NOT_APPLICABLE``.
Accepted = str | _NotApplicable


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
    #: question id -> the answers it accepts: its option ids, and ``NOT_APPLICABLE`` when it
    #: allows that; of every question (a full assessment's), and of the lead ones only (a quick
    #: one's). Both services check every answer of every request against these, one lookup each.
    accepted: Mapping[str, frozenset[Accepted]]
    accepted_lead: Mapping[str, frozenset[Accepted]]

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
    accepted = {question_id: _accepted(ref.question) for question_id, ref in questions.items()}
    return FrameworkIndex(
        pillars=MappingProxyType({pillar.pillar_id: pillar for pillar in framework.pillars}),
        capabilities=MappingProxyType(capabilities),
        questions=MappingProxyType(questions),
        recommendations=MappingProxyType({rec.recommendation_id: rec for rec in framework.recommendations}),
        accepted=MappingProxyType(accepted),
        accepted_lead=MappingProxyType(
            {qid: found for qid, found in accepted.items() if questions[qid].question.lead}
        ),
    )


def _accepted(question: Question) -> frozenset[Accepted]:
    options: list[Accepted] = [option.option_id for option in question.options]
    return frozenset([*options, NOT_APPLICABLE] if question.allow_na else options)


def framework_index(framework: Framework) -> FrameworkIndex:
    """The index of ``framework``, built on first use and cached on the instance."""
    return framework._index
