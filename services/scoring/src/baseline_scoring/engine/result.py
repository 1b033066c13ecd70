"""The scoring result: what the scoring service returns and the gateway stores.

Field names follow the public contract (``shared/design/api-contract.md``, "Result"). Scores
are 0-100 rounded to one decimal place (half away from zero); levels are 1-5.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from framework_model.models import Effort
from framework_model.profiles import Profile

__all__ = ["CapabilityResult", "OverallResult", "PillarResult", "RecommendationResult", "ScoreResult"]

Score = Annotated[float, Field(ge=0, le=100)]
LevelNumber = Annotated[int, Field(ge=1, le=5)]
Percent = Annotated[float, Field(ge=0, le=100)]


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class CapabilityResult(_Result):
    capability_id: str = Field(examples=["clinical-safety"])
    title: str
    score: Score | None = Field(
        description="100 x the weighted mean of applicable questions (unanswered count 0); "
        "null when every question is not applicable.",
    )
    level: LevelNumber | None = Field(
        description="The band the rounded score reaches, held at the critical cap when capped; "
        "null with the score.",
    )
    answered: int = Field(ge=0, description="Questions answered, not-applicable included.")
    applicable: int = Field(ge=0, description="Questions not marked not applicable.")
    target_level: LevelNumber = Field(description="The target level of the capability's pillar.")
    critical_capped: bool = Field(
        description="Whether a critical question of this capability is answered below the "
        "critical minimum (or unanswered), capping its level and its pillar's.",
    )


class PillarResult(_Result):
    pillar_id: str = Field(examples=["ways-of-working"])
    title: str
    score: Score | None = Field(
        description="Weighted mean of the capabilities that have a score; null when none has.",
    )
    level: LevelNumber | None = Field(description="The band the rounded score reaches, after critical caps.")
    target_level: LevelNumber = Field(description="The organisation's target, else the framework default.")
    gap: int = Field(ge=0, description="max(0, target_level - level); 0 when the pillar has no level.")
    percent_to_target: Percent | None = Field(
        description="100 x (1 - shortfall / target score), the target score being the band minimum "
        "of the target level; 100 when met, null when the pillar has no score.",
    )
    completeness: float = Field(ge=0, le=1, description="(Answered + not applicable) / questions.")
    capped_by: tuple[str, ...] = Field(
        description="Critical questions, in framework order, whose answers cap this pillar's level.",
    )
    capabilities: tuple[CapabilityResult, ...]


class OverallResult(_Result):
    score: Score | None = Field(description="Weighted mean of the pillars that have a score.")
    level: LevelNumber | None = Field(description="The band of the rounded score, capped when any pillar is.")
    percent_to_target: Percent | None = Field(
        description="SAMM's 100 x (1 - sum of shortfalls / sum of target scores) over scored pillars.",
    )


class RecommendationResult(_Result):
    recommendation_id: str = Field(examples=["wow-cs-named-officer"])
    pillar_id: str
    capability_id: str
    title: str
    action: str = Field(description="What to do, as one small increment.")
    rationale: str = Field(description="Why this is recommended, generated from the scores.")
    from_level: LevelNumber = Field(description="The capability's current level.")
    to_level: LevelNumber = Field(description="One level more: never a leap.")
    effort: Effort = Field(description="S (weeks), M (a quarter) or L (more than a quarter).")
    impact: int = Field(ge=1, le=5)
    priority: float = Field(
        ge=0,
        description="gap to the pillar target x impact x the capability's share of the overall "
        "score / effort (S=1, M=2, L=3), to 3 decimal places.",
    )
    rank: int = Field(
        ge=1,
        description="1 is first: critical caps first, then priority; a recommended prerequisite "
        "always ranks before its dependants.",
    )
    depends_on: tuple[str, ...] = Field(description="Prerequisite recommendation ids.")
    blocked_by: tuple[str, ...] = Field(
        description="Prerequisites whose capability has not yet reached their to_level.",
    )
    in_next_increment: bool = Field(
        description="Among the best-ranked increment_size unblocked items: the work in progress.",
    )
    triggered_by: tuple[str, ...] = Field(
        min_length=1,
        description="Questions, in framework order, whose answers hold the capability below to_level: "
        "the rule's trigger questions that do, else the capability's questions that do, else the "
        "critical questions that cap it. Never empty.",
    )


class ScoreResult(_Result):
    framework_id: str = Field(examples=["nhs-digital-readiness"])
    framework_version: str = Field(examples=["1.0.0"])
    content_hash: str = Field(description="The content hash of the framework version scored.")
    engine_version: str = Field(description="The scoring engine's version, for reproducing a result.")
    profile: Profile = Field(
        description="`full`: every question asked; `quick`: only the lead questions (one per capability)."
    )
    indicative: bool = Field(
        description="True for a quick profile: a re-measure between full assessments, kept out of "
        "peer benchmarks, the commissioners' export and progress to date."
    )
    completeness: float = Field(ge=0, le=1, description="(Answered + not applicable) / questions.")
    overall: OverallResult
    pillars: tuple[PillarResult, ...] = Field(description="In framework order.")
    recommendations: tuple[RecommendationResult, ...] = Field(description="In rank order.")
