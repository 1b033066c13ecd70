"""Scores and levels of capabilities, pillars and the whole assessment (unrounded inside).

Unanswered questions count 0 at full weight (a draft's preview); not-applicable ones leave
numerator and denominator. A capability with nothing applicable has no score and leaves its
pillar's mean with its weight; the same holds for pillars in the overall mean.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from framework_model.answers import Answer
from framework_model.models import Capability, Pillar
from framework_model.profiles import Profile

from .index import ScoringIndex
from .levels import round_half_up
from .targets import gap, percent_reached, shortfall

#: Scores are reported to one decimal place.
REPORTED_STEP = 0.1
_NO_OPTIONS: Mapping[str, float] = {}

__all__ = [
    "AnswerSheet",
    "CapabilityScore",
    "OverallScore",
    "PillarScore",
    "completeness",
    "read_answers",
    "score_overall",
    "score_pillar",
]


@dataclass(frozen=True, slots=True)
class AnswerSheet:
    """The answers by question: chosen option scores, and the not-applicable questions, of an
    assessment in ``profile`` (a quick one counts only lead questions)."""

    chosen: Mapping[str, float]
    not_applicable: frozenset[str]
    profile: Profile = "full"

    def responded(self, question_id: str) -> bool:
        return question_id in self.chosen or question_id in self.not_applicable


# The scores below are made afresh for each assessment and never changed after: plain slotted
# dataclasses, since a frozen one pays an ``object.__setattr__`` per field when it is built, and
# built with positional arguments, since keywords cost half a microsecond more per call. Each
# carries its block of the result, made in the same pass that scores it: building the scores and
# then a document from them took a second walk over every capability.
@dataclass(slots=True)
class CapabilityScore:
    capability: Capability
    raw: float | None
    score: float | None
    level: int | None
    answered: int
    #: Questions the assessment's profile asks of this capability.
    asked: int
    #: Critical questions of this capability answered below the critical minimum, or not at all.
    capped_by: tuple[str, ...]
    #: A ``CapabilityResult``'s fields, in order, JSON-ready.
    document: dict[str, Any]


@dataclass(slots=True)
class PillarScore:
    pillar: Pillar
    capabilities: tuple[CapabilityScore, ...]
    raw: float | None
    target_level: int
    target_score: float
    capped_by: tuple[str, ...]
    responded: int
    questions: int
    #: The score that counts towards the target: a capped pillar's, held below the band above
    #: its cap, so that a capped pillar never reads as on target.
    toward_target: float | None
    #: How far ``toward_target`` falls short of ``target_score`` (see ``targets.shortfall``).
    shortfall: float
    #: A ``PillarResult``'s fields, in order, JSON-ready.
    document: dict[str, Any]


@dataclass(slots=True)
class OverallScore:
    score: float | None
    level: int | None
    percent_to_target: float | None


def read_answers(index: ScoringIndex, answers: Iterable[Answer], profile: Profile = "full") -> AnswerSheet:
    """Resolve option ids to scores; answers are already checked against the framework."""
    chosen: dict[str, float] = {}
    not_applicable: set[str] = set()
    option_scores = index.option_scores
    for answer in answers:
        if answer.not_applicable:
            not_applicable.add(answer.question_id)
        elif answer.value is not None:
            score = option_scores.get(answer.question_id, _NO_OPTIONS).get(answer.value)
            if score is None:
                raise ValueError(f"{answer.value!r} is not an option of question {answer.question_id!r}")
            chosen[answer.question_id] = score
    return AnswerSheet(chosen=chosen, not_applicable=frozenset(not_applicable), profile=profile)


def score_pillar(index: ScoringIndex, pillar: Pillar, sheet: AnswerSheet, target: int) -> PillarScore:
    capabilities = tuple(
        [_score_capability(index, capability, sheet, target) for capability in pillar.capabilities]
    )
    # One pass over the capabilities for the weighted mean (``_mean``, summed in the same order,
    # so the same float), the caps and the counts: this runs for every pillar of every assessment.
    total_weight = total = 0.0
    responded = questions = 0
    capped: list[str] = []
    for c in capabilities:
        if c.raw is not None:
            weight = c.capability.weight
            total_weight += weight
            total += weight * c.raw
        capped += c.capped_by
        responded += c.answered
        questions += c.asked
    raw = total / total_weight if total_weight > 0 else None
    capped_by = tuple(capped)
    score = _rounded(raw)
    level = _level(index, score, capped_by)
    target_score = index.band_mins[target]
    toward_target = _held_below_cap(index, raw, capped_by)
    missing = 0.0 if toward_target is None else shortfall(toward_target, target_score)
    document = {
        "pillar_id": pillar.pillar_id,
        "title": pillar.title,
        "score": score,
        "level": level,
        "target_level": target,
        "gap": gap(target, level),
        "percent_to_target": None if toward_target is None else percent_reached(missing, target_score),
        "completeness": completeness(responded, questions),
        "capped_by": list(capped_by),
        "capabilities": [c.document for c in capabilities],
    }
    return PillarScore(
        pillar,
        capabilities,
        raw,
        target,
        target_score,
        capped_by,
        responded,
        questions,
        toward_target,
        missing,
        document,
    )


def score_overall(index: ScoringIndex, pillars: Sequence[PillarScore]) -> OverallScore:
    raw = _mean((p.pillar.weight, p.raw) for p in pillars if p.raw is not None)
    any_capped = tuple(qid for p in pillars for qid in p.capped_by)
    score = _rounded(raw)
    # Each pillar's shortfall is worked out once, with its own percent to target.
    toward = [p for p in pillars if p.toward_target is not None]
    missing, target_total = sum(p.shortfall for p in toward), sum(p.target_score for p in toward)
    return OverallScore(
        score=score,
        level=_level(index, score, any_capped),
        percent_to_target=percent_reached(missing, target_total) if toward else None,
    )


def completeness(responded: int, questions: int) -> float:
    """(Answered + not applicable) / questions, to 4 decimal places."""
    return round_half_up(responded / questions, 4) if questions else 1.0


def _held_below_cap(index: ScoringIndex, raw: float | None, capped_by: tuple[str, ...]) -> float | None:
    """``raw``, or for a capped pillar at most one reported step (0.1) under the minimum of the band
    above the cap level: a pillar held at level 2 counts at most 39.9 when level 3 starts at 40."""
    above_cap = index.cap_level + 1
    if raw is None or not capped_by or above_cap > index.bands[-1].level:
        return raw
    return min(raw, index.band_mins[above_cap] - REPORTED_STEP)


def _score_capability(
    index: ScoringIndex, capability: Capability, sheet: AnswerSheet, target: int
) -> CapabilityScore:
    # One pass over the asked questions: this runs for every capability of every assessment.
    chosen, not_applicable = sheet.chosen, sheet.not_applicable
    critical_min = index.critical_min
    asked = index.asked_for_scoring[(sheet.profile, capability.capability_id)]
    total_weight = total = 0.0
    answered = applicable = 0
    capped_by: list[str] = []
    for question_id, weight, critical in asked:
        if question_id in not_applicable:
            answered += 1
            continue
        applicable += 1
        option_score = chosen.get(question_id)
        if option_score is not None:
            answered += 1
        total_weight += weight
        total += weight * (100.0 * (0.0 if option_score is None else option_score))
        # A critical question caps when unanswered or answered below the critical minimum.
        if critical and (option_score is None or option_score < critical_min):
            capped_by.append(question_id)
    raw = total / total_weight if total_weight > 0 else None
    score = None if raw is None else round_half_up(raw, 1)
    level = _level(index, score, capped_by)
    document = {
        "capability_id": capability.capability_id,
        "title": capability.title,
        "score": score,
        "level": level,
        "answered": answered,
        "applicable": applicable,
        "target_level": target,
        "critical_capped": bool(capped_by),
    }
    return CapabilityScore(capability, raw, score, level, answered, len(asked), tuple(capped_by), document)


def _mean(weighted: Iterable[tuple[float, float]]) -> float | None:
    """The weighted mean of (weight, value) pairs; ``None`` when there are none."""
    total_weight = 0.0
    total = 0.0
    for weight, value in weighted:
        total_weight += weight
        total += weight * value
    return total / total_weight if total_weight > 0 else None


def _rounded(raw: float | None) -> float | None:
    return None if raw is None else round_half_up(raw, 1)


def _level(index: ScoringIndex, score: float | None, capped_by: Sequence[str]) -> int | None:
    """The level of the reported (rounded) score, held down by any critical cap: ``level_for``
    and ``capped``, on the index's own copy of the bands (this runs for every capability)."""
    if score is None:
        return None
    level = index.descending_bands[-1][1]  # below every band: the lowest one
    for min_score, band_level in index.descending_bands:
        if min_score <= score:
            level = band_level
            break
    return min(level, index.cap_level) if capped_by else level
