"""How far several respondents agree: the ``agreement`` a score request with respondents returns.

It holds figures only (counts, spreads, suggestions): never which respondent gave which answer,
so that a stored result can be shown to anyone who may read the assessment.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["AgreementResult", "PillarAgreement", "QuestionAgreement"]

Confidence = Annotated[
    float | None,
    Field(
        ge=0,
        le=1,
        description="1 - the mean spread over the questions at least two respondents answered, to 4 "
        "decimal places; null when there is no such question.",
    ),
]
QuestionsCompared = Annotated[
    int,
    Field(
        ge=0,
        description="How many questions the confidence is the mean over: 1.0 from one "
        "question is not 1.0 from thirty.",
    ),
]


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class QuestionAgreement(_Result):
    question_id: str = Field(examples=["wow-cs-safety-officer"])
    pillar_id: str = Field(examples=["ways-of-working"])
    answered: int = Field(ge=1, description="How many respondents answered the question.")
    spread: float | None = Field(
        ge=0,
        le=1,
        description="The highest minus the lowest option score among the respondents' answers; 1 when "
        "some say not applicable and others choose an option; 0 when all say not applicable; null "
        "with fewer than two answers. To 4 decimal places.",
    )
    agreed: bool | None = Field(description="spread <= 0.25; null with the spread.")
    suggested_value: str | None = Field(
        description="The option at the lower median of the answers (ranked by option score, then "
        "framework order). Not applicable ranks above every option, so it is the suggestion only when "
        "more than half the answers say so: then `suggested_value` is null and "
        "`suggested_not_applicable` true.",
    )
    suggested_not_applicable: bool
    lowest_value: str | None = Field(
        description="The lowest-scoring option any respondent chose; null (and `lowest_not_applicable` "
        "true) when every answer is not applicable."
    )
    lowest_not_applicable: bool


class PillarAgreement(_Result):
    pillar_id: str = Field(examples=["ways-of-working"])
    confidence: Confidence
    questions_compared: QuestionsCompared


class AgreementResult(_Result):
    respondents: int = Field(ge=0, description="How many respondents' answers were compared.")
    confidence: Confidence
    questions_compared: QuestionsCompared
    pillars: tuple[PillarAgreement, ...] = Field(description="In framework order.")
    questions: tuple[QuestionAgreement, ...] = Field(
        description="The questions at least one respondent answered, in framework order; empty in a "
        "score result, which keeps the confidences only."
    )
