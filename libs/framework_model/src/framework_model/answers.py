"""Answers to a framework's questions, and the check that they fit a framework version.

Both services check answers with the same code: the gateway before it stores them, the
scoring service before it scores them, so a client hears the same complaint from either.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Answer", "AnswerProblem"]


class Answer(BaseModel):
    """One answer: an option id, or not applicable."""

    model_config = ConfigDict(frozen=True)

    question_id: str = Field(min_length=1, max_length=64, examples=["wow-cs-safety-officer"])
    value: str | None = Field(default=None, max_length=64, description="The chosen option_id.")
    not_applicable: bool = False


class AnswerProblem(BaseModel):
    """What is wrong with one answer: ``field`` is a path into the request body."""

    model_config = ConfigDict(frozen=True)

    field: str
    message: str

