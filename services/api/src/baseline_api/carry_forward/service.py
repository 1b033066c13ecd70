"""The rules of carrying forward: the next assessment starts from the last one's answers.

The source is a scored assessment of the same organisation and framework; the new draft pins the
latest published version unless the body names another. Answers go through the crosswalk
(``framework_model.carry_answers``: nothing invented, the lowest mapped option when several
answers meet, and a list of what could not be carried and why). Each carried answer is marked
``carried`` until someone answers it again, and submit refuses while any is. An answer carried
from exactly one earlier answer keeps that answer's comment (and, if not applicable, its
reason). The source's targets come along where the new version has the pillar; the body's win.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.assessments import repository as assessments
from baseline_api.assessments import service as assessment_rules
from baseline_api.assessments.models import SCORED_STATUSES, Assessment, Response
from baseline_api.assessments.schemas import AssessmentCreate, AssessmentOut
from baseline_api.auth import Actor, Principal
from baseline_service_kit import FieldError, Unprocessable
from framework_model import (
    Answer,
    CarriedAnswers,
    Framework,
    NoCrosswalkError,
    Profile,
    asks,
    carry_answers,
    framework_index,
)

from . import repository
from .evidence import carry_evidence
from .schemas import AssessmentCreated, NotCarriedOut

__all__ = ["CARRIED_FROM_STATUSES", "create_assessment"]

# The statuses an assessment may be carried forward from: scored, approved or not.
CARRIED_FROM_STATUSES = SCORED_STATUSES


async def create_assessment(
    session: AsyncSession, principal: Principal, organisation_id: uuid.UUID, body: AssessmentCreate
) -> AssessmentCreated:
    """A new draft: empty, or carried forward from ``body.carry_forward_from``."""
    if body.carry_forward_from is None:
        return AssessmentCreated.model_validate(
            await assessment_rules.create_assessment(session, principal, organisation_id, body)
        )
    await assessment_rules.ensure_organisation(session, principal, organisation_id, lock=True)
    framework = assessment_rules.checked_framework(body)
    source = await _source(session, organisation_id, body.carry_forward_from, framework)
    given = {r.question_id: r for r in await repository.answers_of(session, source.id)}
    carried = _carry(assessment_rules.pinned_framework(source), framework, given.values(), body.profile)
    draft = await assessment_rules.start_assessment(
        session,
        organisation_id,
        framework,
        principal.actor,
        targets=_targets(source, framework) | body.targets,
        title=body.title,
        profile=body.profile,
        carried_forward_from=source.id,
    )
    await repository.store_carried(session, draft.id, _rows(carried, given, principal.actor))
    await carry_evidence(session, source.id, draft.id, carried.sources, principal.actor)
    return AssessmentCreated(
        **AssessmentOut.model_validate(draft).model_dump(),
        carried=len(carried.answers),
        not_carried=[NotCarriedOut.model_validate(item.model_dump()) for item in carried.not_carried],
    )


def _refused(message: str, field: str = "carry_forward_from") -> Unprocessable:
    return Unprocessable("Cannot carry forward.", errors=[FieldError(field=field, message=message)])


async def _source(
    session: AsyncSession, organisation_id: uuid.UUID, source_id: uuid.UUID, framework: Framework
) -> Assessment:
    """The assessment to carry forward from; 422 naming ``carry_forward_from`` unless it is a scored
    assessment of this organisation and framework (another organisation's reads as missing)."""
    source = await assessments.get_assessment(session, source_id)
    if source is None or source.organisation_id != organisation_id:
        raise _refused("no such assessment of this organisation")
    if source.framework_id != framework.framework_id:
        raise _refused(f"an assessment of {source.framework_id}, not {framework.framework_id}")
    if source.status not in CARRIED_FROM_STATUSES:
        raise _refused(f"the assessment is {source.status}; only a scored one is carried forward")
    return source


def _carry(
    source: Framework, target: Framework, given: Iterable[Response], profile: Profile
) -> CarriedAnswers:
    answers = [
        Answer(question_id=r.question_id, value=r.value, not_applicable=r.not_applicable) for r in given
    ]
    try:
        carried = carry_answers(source, target, answers)
    except NoCrosswalkError:
        message = f"answers carry from {source.version} only to it or a later version with a crosswalk"
        raise _refused(message, "framework_version") from None
    return _asked(target, carried, profile)


def _asked(framework: Framework, carried: CarriedAnswers, profile: Profile) -> CarriedAnswers:
    """Only what ``profile`` asks: a quick draft carries, and lists, its lead questions alone (and
    the dropped questions, whose ids are the earlier version's)."""
    if profile == "full":
        return carried
    asked = {qid for qid, ref in framework_index(framework).questions.items() if asks(ref.question, profile)}
    return CarriedAnswers(
        answers=tuple(a for a in carried.answers if a.question_id in asked),
        not_carried=tuple(n for n in carried.not_carried if n.code == "dropped" or n.question_id in asked),
        sources={qid: ids for qid, ids in carried.sources.items() if qid in asked},
    )


def _targets(source: Assessment, framework: Framework) -> dict[str, int]:
    """The source's targets for the pillars the new version has, at levels it has."""
    pillars = {pillar.pillar_id for pillar in framework.pillars}
    return {
        p: level for p, level in source.targets.items() if p in pillars and level <= len(framework.levels)
    }


def _rows(carried: CarriedAnswers, given: Mapping[str, Response], by: Actor) -> list[dict[str, Any]]:
    rows = []
    for answer in carried.answers:
        sources = carried.sources[answer.question_id]
        only = given[sources[0]] if len(sources) == 1 else None
        rows.append(
            {
                "question_id": answer.question_id,
                "value": answer.value,
                "not_applicable": answer.not_applicable,
                "reason": only.reason if only is not None and answer.not_applicable else None,
                "comment": only.comment if only is not None else None,
                **by.columns(),
            }
        )
    return rows
