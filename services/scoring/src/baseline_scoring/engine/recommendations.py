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
    order = rank(keys, prerequisites(candidates, index.depends_on))
    levels = {c.capability.capability_id: c.level for p in pillars for c in p.capabilities}
    blocked = {rule_id: _blocked_by(index, candidates[rule_id].rule, levels) for rule_id in order}
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
    # Every list here is in framework order and holds each question once: the rule's triggers
    # are put in that order once per framework, and a capability asks its questions in it.
    rule, capability = candidate.rule, candidate.capability
    key = (sheet.profile, capability.capability.capability_id)
    asked, is_asked = index.asked_ids[key], index.asked_id_set[key]
    threshold = index.band_mins[rule.to_level] / 100.0
    chosen, not_applicable = sheet.chosen, sheet.not_applicable
    for ids in (index.ordered_triggers[rule.recommendation_id], asked):
        holding = [
            qid
            for qid in ids
            if qid in is_asked and qid not in not_applicable and chosen.get(qid, -1.0) < threshold
        ]
        if holding:
            return holding
    return list(capability.capped_by) or list(asked)


def _rationale(index: ScoringIndex, candidate: _Candidate) -> str:
    capability, pillar, rule = candidate.capability, candidate.pillar, candidate.rule
    text = (
        f"{capability.capability.title} is at level {candidate.level} "
        f"({index.band_names[candidate.level]}, {capability.score or 0.0:.1f}) "
        f"against a target of {pillar.target_level} for {pillar.pillar.title}"
    )
    if capability.capped_by:
        text += _cap_clause(capability.capped_by, index.cap_level)
    return text + index.rationale_ends[rule.recommendation_id]


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
    # The rule's own fields are the same in every result: they come ready-made from the index,
    # in their places among the fields that are not.
    texts, levels = index.rule_fields[candidate.rule.recommendation_id]
    return {
        **texts,
        "rationale": _rationale(index, candidate),
        **levels,
        "priority": candidate.priority,
        "rank": position,
        "depends_on": list(candidate.rule.depends_on),
        "blocked_by": list(blocked_by),
        "in_next_increment": in_next_increment,
        "triggered_by": _triggered_by(index, sheet, candidate),
    }
