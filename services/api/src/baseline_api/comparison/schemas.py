"""The body of a comparison between two scored assessments."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from framework_model import Profile

__all__ = ["ActionOutcome", "CapabilityChange", "ComparedAssessment", "Comparison", "PillarChange"]

Score = float | None
Level = int | None


class ComparedAssessment(BaseModel):
    assessment_id: uuid.UUID
    framework_version: str = Field(examples=["1.1.0"])
    profile: Profile = Field(description="`quick` results are indicative.")
    scored_at: datetime


class PillarChange(BaseModel):
    """A pillar matched by id (pillar ids are stable across versions)."""

    pillar_id: str = Field(examples=["ways-of-working"])
    from_score: Score
    to_score: Score
    delta: Score = Field(description="to_score - from_score, to one decimal place; null unless both scored.")
    from_level: Level
    to_level: Level


class CapabilityChange(BaseModel):
    """A capability in both results, matched by id."""

    capability_id: str = Field(examples=["clinical-safety"])
    from_score: Score
    to_score: Score
    from_level: Level
    to_level: Level
    delta: Score = Field(description="to_score - from_score, to one decimal place; null unless both scored.")


class ActionOutcome(BaseModel):
    """An action marked done between the two, and whether its capability's level rose."""

    action_id: uuid.UUID
    recommendation_id: str
    capability_id: str
    completed_at: datetime
    level_before: Level = Field(description="The capability's level in `from`; null if not there.")
    level_after: Level = Field(description="Its level in `to`; null if not there.")
    moved: bool | None = Field(
        description="Whether the level rose; null when the capability is missing from, or unscored in, either."
    )


class Comparison(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    from_: ComparedAssessment = Field(alias="from", description="The older of the two (by `scored_at`).")
    to: ComparedAssessment = Field(description="The newer of the two.")
    pillars: list[PillarChange] = Field(
        description="In the newer version's order; pillars of only one at the end."
    )
    capabilities: list[CapabilityChange] = Field(
        description="Capabilities in both, in the newer version's order."
    )
    only_in_from: list[str] = Field(
        description="Capability ids only the older result has (not guessed across)."
    )
    only_in_to: list[str] = Field(description="Capability ids only the newer result has.")
    actions: list[ActionOutcome] = Field(
        description="The organisation's actions (on this framework) marked done after `from` was scored and "
        "no later than `to` was, oldest first."
    )
