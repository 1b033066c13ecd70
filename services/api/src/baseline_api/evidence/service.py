"""The rules of evidence: what a piece must say, who sees its links, and when it locks.

Evidence can be added to an assessment in any status but approved (it locks at approval: 409).
Adding, changing and deleting a piece take the assessment's row lock, so the cap of
``MAX_EVIDENCE`` holds under concurrency, and are audited, so an approval whose report was
rendered before the change is refused rather than signing stale evidence (see ``approvals``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.assessments import repository as assessments
from baseline_api.assessments.models import Assessment
from baseline_api.assessments.service import pinned_framework, profile_of, visible_assessment
from baseline_api.audit import record as audit
from baseline_api.auth import Principal
from baseline_api.core.pagination import decode_typed_cursor, encode_cursor
from baseline_service_kit import Conflict, FieldError, NotFound, Unprocessable
from framework_model import asks, framework_index

from . import repository
from .coverage import Coverage, Piece, coverage, expired, judged_on
from .models import MAX_EVIDENCE, Evidence
from .schemas import EvidenceCreate, EvidenceOut, EvidenceUpdate

__all__ = ["create", "delete", "evidence_page", "out", "sees_links", "summary", "update"]


def sees_links(principal: Principal) -> bool:
    """``url`` and ``reference`` are organisation-internal: write, approve and admin see them."""
    return principal.has_scope("write") or principal.has_scope("approve")


def out(evidence: Evidence, principal: Principal, day: date) -> EvidenceOut:
    shown = sees_links(principal)
    return EvidenceOut.model_validate(
        {
            **{name: getattr(evidence, name) for name in EvidenceOut.model_fields if hasattr(evidence, name)},
            "url": evidence.url if shown else None,
            "reference": evidence.reference if shown else None,
            "redacted": not shown,
            "expired": expired(_piece(evidence), day),
        }
    )


def _piece(evidence: Evidence) -> Piece:
    return Piece(evidence.id, evidence.question_ids, evidence.expires_on)


async def _changeable(session: AsyncSession, principal: Principal, assessment_id: uuid.UUID) -> Assessment:
    assessment = await visible_assessment(session, principal, assessment_id, lock=True)
    if assessment.status == "approved":
        raise Conflict("The assessment is approved: its evidence is locked.")
    return assessment


def _question_errors(assessment: Assessment, question_ids: Sequence[str]) -> list[FieldError]:
    framework, profile = pinned_framework(assessment), profile_of(assessment)
    questions = framework_index(framework).questions
    where = f"{framework.framework_id} {framework.version}"
    return [
        FieldError(
            field=f"question_ids[{i}]", message=f"not a question this assessment asks ({where}, {profile})"
        )
        for i, qid in enumerate(question_ids)
        if qid not in questions or not asks(questions[qid].question, profile)
    ]


def _check(assessment: Assessment, fields: dict[str, Any]) -> None:
    """The rules across fields, on the piece as it would be stored; 422 naming each field."""
    errors = _question_errors(assessment, fields["question_ids"])
    if fields["url"] is None and fields["reference"] is None:
        message = "give a url (https) or a reference (a document id), or both"
        errors += [FieldError(field="url", message=message), FieldError(field="reference", message=message)]
    if fields["expires_on"] is not None and fields["expires_on"] < fields["evidence_date"]:
        errors.append(FieldError(field="expires_on", message="before evidence_date"))
    if errors:
        raise Unprocessable(f"{len(errors)} problem(s) with the evidence.", errors=errors)


def _unique(question_ids: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(question_ids))


async def create(
    session: AsyncSession, principal: Principal, assessment_id: uuid.UUID, body: EvidenceCreate
) -> EvidenceOut:
    assessment = await _changeable(session, principal, assessment_id)
    fields = body.model_dump() | {"question_ids": _unique(body.question_ids)}
    _check(assessment, fields)
    if await repository.count(session, assessment.id) >= MAX_EVIDENCE:
        error = FieldError(field="assessment_id", message=f"at most {MAX_EVIDENCE} pieces of evidence")
        raise Unprocessable("The assessment has as much evidence as it can hold.", errors=[error])
    by = principal.actor
    evidence = await repository.insert_evidence(
        session,
        assessment_id=assessment.id,
        organisation_id=assessment.organisation_id,
        **fields,
        **by.columns("created_by"),
        **by.columns(),
    )
    await _audit(session, principal, evidence, "evidence.added", _public(fields))
    return out(evidence, principal, judged_on(assessment.scored_at))


def _public(fields: dict[str, Any]) -> dict[str, Any]:
    """What the audit keeps of a piece: never its url or reference (organisation-internal)."""
    kept = ("title", "evidence_date", "expires_on", "question_ids")
    return {
        name: fields[name] if not isinstance(fields[name], date) else fields[name].isoformat()
        for name in kept
        if name in fields
    }


async def _audit(
    session: AsyncSession, principal: Principal, evidence: Evidence, action: str, detail: dict[str, Any]
) -> None:
    await audit.record(
        session,
        organisation_id=evidence.organisation_id,
        assessment_id=evidence.assessment_id,
        by=principal.actor,
        action=action,
        target=str(evidence.id),
        detail=detail,
    )


async def _existing(session: AsyncSession, assessment_id: uuid.UUID, evidence_id: uuid.UUID) -> Evidence:
    evidence = await repository.one(session, assessment_id, evidence_id)
    if evidence is None:
        raise NotFound("No such evidence in this assessment.")
    return evidence


async def update(
    session: AsyncSession,
    principal: Principal,
    target: tuple[uuid.UUID, uuid.UUID],
    body: EvidenceUpdate,
) -> EvidenceOut:
    """``target``: (assessment id, evidence id)."""
    assessment = await _changeable(session, principal, target[0])
    evidence = await _existing(session, assessment.id, target[1])
    changes = body.model_dump(exclude_unset=True)
    for required in ("title", "evidence_date", "question_ids"):
        if required in changes and changes[required] is None:
            raise Unprocessable(
                "A required field cannot be cleared.",
                errors=[FieldError(field=required, message="cannot be null")],
            )
    if "question_ids" in changes:
        changes["question_ids"] = _unique(changes["question_ids"])
    current = {name: getattr(evidence, name) for name in EvidenceUpdate.model_fields}
    _check(assessment, current | changes)
    updated = await repository.update_evidence(session, evidence.id, **changes, **principal.actor.columns())
    await _audit(
        session, principal, updated, "evidence.updated", {"fields": sorted(changes), **_public(changes)}
    )
    return out(updated, principal, judged_on(assessment.scored_at))


async def delete(session: AsyncSession, principal: Principal, target: tuple[uuid.UUID, uuid.UUID]) -> None:
    assessment = await _changeable(session, principal, target[0])
    evidence = await _existing(session, assessment.id, target[1])
    await repository.remove(session, evidence.id)
    await _audit(session, principal, evidence, "evidence.deleted", {"title": evidence.title})


async def evidence_page(
    session: AsyncSession,
    principal: Principal,
    assessment_id: uuid.UUID,
    *,
    filters: dict[str, Any],
    limit: int,
    cursor: str | None,
) -> tuple[list[EvidenceOut], str | None]:
    """One page, oldest first; ``filters``: ``question_id``, ``expired`` (None: either)."""
    assessment = await visible_assessment(session, principal, assessment_id)
    day = judged_on(assessment.scored_at)
    after = decode_typed_cursor(cursor, datetime.fromisoformat, uuid.UUID)
    found = await repository.list_evidence(
        session,
        assessment.id,
        **filters,
        day=day,
        after=after,
        limit=limit + 1,
    )
    items = found[:limit]
    last = items[-1] if len(found) > limit else None
    next_cursor = None if last is None else encode_cursor([last.created_at.isoformat(), str(last.id)])
    return [out(item, principal, day) for item in items], next_cursor


async def summary(session: AsyncSession, principal: Principal, assessment_id: uuid.UUID) -> Coverage:
    assessment = await visible_assessment(session, principal, assessment_id)
    return await coverage_of(session, assessment)


async def coverage_of(session: AsyncSession, assessment: Assessment) -> Coverage:
    """The assessment's coverage, judged on the day it was scored (today while it is not)."""
    answers = await assessments.list_responses(session, assessment.id)
    pieces = [_piece(e) for e in await repository.pieces(session, assessment.id)]
    given = [(a.question_id, None if a.not_applicable else a.value) for a in answers]
    return coverage(pinned_framework(assessment), given, pieces, judged_on(assessment.scored_at))
