"""Request and response bodies of the scoring service."""

from __future__ import annotations

from typing import Annotated, NotRequired

from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import TypedDict

from baseline_scoring.engine import AgreementResult, ScoreResult
from framework_model import Answer, Framework, FrameworkSummary, Profile

__all__ = [
    "AgreementRequest",
    "FrameworkDefinition",
    "FrameworkList",
    "RespondentAnswers",
    "ScoreRequest",
    "ScoreWithAgreement",
]

MAX_ANSWERS = 1000
MAX_RESPONDENTS = 50


class FrameworkList(BaseModel):
    items: list[FrameworkSummary]


class FrameworkDefinition(Framework):
    """The whole framework definition, with the hash that proves which content was scored."""

    content_hash: str = Field(examples=["sha256:4f1c..."])


class RespondentAnswer(TypedDict):
    """An answer as ``responses`` take it. A plain dict rather than an ``Answer`` model: a request
    with 50 respondents holds thousands, and building a model of each cost more than the figures."""

    question_id: Annotated[str, Field(min_length=1, max_length=64)]
    value: NotRequired[Annotated[str, Field(max_length=64)] | None]
    not_applicable: NotRequired[bool]


class RespondentAnswers(BaseModel):
    """One respondent's own answers, checked like ``responses``."""

    model_config = ConfigDict(extra="forbid")

    respondent_id: str = Field(min_length=1, max_length=64, description="Unique within the request.")
    responses: list[RespondentAnswer] = Field(max_length=MAX_ANSWERS)


RESPONDENTS_DESCRIPTION = (
    "Several people's independent answers, to measure how far they agree (`agreement`); each "
    "respondent's answers are checked as `responses` are."
)


class ScoreRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "framework_id": "nhs-digital-readiness",
                    "framework_version": "1.1.0",
                    "profile": "full",
                    "responses": [{"question_id": "wow-cs-safety-officer", "value": "defined"}],
                    "targets": {"ways-of-working": 4},
                    "increment_size": 3,
                }
            ]
        },
    )

    framework_id: str = Field(min_length=1, max_length=64)
    framework_version: str = Field(min_length=1, max_length=32)
    responses: list[Answer] = Field(
        max_length=MAX_ANSWERS,
        description="The answers to score; required (an empty list scores an unanswered assessment).",
    )
    profile: Profile = Field(
        default="full",
        description="`quick` asks and scores only the lead questions (versions that have them, 2.0.0 on).",
    )
    targets: dict[Annotated[str, Field(max_length=64)], Annotated[int, Field(ge=1, le=5)]] | None = Field(
        default=None, description="Aspiration level per pillar; the framework's defaults fill the rest."
    )
    increment_size: int = Field(
        default=3, ge=1, le=50, description="How many ready steps make the next increment."
    )
    respondents: list[RespondentAnswers] | None = Field(
        default=None, max_length=MAX_RESPONDENTS, description=RESPONDENTS_DESCRIPTION
    )


class AgreementRequest(BaseModel):
    """Agreement alone: no scores, so it costs a fraction of a score request."""

    model_config = ConfigDict(extra="forbid")

    framework_id: str = Field(min_length=1, max_length=64)
    framework_version: str = Field(min_length=1, max_length=32)
    profile: Profile = "full"
    respondents: list[RespondentAnswers] = Field(
        max_length=MAX_RESPONDENTS, description=RESPONDENTS_DESCRIPTION
    )


class ScoreWithAgreement(ScoreResult):
    agreement: AgreementResult | None = Field(
        default=None, description="How far the respondents agree; present only when respondents were sent."
    )
