"""Next-step recommendations: one rule per capability below its pillar's target, ranked.

Only the *next* step is offered (``from_level`` = the capability's level, one level up), and
only below target. Ranked by gap x impact x weight / effort with critical caps first; a
recommended prerequisite always ranks before its dependants. The next increment is the
best-ranked unblocked items, a work-in-progress limit.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from framework_model.models import Recommendation

from .index import ScoringIndex
from .priority import EFFORT_COST
from .ranking import RankKey, prerequisites, rank
from .scores import AnswerSheet, CapabilityScore, PillarScore

__all__ = ["EFFORT_COST", "recommend"]


@dataclass(slots=True)  # not frozen: built per candidate per assessment, frozen costs per field
class _Candidate:
    rule: Recommendation
    pillar: PillarScore
    capability: CapabilityScore
    level: int
    priority: float


def recommend(
    index: ScoringIndex, pillars: Sequence[PillarScore], sheet: AnswerSheet, increment_size: int
) -> list[dict[str, Any]]:
    """The next step of each capability below its pillar's target, in rank order, each as the
    JSON-ready document of a ``RecommendationResult``."""
    candidates = {c.rule.recommendation_id: c for c in _candidates(index, pillars)}
    keys = {rule_id: _key(candidate) for rule_id, candidate in candidates.items()}
    order = rank(keys, prerequisites(candidates, index.prerequisites))
    blocked = _blocked(index, [candidates[rule_id] for rule_id in order], pillars)
    increment = _next_increment(order, blocked, increment_size)
    return [
        _result(index, sheet, candidates[rule_id], position, blocked[rule_id], rule_id in increment)
        for position, rule_id in enumerate(order, start=1)
    ]


def _candidates(index: ScoringIndex, pillars: Sequence[PillarScore]) -> Iterator[_Candidate]:
    for pillar in pillars:
        for capability in pillar.capabilities:
            level = capability.level
            if level is None or level >= pillar.target_level:
                continue
            rule = index.next_step.get((capability.capability.capability_id, level))
            if rule is not None:
                yield _Candidate(rule, pillar, capability, level, _priority(index, rule, pillar, level))


def _priority(index: ScoringIndex, rule: Recommendation, pillar: PillarScore, level: int) -> float:
    """Gap to the pillar target x impact x share of the overall score / effort cost (``priority``),
    looked up: every rule's priority at every gap is worked out once per framework version."""
    return index.priorities[(rule.recommendation_id, pillar.target_level - level)]


def _key(candidate: _Candidate) -> RankKey:
    return (not candidate.capability.capped_by, -candidate.priority, candidate.rule.recommendation_id)


def _blocked(
    index: ScoringIndex, candidates: Sequence[_Candidate], pillars: Sequence[PillarScore]
) -> dict[str, tuple[str, ...]]:
    """rule id -> its prerequisites whose capability is below their to_level."""
    if not any(candidate.rule.depends_on for candidate in candidates):
        return {candidate.rule.recommendation_id: () for candidate in candidates}  # nothing to wait for
    levels = {c.capability.capability_id: c.level for p in pillars for c in p.capabilities}
    return {
        candidate.rule.recommendation_id: _blocked_by(index, candidate.rule, levels)
        for candidate in candidates
    }


def _blocked_by(
    index: ScoringIndex, rule: Recommendation, levels: Mapping[str, int | None]
) -> tuple[str, ...]:
    """Prerequisites whose capability is below their to_level; no level (all N/A) never blocks."""
    if not rule.depends_on:
        return ()
    return tuple(rule_id for rule_id in rule.depends_on if _unmet(index.rules.get(rule_id), levels))


def _unmet(prerequisite: Recommendation | None, levels: Mapping[str, int | None]) -> bool:
    if prerequisite is None:
        return False
    level = levels.get(prerequisite.capability_id)
    return level is not None and level < prerequisite.to_level


def _next_increment(
    order: Sequence[str], blocked: Mapping[str, tuple[str, ...]], size: int
) -> frozenset[str]:
    unblocked = [rule_id for rule_id in order if not blocked[rule_id]]
    return frozenset(unblocked[: max(0, size)])


def _triggered_by(index: ScoringIndex, sheet: AnswerSheet, candidate: _Candidate) -> list[str]:
    """The questions whose answers hold the capability below to_level, never none: the rule's
    trigger questions that do; else any of the capability's questions that do; else the critical
    questions that cap it (a capped capability can score above to_level's band)."""
    rule, capability = candidate.rule, candidate.capability
    search = index.trigger_searches[(sheet.profile, rule.recommendation_id)]
    threshold = index.band_mins[rule.to_level] / 100.0
    chosen, not_applicable = sheet.chosen, sheet.not_applicable
    for ids in search:
        holding = [qid for qid in ids if qid not in not_applicable and chosen.get(qid, -1.0) < threshold]
        if holding:
            return holding
    return list(capability.capped_by) or list(search.asked)


def _rationale(index: ScoringIndex, candidate: _Candidate) -> str:
    capability, pillar, rule_id = candidate.capability, candidate.pillar, candidate.rule.recommendation_id
    text = (
        f"{index.rationale_starts[rule_id]}{capability.score or 0.0:.1f}) "
        f"against a target of {pillar.target_level} for {pillar.pillar.title}"
    )
    if capability.capped_by:
        text += _cap_clause(capability.capped_by, index.cap_level)
    return text + index.rationale_ends[rule_id]


def _cap_clause(question_ids: tuple[str, ...], cap_level: int) -> str:
    if len(question_ids) == 1:
        return f"; the critical answer to {question_ids[0]} caps it at level {cap_level}"
    return f"; the critical answers to {', '.join(question_ids)} cap it at level {cap_level}"


def _result(
    index: ScoringIndex,
    sheet: AnswerSheet,
    candidate: _Candidate,
    position: int,
    blocked_by: tuple[str, ...],
    in_next_increment: bool,
) -> dict[str, Any]:
    # The rule's own fields are the same in every result: a copy of the rule's template, with
    # the fields that are not set in their places.
    result = dict(index.result_templates[candidate.rule.recommendation_id])
    result["rationale"] = _rationale(index, candidate)
    result["priority"] = candidate.priority
    result["rank"] = position
    result["depends_on"] = list(candidate.rule.depends_on)
    result["blocked_by"] = list(blocked_by)
    result["in_next_increment"] = in_next_increment
    result["triggered_by"] = _triggered_by(index, sheet, candidate)
    return result
