"""The ``evidence`` table: references that support an assessment's answers.

The questions a piece supports are an array column rather than a join table: a piece is read,
written and carried forward as one row, and every query is bounded by its assessment (at most
``MAX_EVIDENCE`` pieces, through ``ix_evidence_assessment_id_created_at``), so ``question_ids @>``
filters a few hundred rows at most and needs no index of its own.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, String, Text, func, text
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from baseline_api.auth.actor import MAX_ACTOR_ID, MAX_ACTOR_NAME
from baseline_api.auth.columns import RecordsAuthor
from baseline_api.core.db import Base

__all__ = ["MAX_EVIDENCE", "Evidence"]

MAX_EVIDENCE = 500  # per assessment (collaboration.md)


class Evidence(RecordsAuthor, Base):
    __tablename__ = "evidence"
    __table_args__ = (
        CheckConstraint("url IS NOT NULL OR reference IS NOT NULL", name="url_or_reference"),
        CheckConstraint("url ~ '^https://'", name="https_url"),
        CheckConstraint("expires_on >= evidence_date", name="expires_after_evidence_date"),
        CheckConstraint("cardinality(question_ids) > 0", name="supports_a_question"),
        Index("ix_evidence_assessment_id_created_at", "assessment_id", "created_at", "id"),
        # Erasure: every row one person wrote, in one organisation.
        Index("ix_evidence_organisation_id", "organisation_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, server_default=text("gen_random_uuid()"))
    assessment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(2048))
    reference: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    evidence_date: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    question_ids: Mapped[list[str]] = mapped_column(ARRAY(String(64)))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    created_by: Mapped[str] = mapped_column(String(MAX_ACTOR_ID))
    created_by_name: Mapped[str] = mapped_column(String(MAX_ACTOR_NAME))
