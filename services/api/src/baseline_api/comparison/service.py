"""The rules of comparing two scored assessments of one organisation and framework.

Pillars and capabilities are matched by id: across versions, a capability only one side has is
listed (``only_in_from``, ``only_in_to``), never guessed through the crosswalk. The older of the
two (by ``scored_at``) is ``from``, whichever order they were named in. The actions are those the
organisation marked done in between, each with its capability's level on both sides.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.actions import repository as actions
from baseline_api.actions.models import Action
from baseline_api.assessments import repository as assessments
from baseline_api.assessments.models import Assessment
from baseline_api.assessments.progress import score_delta
from baseline_api.assessments.service import profile_of, visible_assessment
from baseline_api.core.auth import Principal
from baseline_service_kit import Conflict, FieldError, Unprocessable

from .schemas import ActionOutcome, CapabilityChange, ComparedAssessment, Comparison, PillarChange

__all__ = ["compare"]

_WITH = "query.with"


@dataclass(frozen=True)
class _Scored:
    assessment: Assessment
    result: dict[str, Any]

    @property
    def scored_at(self) -> datetime:
        assert self.assessment.scored_at is not None  # it has a result
        return self.assessment.scored_at

    @property
    def pillars(self) -> dict[str, dict[str, Any]]:
        return {pillar["pillar_id"]: pillar for pillar in self.result["pillars"]}

    @property
    def capabilities(self) -> dict[str, dict[str, Any]]:
        return {c["capability_id"]: c for pillar in self.result["pillars"] for c in pillar["capabilities"]}

    def summary(self) -> ComparedAssessment:
        a = self.assessment
        return ComparedAssessment(
            assessment_id=a.id,
            framework_version=a.framework_version,
            profile=profile_of(a),
            scored_at=self.scored_at,
        )


async def compare(
    session: AsyncSession, principal: Principal, assessment_id: uuid.UUID, other_id: uuid.UUID
) -> Comparison:
    first = await visible_assessment(session, principal, assessment_id)
    result = await assessments.get_result(session, first.id)
    if result is None:
        raise Conflict(f"The assessment is {first.status}; it has no result to compare yet.")
    second = await _other(session, principal, first, other_id)
    older, newer = sorted([_Scored(first, result), second], key=lambda s: (s.scored_at, s.assessment.id))
    done = await actions.completed_between(
        session, first.organisation_id, first.framework_id, older.scored_at, newer.scored_at
    )
    return _comparison(older, newer, done)


def _comparison(older: _Scored, newer: _Scored, done: Sequence[Action]) -> Comparison:
    before, after = older.capabilities, newer.capabilities
    return Comparison(
        from_=older.summary(),
        to=newer.summary(),
        pillars=_pillars(older, newer),
        capabilities=[_capability(before[c], after[c]) for c in after if c in before],
        only_in_from=[c for c in before if c not in after],
        only_in_to=[c for c in after if c not in before],
        actions=[_outcome(action, before, after) for action in done],
    )


def _refused(message: str) -> Unprocessable:
    return Unprocessable("Cannot compare.", errors=[FieldError(field=_WITH, message=message)])


async def _other(
    session: AsyncSession, principal: Principal, first: Assessment, other_id: uuid.UUID
) -> _Scored:
    """The assessment to compare with: scored, of the same organisation and framework; 422 naming
    ``with`` otherwise (one the token cannot see reads as missing)."""
    other = await assessments.get_assessment(session, other_id)
    if other is None or not principal.can_see(other.organisation_id):
        raise _refused("no such assessment")
    if other.organisation_id != first.organisation_id:
        raise _refused("an assessment of another organisation")
    if other.framework_id != first.framework_id:
        raise _refused(f"an assessment of {other.framework_id}, not {first.framework_id}")
    result = await assessments.get_result(session, other.id)
    if result is None:
        raise _refused(f"the assessment is {other.status}, not scored")
    return _Scored(other, result)


def _pillars(older: _Scored, newer: _Scored) -> list[PillarChange]:
    before, after = older.pillars, newer.pillars
    ids = [*after, *(p for p in before if p not in after)]
    empty: dict[str, Any] = {}
    return [_pillar(p, before.get(p, empty), after.get(p, empty)) for p in ids]


def _pillar(pillar_id: str, before: dict[str, Any], after: dict[str, Any]) -> PillarChange:
    return PillarChange(
        pillar_id=pillar_id,
        from_score=before.get("score"),
        to_score=after.get("score"),
        delta=score_delta(after.get("score"), before.get("score")),
        from_level=before.get("level"),
        to_level=after.get("level"),
    )


def _capability(before: dict[str, Any], after: dict[str, Any]) -> CapabilityChange:
    return CapabilityChange(
        capability_id=after["capability_id"],
        from_score=before["score"],
        to_score=after["score"],
        from_level=before["level"],
        to_level=after["level"],
        delta=score_delta(after["score"], before["score"]),
    )


def _outcome(
    action: Action, before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]
) -> ActionOutcome:
    level_before = before.get(action.capability_id, {}).get("level")
    level_after = after.get(action.capability_id, {}).get("level")
    assert action.completed_at is not None  # done
    return ActionOutcome(
        action_id=action.id,
        recommendation_id=action.recommendation_id,
        capability_id=action.capability_id,
        completed_at=action.completed_at,
        level_before=level_before,
        level_after=level_after,
        moved=None if level_before is None or level_after is None else level_after > level_before,
    )
