"""Per-framework lookups, built once per framework version and reused for every assessment.

A framework version is immutable (its content hash proves it), so the lookups an assessment
needs (option scores, question order, weights, next-step rules) are computed once.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from framework_model.index import framework_index
from framework_model.models import Framework, Level, Question, Recommendation
from framework_model.profiles import PROFILES, Profile, profile_questions

from .levels import band_min, band_name
from .priority import priority
from .ranking import every_prerequisite

__all__ = ["AskedQuestion", "ScoringIndex", "TriggerSearch", "build_index", "index_for"]


class AskedQuestion(NamedTuple):
    """What scoring needs of a question, read once: an assessment reads each one per capability."""

    question_id: str
    weight: float
    critical: bool


class TriggerSearch(NamedTuple):
    """Where to look, in turn, for the questions that hold a capability below a rule's to_level:
    the rule's triggers that the profile asks, then every question it asks of the capability;
    each in framework order, each question once."""

    triggers: tuple[str, ...]
    asked: tuple[str, ...]


_CACHE_LIMIT = 64
_cache: dict[tuple[str, str, str], ScoringIndex] = {}
_cache_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class ScoringIndex:
    framework: Framework
    #: The maturity bands, ascending by level.
    bands: tuple[Level, ...]
    #: question id -> option id -> option score in [0, 1].
    option_scores: Mapping[str, Mapping[str, float]]
    #: (capability id, from level) -> the first rule lifting it exactly one level.
    next_step: Mapping[tuple[str, int], Recommendation]
    rules: Mapping[str, Recommendation]
    #: rule id -> every rule id it depends on, directly or through others
    #: (``ranking.every_prerequisite``).
    prerequisites: Mapping[str, frozenset[str]]
    #: (profile, capability id) -> the few fields scoring reads of the capability's questions
    #: that profile asks.
    asked_for_scoring: Mapping[tuple[Profile, str], tuple[AskedQuestion, ...]]
    #: rule id -> a ``RecommendationResult`` document of the rule: every field in its place,
    #: those that come from the rule alone filled in, the others None. A result is a copy with
    #: the others set, which keeps the order.
    result_templates: Mapping[str, Mapping[str, Any]]
    #: (profile, rule id) -> where to look for the questions that hold its capability back.
    trigger_searches: Mapping[tuple[Profile, str], TriggerSearch]
    #: level -> its band's minimum (a level the framework lacks: see band_min).
    band_mins: Mapping[int, float]
    #: (band minimum, level), highest band first: ``level_for`` without its attribute reads.
    descending_bands: tuple[tuple[float, int], ...]
    #: The critical rule's minimum option score and cap level, read for every capability.
    critical_min: float
    cap_level: int
    #: rule id -> the start of its rationale, which names its capability and from_level (the
    #: capability's level whenever the rule is its next step); and the end, which names only its
    #: to_level.
    rationale_starts: Mapping[str, str]
    rationale_ends: Mapping[str, str]
    #: (rule id, gap in levels to the pillar target) -> the rule's priority: both are few.
    priorities: Mapping[tuple[str, int], float]


def build_index(framework: Framework) -> ScoringIndex:
    questions = [q for p in framework.pillars for c in p.capabilities for q in c.questions]
    asked = {
        (profile, capability.capability_id): profile_questions(capability, profile)
        for profile in PROFILES
        for pillar in framework.pillars
        for capability in pillar.capabilities
    }
    bands = tuple(sorted(framework.levels, key=lambda band: band.level))
    capabilities = framework_index(framework).capabilities
    every_level = range(1, 6)  # every level a target, a rule or a cap can name (LevelNumber)
    depends_on = {rule.recommendation_id: tuple(rule.depends_on) for rule in framework.recommendations}
    return ScoringIndex(
        framework=framework,
        bands=bands,
        option_scores={q.question_id: {o.option_id: o.score for o in q.options} for q in questions},
        next_step=_next_steps(framework.recommendations),
        rules={rule.recommendation_id: rule for rule in framework.recommendations},
        prerequisites=every_prerequisite(depends_on),
        asked_for_scoring={
            key: tuple(AskedQuestion(q.question_id, q.weight, q.critical) for q in found)
            for key, found in asked.items()
        },
        result_templates={
            rule.recommendation_id: _result_template(rule, capabilities[rule.capability_id].pillar_id)
            for rule in framework.recommendations
        },
        trigger_searches={
            (profile, rule.recommendation_id): _trigger_search(rule, asked[(profile, rule.capability_id)])
            for profile in PROFILES
            for rule in framework.recommendations
        },
        band_mins={level: band_min(bands, level) for level in every_level},
        descending_bands=tuple((band.min_score, band.level) for band in reversed(bands)),
        critical_min=framework.critical_rule.min_score,
        cap_level=framework.critical_rule.cap_level,
        rationale_starts={
            rule.recommendation_id: (
                f"{capabilities[rule.capability_id].capability.title} is at level {rule.from_level} "
                f"({band_name(bands, rule.from_level)}, "
            )
            for rule in framework.recommendations
        },
        rationale_ends={
            rule.recommendation_id: (
                f". Level {rule.to_level} ({band_name(bands, rule.to_level)}) "
                f"starts at a score of {band_min(bands, rule.to_level):g}."
            )
            for rule in framework.recommendations
        },
        priorities=_priorities(framework.recommendations, _capability_shares(framework)),
    )


def index_for(framework: Framework, content_hash: str) -> ScoringIndex:
    """The cached index of this framework; a different object under the same key is rebuilt."""
    key = (framework.framework_id, framework.version, content_hash)
    cached = _cache.get(key)
    if cached is not None and cached.framework is framework:
        return cached
    index = build_index(framework)
    with _cache_lock:
        if len(_cache) >= _CACHE_LIMIT:
            _cache.pop(next(iter(_cache)))
        _cache[key] = index
    return index


def _result_template(rule: Recommendation, pillar_id: str) -> dict[str, Any]:
    return {
        "recommendation_id": rule.recommendation_id,
        "pillar_id": pillar_id,
        "capability_id": rule.capability_id,
        "title": rule.title,
        "action": rule.action,
        "rationale": None,
        "from_level": rule.from_level,
        "to_level": rule.to_level,
        "effort": rule.effort,
        "impact": rule.impact,
        "priority": None,
        "rank": None,
        "depends_on": None,
        "blocked_by": None,
        "in_next_increment": None,
        "triggered_by": None,
    }


def _trigger_search(rule: Recommendation, asked: tuple[Question, ...]) -> TriggerSearch:
    # The capability's questions come in framework order, so the triggers are put in it too.
    triggers = set(rule.triggers)
    asked_ids = tuple(question.question_id for question in asked)
    return TriggerSearch(tuple(qid for qid in asked_ids if qid in triggers), asked_ids)


def _capability_shares(framework: Framework) -> dict[str, float]:
    pillar_total = sum(pillar.weight for pillar in framework.pillars)
    shares: dict[str, float] = {}
    for pillar in framework.pillars:
        capability_total = sum(capability.weight for capability in pillar.capabilities)
        for capability in pillar.capabilities:
            shares[capability.capability_id] = (
                capability.weight / capability_total * pillar.weight / pillar_total
            )
    return shares


def _priorities(rules: list[Recommendation], shares: Mapping[str, float]) -> dict[tuple[str, int], float]:
    gaps = range(1, 5)  # a target (at most 5) above a level (at least 1)
    return {
        (rule.recommendation_id, gap): priority(rule, shares[rule.capability_id], gap)
        for rule in rules
        for gap in gaps
    }


def _next_steps(rules: list[Recommendation]) -> dict[tuple[str, int], Recommendation]:
    steps: dict[tuple[str, int], Recommendation] = {}
    for rule in rules:
        if rule.to_level == rule.from_level + 1:
            steps.setdefault((rule.capability_id, rule.from_level), rule)
    return steps
