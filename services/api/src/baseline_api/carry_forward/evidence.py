"""Evidence links come along when an assessment is carried forward.

Each piece of the source's evidence that supports a question some carried answer came from is
copied to the new draft, supporting the draft's questions those answers were carried to
(``sources``: new question id -> the earlier questions it came from). A piece none of whose
questions was carried stays behind. A copy keeps who added the original; the draft's audit
records ``evidence.carried`` by whoever carried it forward. Respondents and their individual
answers are not carried.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from baseline_api.audit.models import AuditEvent
from baseline_api.auth import Actor
from baseline_api.evidence import repository
from baseline_api.evidence.models import Evidence

__all__ = ["carry_evidence"]

_COPIED = (
    "organisation_id",
    "title",
    "url",
    "reference",
    "description",
    "evidence_date",
    "expires_on",
    "created_by",
    "created_by_name",
    "updated_by",
    "updated_by_name",
)


def _carried_to(piece: Evidence, sources: Mapping[str, tuple[str, ...]]) -> list[str]:
    supported = set(piece.question_ids)
    return [new for new, earlier in sources.items() if supported.intersection(earlier)]


async def carry_evidence(
    session: AsyncSession,
    source_id: uuid.UUID,
    draft_id: uuid.UUID,
    sources: Mapping[str, tuple[str, ...]],
    by: Actor,
) -> int:
    """Copy the source's evidence of the carried answers to the draft; how many pieces were copied."""
    rows: list[dict[str, Any]] = []
    for piece in await repository.pieces(session, source_id):
        question_ids = _carried_to(piece, sources)
        if question_ids:
            copied = {name: getattr(piece, name) for name in _COPIED}
            rows.append(
                {**copied, "id": uuid.uuid4(), "assessment_id": draft_id, "question_ids": question_ids}
            )
    await repository.insert_many(session, rows)
    if rows:
        audit = [_audit_row(row, by, source_id) for row in rows]
        await session.execute(insert(AuditEvent), audit)
    return len(rows)


def _audit_row(row: dict[str, Any], by: Actor, source_id: uuid.UUID) -> dict[str, Any]:
    detail = {"title": row["title"], "question_ids": row["question_ids"], "from": str(source_id)}
    return {
        "organisation_id": row["organisation_id"],
        "assessment_id": row["assessment_id"],
        "by": by.id,
        "by_name": by.name,
        "action": "evidence.carried",
        "target": str(row["id"]),
        "detail": detail,
    }
