"""Pydantic models of a framework definition.

A framework is versioned data: pillars hold capabilities, capabilities hold questions,
questions offer options scored in [0, 1]. Recommendations lift one capability one level.
Field names follow the public HTTP contract (`shared/design/api-contract.md`).

Building a ``Framework`` validates it whole (see ``framework_model.validation``); a frozen
instance is therefore always valid, which is why its content hash and index can be cached
on it. Do not ``model_copy(update=...)`` one: that skips validation and keeps stale caches.
"""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from framework_model.hashing import compute_content_hash
from framework_model.index import FrameworkIndex, build_index
from framework_model.problems import FrameworkProblems
from framework_model.validation import framework_problems

__all__ = [
    "Capability",
    "CriticalRule",
    "Crosswalk",
    "DroppedQuestion",
    "Effort",
    "Framework",
    "FrameworkStatus",
    "GlossaryEntry",
    "Identifier",
    "Level",
    "Option",
    "OptionCrosswalk",
    "OptionMapping",
    "Pillar",
    "Question",
    "QuestionMapping",
    "Recommendation",
]


#: Stable ids are lower-case kebab-case: ``clinical-safety``, ``wow-cs-01``.
Identifier = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        examples=["clinical-safety"],
    ),
]
LevelNumber = Annotated[int, Field(ge=1, le=5)]
Weight = Annotated[float, Field(gt=0, le=100)]
Effort = Literal["S", "M", "L"]
FrameworkStatus = Literal["draft", "published", "retired"]


class _Strict(BaseModel):
    """Framework files are authored by hand: refuse unknown keys so a typo is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class _LaterFields(_Strict):
    """A model that gained fields after versions were published and locked.

    A published version's content hash covers its canonical JSON, so a field added later is
    left out of it while it holds its default (``framework_model.hashing``): 1.0.0 and 1.1.0
    keep the hashes their stored results cite.
    """

    added_later: ClassVar[dict[str, Any]] = {}


class Level(_Strict):
    level: LevelNumber
    name: str = Field(min_length=1, examples=["Established"])
    min_score: float = Field(ge=0, le=100, description="Lowest score (0-100) of this band.")


class CriticalRule(_Strict):
    min_score: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="A critical question answered below this option score caps its pillar.",
    )
    cap_level: LevelNumber = Field(default=2, description="The highest level a capped pillar can reach.")


class Option(_Strict):
    option_id: Identifier
    label: str = Field(min_length=1, description="Observable practice that this answer describes.")
    score: float = Field(ge=0, le=1)


class Question(_LaterFields):
    added_later: ClassVar[dict[str, Any]] = {"lead": False, "minutes": None}

    question_id: Identifier
    text: str = Field(min_length=1)
    guidance: str = ""
    weight: Weight = 1.0
    critical: bool = False
    allow_na: bool = Field(default=False, description="Whether 'not applicable' is an accepted answer.")
    lead: bool = Field(
        default=False,
        description="The one question that best places its capability; the lead questions alone "
        "form the quick profile. Every critical question is a lead question.",
    )
    minutes: float | None = Field(
        default=None, gt=0, le=60, description="Estimated team minutes to answer this question."
    )
    options: list[Option] = Field(min_length=2, max_length=10)


class Capability(_Strict):
    capability_id: Identifier
    title: str = Field(min_length=1)
    description: str = ""
    weight: Weight = 1.0
    questions: list[Question] = Field(min_length=1)


class Pillar(_Strict):
    pillar_id: Identifier
    title: str = Field(min_length=1)
    description: str = ""
    weight: Weight = 1.0
    capabilities: list[Capability] = Field(min_length=1)


class Recommendation(_LaterFields):
    added_later: ClassVar[dict[str, Any]] = {"done_when": None, "duration_days": None}

    recommendation_id: Identifier
    capability_id: Identifier
    title: str = Field(min_length=1)
    action: str = Field(min_length=1, description="What to do, concretely, as one small increment.")
    from_level: LevelNumber
    to_level: LevelNumber
    effort: Effort = Field(description="S (weeks), M (a quarter) or L (more than a quarter).")
    impact: int = Field(ge=1, le=5)
    depends_on: list[Identifier] = Field(default_factory=list)
    triggers: list[Identifier] = Field(
        default_factory=list,
        description="Questions whose answers hold the capability at from_level; empty means all of them.",
    )
    done_when: str | None = Field(
        default=None,
        min_length=1,
        description="The observable evidence that the step is done.",
        examples=["A hazard log for the EPR is signed by the CSO and reviewed at the last change board."],
    )
    duration_days: int | None = Field(
        default=None, ge=1, le=90, description="Days a team needs to finish the step: at most 90."
    )


class GlossaryEntry(_Strict):
    term: str = Field(min_length=1, max_length=40, examples=["DSPT"])
    expansion: str = Field(min_length=1, examples=["Data Security and Protection Toolkit"])


class OptionMapping(_Strict):
    """Answers to one question of an earlier version, carried to one question of this version."""

    from_question: Identifier = Field(alias="from", description="A question of the earlier version.")
    to_question: Identifier = Field(alias="to", description="A question of this version.")
    options: dict[Identifier, Identifier | None] = Field(
        description="Every option of the earlier question -> an option of this one, or null: ask again.",
    )


class DroppedQuestion(_Strict):
    question_id: Identifier = Field(description="A question of the earlier version with no counterpart.")
    reason: str = Field(min_length=1)


class OptionCrosswalk(_Strict):
    """The second crosswalk form (2.0.0 on): option by option, every earlier question accounted for.

    When several earlier answers map to one question, the lowest-scoring mapped option is carried.
    """

    map: list[OptionMapping] = Field(default_factory=list)
    dropped: list[DroppedQuestion] = Field(default_factory=list)


#: The first form (1.1.0): earlier question id -> this version's question id, where ids changed.
QuestionMapping = dict[Identifier, Identifier]
Crosswalk = OptionCrosswalk | QuestionMapping


class Framework(_LaterFields):
    added_later: ClassVar[dict[str, Any]] = {"glossary": []}

    framework_id: Identifier
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$", examples=["1.0.0"])
    title: str = Field(min_length=1)
    description: str = ""
    status: FrameworkStatus = "draft"
    glossary: list[GlossaryEntry] = Field(
        default_factory=list, description="Every acronym the texts use, expanded."
    )
    levels: list[Level] = Field(min_length=2, max_length=5)
    critical_rule: CriticalRule = CriticalRule()
    default_targets: dict[Identifier, LevelNumber]
    pillars: list[Pillar] = Field(min_length=1)
    recommendations: list[Recommendation] = Field(default_factory=list)
    crosswalk: dict[str, Crosswalk] = Field(
        default_factory=dict,
        description="For each earlier version, how its answers carry to this version: option by "
        "option (`{map, dropped}`, 2.0.0 on), or old question id -> this version's question id.",
    )

    @model_validator(mode="after")
    def _follows_the_rules(self) -> Self:
        problems = framework_problems(self)
        if problems:
            raise FrameworkProblems(problems)
        return self

    # Private cached properties: pydantic leaves them out of fields, dumps and the schema.
    @cached_property
    def _content_hash(self) -> str:
        return compute_content_hash(self)

    @cached_property
    def _index(self) -> FrameworkIndex:
        return build_index(self)
