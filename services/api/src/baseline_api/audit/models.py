"""The ``audit_events`` table: one row per change to an assessment or what hangs off it.

Rows are only ever inserted (personal-data erasure is the one exception: it replaces a person's
name with a pseudonym, and leaves every row in place). ``id`` is a sequence, so the history
reads in the order it was written, and a page's cursor is the last id it showed.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, ForeignKeyConstraint, Identity, Index, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from baseline_api.auth.actor import MAX_ACTOR_ID, MAX_ACTOR_NAME
from baseline_api.core.db import Base

__all__ = ["AuditEvent"]


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        # One key checks both columns: the organisation a row names is its assessment's (one
        # lookup a row, where a key each was two; bulk ingestion writes a row per answer).
        ForeignKeyConstraint(
            ["assessment_id", "organisation_id"],
            ["assessments.id", "assessments.organisation_id"],
            ondelete="CASCADE",
        ),
        # The audit endpoint: one assessment's history, page by page in the order written.
        Index("ix_audit_events_assessment_id_id", "assessment_id", "id"),
        # Erasure: every row one person wrote, in one organisation.
        Index("ix_audit_events_organisation_id_by", "organisation_id", "by"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    organisation_id: Mapped[uuid.UUID]
    assessment_id: Mapped[uuid.UUID]
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    by: Mapped[str] = mapped_column(String(MAX_ACTOR_ID))
    by_name: Mapped[str] = mapped_column(String(MAX_ACTOR_NAME))
    # What happened, as ``<thing>.<verb>``: ``response.answered``, ``respondent.added``,
    # ``evidence.updated``, ``assessment.approved``...
    action: Mapped[str] = mapped_column(String(64))
    # What it happened to: a question id, a respondent or evidence id; null for the assessment itself.
    target: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
