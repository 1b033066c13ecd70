"""The scoring result as the gateway reads, stores and serves it.

The gateway reaches the scoring service over HTTP only, so it keeps its own copy of the result's
shape (the contract's "Result"). Unknown fields are kept rather than dropped: a newer scoring
service may add some, and a stored result must be reproducible exactly as it was scored.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Agreement",
    "CapabilityResult",
    "OverallResult",
    "PillarAgreement",
    "PillarResult",
    "QuestionAgreement",
    "RecommendationResult",
    "ScoreResult",
]

Score = Annotated[float, Field(ge=0, le=100)]
LevelNumber = Annotated[int, Field(ge=1, le=5)]


class _Result(BaseModel):
    model_config = ConfigDict(extra="allow")


class CapabilityResult(_Result):
    capability_id: str = Field(examples=["clinical-safety"])
    title: str
    score: Score | None = Field(description="null when every question is not applicable.")
    level: LevelNumber | None
    answered: int = Field(ge=0, description="Questions answered, not-applicable included.")
    applicable: int = Field(ge=0, description="Questions not marked not applicable.")
    target_level: LevelNumber = Field(description="The target level of the capability's pillar.")
    critical_capped: bool = Field(description="Whether a critical question of it caps its level.")


class PillarResult(_Result):
    pillar_id: str = Field(examples=["ways-of-working"])
    title: str
    score: Score | None
    level: LevelNumber | None = Field(description="After critical caps.")
    target_level: LevelNumber
    gap: int = Field(ge=0, description="max(0, target_level - level).")
    percent_to_target: float | None = Field(ge=0, le=100)
    completeness: float = Field(ge=0, le=1)
    capped_by: list[str] = Field(description="Critical questions whose answers cap this pillar's level.")
    capabilities: list[CapabilityResult]


class OverallResult(_Result):
    score: Score | None
    level: LevelNumber | None
    percent_to_target: float | None = Field(ge=0, le=100)


class RecommendationResult(_Result):
    recommendation_id: str
    pillar_id: str
    capability_id: str
    title: str
    action: str
    rationale: str
    from_level: LevelNumber
    to_level: LevelNumber
    effort: Literal["S", "M", "L"]
    impact: int = Field(ge=1, le=5)
    priority: float
    rank: int = Field(ge=1)
    depends_on: list[str]
    blocked_by: list[str]
    in_next_increment: bool
    triggered_by: list[str]


Confidence = Annotated[
    float | None,
    Field(
        ge=0,
        le=1,
        description="1 - the mean spread over the questions at least two respondents answered; null "
        "when there is none.",
    ),
]
QuestionsCompared = Annotated[
    int, Field(ge=0, description="How many questions the confidence is the mean over.")
]


class QuestionAgreement(_Result):
    """How far respondents agree on one question: figures only, never who answered what."""

    question_id: str
    pillar_id: str
    answered: int = Field(ge=1, description="How many respondents answered it.")
    spread: float | None = Field(
        ge=0,
        le=1,
        description="Highest minus lowest option score among the answers; 1 for a split between not "
        "applicable and an option; null with fewer than two answers.",
    )
    agreed: bool | None = Field(description="spread <= 0.25; null with the spread.")
    suggested_value: str | None = Field(
        description="The option at the lower median of the answers; null when that is not applicable "
        "(more than half the answers say so)."
    )
    suggested_not_applicable: bool
    lowest_value: str | None = Field(
        description="The lowest-scoring option chosen; null when every answer is N/A."
    )
    lowest_not_applicable: bool


class PillarAgreement(_Result):
    pillar_id: str
    confidence: Confidence
    questions_compared: QuestionsCompared


class Agreement(_Result):
    """How far the assessment's respondents agree (present when it had at least two)."""

    respondents: int = Field(ge=0)
    confidence: Confidence
    questions_compared: QuestionsCompared
    pillars: list[PillarAgreement]
    questions: list[QuestionAgreement] = Field(
        description="The questions any respondent answered; empty in a stored result, which keeps the "
        "confidences (`GET .../agreement` gives each question's figures)."
    )


class ScoreResult(_Result):
    """Scores are 0-100 to one decimal place; levels 1-5."""

    framework_id: str = Field(examples=["nhs-digital-readiness"])
    framework_version: str = Field(examples=["1.1.0"])
    content_hash: str = Field(description="The content hash of the framework version scored.")
    engine_version: str = Field(description="The scoring engine's version, for reproducing a result.")
    profile: Literal["full", "quick"] = Field(
        default="full",
        description="`quick`: only the lead questions were asked (results scored before 2.0.0: `full`).",
    )
    indicative: bool = Field(
        default=False,
        description="True for a quick profile: kept out of peer benchmarks, the commissioners' export "
        "and progress to date, and marked in the trend.",
    )
    completeness: float = Field(ge=0, le=1, description="(Answered + not applicable) / questions.")
    overall: OverallResult
    pillars: list[PillarResult] = Field(description="In framework order.")
    recommendations: list[RecommendationResult] = Field(description="In rank order.")
    agreement: Agreement | None = Field(
        default=None,
        # Absent rather than null, so a result scored without respondents reads as it was scored.
        exclude_if=lambda value: value is None,
        description="How far the respondents agreed, when the assessment had at least two; absent otherwise.",
    )
