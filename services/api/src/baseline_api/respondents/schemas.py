"""Request and response bodies of respondents, their answers and their agreement."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from baseline_api.assessments.result import Agreement, QuestionAgreement
from baseline_api.assessments.schemas import AnswerOut
from baseline_api.auth.actor import MAX_SUB
from baseline_api.core.text import TEXT_PATTERN

from .models import MAX_EMAIL, Role

__all__ = [
    "AgreementOut",
    "ApplyIn",
    "QuestionAgreementOut",
    "RespondentAnswer",
    "RespondentIn",
    "RespondentList",
    "RespondentOut",
    "RespondentResponses",
    "RespondentSummary",
    "Role",
]

HIDDEN = "null for a token without the `write`, `approve` or `admin` scope."


class RespondentIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "Dr Priya Shah",
                    "role": "clinical",
                    "email": "priya.shah@nhs.net",
                    "subject": "910000000001",
                }
            ]
        },
    )

    name: str = Field(min_length=1, max_length=200, pattern=TEXT_PATTERN)
    role: Role
    email: str | None = Field(
        default=None,
        max_length=MAX_EMAIL,
        pattern=r"^[^@\s\x00]+@[^@\s\x00]+$",
        description="Only to contact them; never in exports, webhooks, logs or the audit.",
    )
    subject: str | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_SUB,
        pattern=TEXT_PATTERN,
        description="Their sign-in identity (the token's `sub`): only a token with that `sub` may then "
        "write their answers (others: 403).",
    )


class RespondentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    assessment_id: uuid.UUID
    name: str | None = Field(description=f"The respondent's name; {HIDDEN}")
    role: Role
    email: str | None = Field(description=f"Set when given; {HIDDEN}")
    subject: str | None = Field(description=f"Set when given; {HIDDEN}")
    created_at: datetime


class RespondentList(BaseModel):
    items: list[RespondentOut] = Field(description="In the order they were added; at most 50.")


class RespondentResponses(BaseModel):
    respondent_id: uuid.UUID
    items: list[AnswerOut] = Field(description="In the framework's question order.")


class RespondentSummary(BaseModel):
    respondent_id: uuid.UUID
    name: str | None = Field(description=HIDDEN)
    role: Role


class RespondentAnswer(BaseModel):
    respondent_id: uuid.UUID
    value: str | None
    not_applicable: bool


class QuestionAgreementOut(QuestionAgreement):
    answers: list[RespondentAnswer] | None = Field(description=f"Each respondent's answer; {HIDDEN}")
    agreed_value: str | None = Field(description="The assessment's own (agreed) answer, or null.")
    agreed_not_applicable: bool = Field(description="Whether the assessment's own answer is not applicable.")


class AgreementOut(Agreement):
    assessment_id: uuid.UUID
    roster: list[RespondentSummary] = Field(description="The respondents, in the order they were added.")
    questions: list[QuestionAgreementOut] = Field(  # type: ignore[assignment]
        description="The questions any respondent answered, in the framework's order."
    )


class ApplyIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"strategy": "median", "only_unanswered": True}]}
    )

    strategy: Literal["median", "lowest"] = Field(
        description="`median`: each question's suggested value (the lower median of the respondents' "
        "answers); `lowest`: the lowest-scoring answer any respondent gave."
    )
    only_unanswered: bool = Field(
        default=False, description="Fill only questions the assessment has no answer to yet."
    )
