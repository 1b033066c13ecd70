"""The rules of approval: only a scored assessment, by an ``approve`` (or admin) principal, with the
report as it stands stored and hashed; withdrawn only by an admin, with a reason.

Approving renders the report (seconds, for a PDF) with no transaction open, then signs off with
one statement that applies only if the assessment is still scored at the revision rendered.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.assessments import repository as assessments
from baseline_api.assessments.models import Assessment
from baseline_api.assessments.service import visible_assessment
from baseline_api.audit import record as audit
from baseline_api.auth import Principal
from baseline_api.reports.service import Readers, signed_report
from baseline_service_kit import Conflict

from . import repository
from .schemas import ApprovalIn, WithdrawalIn

__all__ = ["approve", "withdraw"]


def _not_scored(assessment: Assessment) -> Conflict:
    return Conflict(f"The assessment is {assessment.status}; only a scored assessment can be approved.")


async def approve(readers: Readers, assessment_id: uuid.UUID, body: ApprovalIn) -> Assessment:
    async with readers.sessions() as session:
        assessment = await visible_assessment(session, readers.principal, assessment_id)
    if assessment.status != "scored":
        raise _not_scored(assessment)
    async with readers.connections.use() as connection:
        seen = (assessment.revision, await repository.audited_up_to(connection, assessment.id))
    approval = {
        "approved_at": datetime.now(UTC),
        "approver_name": body.approver_name,
        "approver_role": body.approver_role,
        "note": body.note,
    }
    document, media_type = await signed_report(readers, assessment.id, approval)
    signed = (document, media_type, hashlib.sha256(document).hexdigest())
    async with readers.connections.use() as connection:
        done = await repository.approve(
            connection, assessment.id, seen, approval, signed, readers.principal.actor
        )
    async with readers.sessions() as session:
        current = await assessments.get_assessment(session, assessment.id)
    assert current is not None  # assessments are never deleted
    if done:
        return current
    if current.status != "scored":
        raise _not_scored(current)
    raise Conflict(
        "The assessment or its evidence changed while its report was being prepared; approve it again."
    )


async def withdraw(
    session: AsyncSession, principal: Principal, assessment_id: uuid.UUID, body: WithdrawalIn
) -> Assessment:
    """approved -> scored; the audit keeps the reason and the SHA-256 of what had been signed."""
    assessment = await visible_assessment(session, principal, assessment_id, lock=True)
    signed = {"reason": body.reason, "sha256": assessment.approval_sha256}
    withdrawn = await repository.withdraw(session, assessment.id, principal.actor)
    if withdrawn is None:
        raise Conflict(
            f"The assessment is {assessment.status}, not approved: there is no approval to withdraw."
        )
    await audit.record_on(session, withdrawn, principal.actor, "assessment.approval_withdrawn", signed)
    return withdrawn
