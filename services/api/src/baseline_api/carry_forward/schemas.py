"""What a new assessment's 201 says beyond the assessment: what was carried forward, and what not."""

from __future__ import annotations

from pydantic import BaseModel, Field

from baseline_api.assessments.schemas import AssessmentOut
from framework_model import NotCarriedCode

__all__ = ["AssessmentCreated", "NotCarriedOut"]

NOT_CARRIED_CODES = (
    "`dropped`: the new version dropped the question (`question_id` is the earlier one's); "
    "`no-counterpart`: the answer maps to no option of the new question (ask again); "
    "`source-unanswered`: a question it comes from was not answered; "
    "`not-applicable`: a not-applicable answer meets a question that must be answered, or answers it "
    "must be merged with."
)


class NotCarriedOut(BaseModel):
    question_id: str = Field(
        description="The new version's question; the earlier one's when the new version dropped it.",
        examples=["wow-dp-testing-and-release"],
    )
    code: NotCarriedCode = Field(description=NOT_CARRIED_CODES)
    reason: str = Field(
        examples=["Ask again: the answer 'gated' to 'wow-dp-automated-testing' has no counterpart."]
    )


class AssessmentCreated(AssessmentOut):
    """The new draft, and when it was carried forward, what came with it."""

    carried: int = Field(
        default=0, ge=0, description="Answers carried forward, each marked `carried` until answered again."
    )
    not_carried: list[NotCarriedOut] = Field(
        default_factory=list,
        description="Answers of the earlier assessment that could not be carried, and why. A quick draft "
        "carries only its lead questions: what the quick profile does not ask is neither carried nor listed.",
    )
