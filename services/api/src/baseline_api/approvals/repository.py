"""All SQL of approval: one statement signs off, stores the report, announces and audits it."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import delete, func, update
from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.assessments.models import Assessment
from baseline_api.audit.fragments import AUDIT_OF_CHANGED
from baseline_api.auth import Actor
from baseline_api.core.db import PgConnection, psycopg_sql
from baseline_api.webhooks.outbox import CHANGED_COLUMNS, EVENTS_OF_CHANGED, event_parameters

from .models import ApprovalDocument

__all__ = ["APPROVAL_COLUMNS", "approve", "audited_up_to", "withdraw"]

_LAST_AUDITED = psycopg_sql(
    "SELECT COALESCE(max(id), 0) FROM audit_events WHERE assessment_id = :assessment_id"
)


async def audited_up_to(connection: PgConnection, assessment_id: uuid.UUID) -> int:
    """The assessment's last audit event: a version of everything that happened to it."""
    row = await (await connection.execute(_LAST_AUDITED, {"assessment_id": assessment_id})).fetchone()
    return int(row[0]) if row is not None else 0


# Applies only to a scored assessment still at the revision whose report was rendered, with nothing
# audited since (evidence, say, which does not move the revision), so what is stored is exactly
# what the approver signed.
_APPROVE = psycopg_sql(f"""
WITH changed AS (
    UPDATE assessments
    SET status = 'approved', approved_at = :approved_at, approved_by = :updated_by,
        approved_by_name = :updated_by_name, approver_name = :approver_name,
        approver_role = :approver_role, approval_note = :note, approval_sha256 = :sha256,
        revision = revision + 1, updated_at = now(), updated_by = :updated_by,
        updated_by_name = :updated_by_name
    WHERE id = :assessment_id AND status = 'scored' AND revision = :revision
      AND NOT EXISTS (SELECT FROM audit_events
                      WHERE assessment_id = :assessment_id AND id > CAST(:audited_up_to AS bigint))
    RETURNING {CHANGED_COLUMNS}, updated_by, updated_by_name, revision
), document AS (
    INSERT INTO approval_documents (assessment_id, media_type, body)
    SELECT id, :media_type, :body FROM changed
    ON CONFLICT (assessment_id) DO UPDATE
    SET media_type = excluded.media_type, body = excluded.body, stored_at = now()
), {EVENTS_OF_CHANGED}, {AUDIT_OF_CHANGED}
SELECT revision FROM changed
""")  # noqa: S608 - composed of constant SQL; every value is a bound parameter

APPROVAL_COLUMNS = (
    "approved_at",
    "approved_by",
    "approved_by_name",
    "approver_name",
    "approver_role",
    "approval_note",
    "approval_sha256",
)


async def approve(
    connection: PgConnection,
    assessment_id: uuid.UUID,
    seen: tuple[int, int],
    approval: dict[str, Any],
    document: tuple[bytes, str, str],
    by: Actor,
) -> bool:
    """``seen``: (revision, ``audited_up_to``) when the report was rendered; ``approval``:
    approved_at, approver_name, approver_role, note; ``document``: (body, media type, SHA-256).
    False when the assessment is no longer scored as it was seen."""
    body, media_type, sha256 = document
    revision, audited = seen
    parameters = {
        **approval,
        "assessment_id": assessment_id,
        "revision": revision,
        "audited_up_to": audited,
        "body": body,
        "media_type": media_type,
        "sha256": sha256,
        **event_parameters(["assessment.approved"]),
        "audit_detail": json.dumps(
            {"approver_role": approval["approver_role"], "sha256": sha256, "media_type": media_type}
        ),
        **by.columns(),
    }
    row = await (await connection.execute(_APPROVE, parameters)).fetchone()
    return row is not None


async def withdraw(session: AsyncSession, assessment_id: uuid.UUID, by: Actor) -> Assessment | None:
    """approved -> scored by ``by``, the approval and its stored report gone; None if not approved."""
    statement = (
        update(Assessment)
        .where(Assessment.id == assessment_id, Assessment.status == "approved")
        .values(
            status="scored",
            revision=Assessment.revision + 1,
            updated_at=func.now(),
            **dict.fromkeys(APPROVAL_COLUMNS),
            **by.columns(),
        )
        .returning(Assessment)
        .execution_options(populate_existing=True, synchronize_session=False)
    )
    withdrawn = await session.scalar(statement)
    if withdrawn is not None:
        await session.execute(delete(ApprovalDocument).where(ApprovalDocument.assessment_id == assessment_id))
    return withdrawn
