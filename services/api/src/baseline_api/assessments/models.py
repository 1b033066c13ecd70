"""Assessments, responses and results.

An assessment is pinned to one framework version (and its content hash) at creation. Its
``revision`` grows with every change to it or its responses and is the ETag clients send back
in ``If-Match``. Status moves forward: draft -> submitted -> scored -> approved; an admin may
withdraw an approval (approved -> scored). An approved assessment is a scored one that a named
person signed off: everything that reads scored assessments reads ``SCORED_STATUSES``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    literal_column,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from baseline_api.auth.actor import MAX_ACTOR_ID, MAX_ACTOR_NAME
from baseline_api.auth.columns import RecordsAuthor
from baseline_api.core.db import Base

__all__ = [
    "SCORED_SQL",
    "SCORED_STATUSES",
    "STATUSES",
    "AnswerColumns",
    "Assessment",
    "AssessmentResult",
    "Response",
    "answer_checks",
    "is_scored",
]

STATUSES = ("draft", "submitted", "scored", "approved")
# Statuses with a stored result: wherever "a scored assessment" is meant, approved ones count too.
SCORED_STATUSES = ("scored", "approved")
# The same as SQL; the latest-scored index's predicate, so queries that use it must say it so.
SCORED_SQL = "status IN ('scored', 'approved')"


class Assessment(RecordsAuthor, Base):
    __tablename__ = "assessments"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'submitted', 'scored', 'approved')", name="known_status"),
        CheckConstraint("profile IN ('full', 'quick')", name="known_profile"),
        CheckConstraint("revision >= 1", name="positive_revision"),
        CheckConstraint("(status = 'draft') = (submitted_at IS NULL)", name="submitted_at_iff_submitted"),
        CheckConstraint(f"({SCORED_SQL}) = (scored_at IS NOT NULL)", name="scored_at_iff_scored"),
        CheckConstraint(
            "(status = 'approved') = (approved_at IS NOT NULL AND approved_by IS NOT NULL "
            "AND approved_by_name IS NOT NULL AND approver_name IS NOT NULL AND approver_role IS NOT NULL "
            "AND approval_sha256 IS NOT NULL)",
            name="approval_iff_approved",
        ),
        CheckConstraint("(status = 'submitted') = (next_scoring_at IS NOT NULL)", name="due_iff_submitted"),
        Index("ix_assessments_organisation_id_created_at", "organisation_id", "created_at", "id"),
        # What audit rows refer to (an assessment and the organisation it belongs to, together).
        UniqueConstraint("id", "organisation_id"),
        Index(
            "uq_assessments_organisation_id_external_id",
            "organisation_id",
            "external_id",
            unique=True,
            postgresql_where=text("external_id IS NOT NULL"),
        ),
        # Peer benchmarks: each organisation's latest scored assessment of one framework version.
        Index(
            "ix_assessments_latest_scored",
            "framework_id",
            "framework_version",
            "organisation_id",
            text("scored_at DESC"),
            text("id DESC"),
            postgresql_where=text(SCORED_SQL),
        ),
        # The scoring worker's queue: submitted assessments, the most overdue first.
        Index(
            "ix_assessments_next_scoring_at", "next_scoring_at", postgresql_where=text("status = 'submitted'")
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, server_default=text("gen_random_uuid()"))
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"))
    framework_id: Mapped[str] = mapped_column(String(64))
    framework_version: Mapped[str] = mapped_column(String(32))
    content_hash: Mapped[str] = mapped_column(String(80))
    # Which questions it asks: every one (full) or the lead questions alone (quick).
    profile: Mapped[str] = mapped_column(String(8), server_default="full")
    title: Mapped[str | None] = mapped_column(String(200))
    targets: Mapped[dict[str, int]] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(String(16), server_default="draft")
    revision: Mapped[int] = mapped_column(Integer, server_default="1")
    external_id: Mapped[str | None] = mapped_column(String(200))
    # The scored assessment whose answers this draft started from (carry forward), if any.
    carried_forward_from: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="RESTRICT")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    scored_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # While submitted: how often scoring was tried, when to try next, and why the last try failed.
    scoring_attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    next_scoring_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_scoring_error: Mapped[str | None] = mapped_column(Text)
    # While approved: the sign-off. ``approved_by`` is the authenticated principal (an actor id),
    # ``approver_name`` and ``approver_role`` what they gave; the signed report's SHA-256 beside.
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_by: Mapped[str | None] = mapped_column(String(MAX_ACTOR_ID))
    approved_by_name: Mapped[str | None] = mapped_column(String(MAX_ACTOR_NAME))
    approver_name: Mapped[str | None] = mapped_column(String(200))
    approver_role: Mapped[str | None] = mapped_column(String(200))
    approval_note: Mapped[str | None] = mapped_column(Text)
    approval_sha256: Mapped[str | None] = mapped_column(String(64))


def answer_checks() -> tuple[CheckConstraint, CheckConstraint]:
    """An answer is an option or not applicable, never both and never neither."""
    return (
        CheckConstraint("NOT (not_applicable AND value IS NOT NULL)", name="value_or_not_applicable"),
        CheckConstraint("not_applicable OR value IS NOT NULL", name="answered"),
    )


class AnswerColumns(RecordsAuthor):
    """The columns of an answer: the assessment's own (``responses``) or a respondent's. The table
    adds what the answer belongs to (part of its primary key) and ``answer_checks()``."""

    question_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str | None] = mapped_column(String(64))
    not_applicable: Mapped[bool] = mapped_column(server_default="false")
    reason: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Response(AnswerColumns, Base):
    __tablename__ = "responses"
    __table_args__ = answer_checks()

    assessment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True, sort_order=-1
    )
    # Carried forward from an earlier assessment and not yet confirmed: answering the question
    # again (even with the same value) clears it, and submit refuses while any is set.
    carried: Mapped[bool] = mapped_column(server_default="false")


class AssessmentResult(Base):
    """The scoring service's answer, kept with what is needed to reproduce it exactly."""

    __tablename__ = "assessment_results"

    assessment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True
    )
    framework_id: Mapped[str] = mapped_column(String(64))
    framework_version: Mapped[str] = mapped_column(String(32))
    content_hash: Mapped[str] = mapped_column(String(80))
    engine_version: Mapped[str] = mapped_column(String(32))
    result: Mapped[dict[str, Any]] = mapped_column(JSONB)
    scored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


def is_scored() -> ColumnElement[bool]:
    """``SCORED_SQL`` for a query: literals, not parameters, so that even a generic plan can
    prove the latest-scored index's predicate and use it."""
    return Assessment.status.in_([literal_column(f"'{status}'") for status in SCORED_STATUSES])
