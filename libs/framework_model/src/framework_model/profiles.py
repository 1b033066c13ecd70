"""Profiles: which of a framework's questions an assessment asks.

A ``full`` assessment asks every question. A ``quick`` one asks only the lead questions (one
per capability, every critical question among them), to re-measure between full assessments;
its results are indicative. Only versions that mark lead questions (2.0.0 on) have a quick
profile.
"""

from __future__ import annotations

from typing import Literal

from framework_model.index import framework_index
from framework_model.models import Capability, Framework, Question

__all__ = ["PROFILES", "Profile", "asks", "has_profile", "profile_questions"]

Profile = Literal["full", "quick"]
PROFILES: tuple[Profile, ...] = ("full", "quick")


def has_profile(framework: Framework, profile: Profile) -> bool:
    """Whether ``framework`` can be assessed in ``profile``."""
    return profile == "full" or any(
        ref.question.lead for ref in framework_index(framework).questions.values()
    )


def profile_questions(capability: Capability, profile: Profile) -> tuple[Question, ...]:
    """The questions of a capability that ``profile`` asks, in framework order."""
    if profile == "full":
        return tuple(capability.questions)
    return tuple(question for question in capability.questions if question.lead)


def asks(question: Question, profile: Profile) -> bool:
    """Whether an assessment in ``profile`` asks ``question``."""
    return profile == "full" or question.lead
