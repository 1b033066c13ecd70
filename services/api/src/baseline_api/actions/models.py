"""The ``actions`` table: the improvement plan, one row per recommendation step taken on.

An action copies its step's title and ``done_when`` from the framework when it is created, so
the plan reads the same whatever framework versions come later. At most one action per
organisation and recommendation is open (planned or in progress): a partial unique index says
so, whatever number of replicas write at once.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, String, Text, func, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from baseline_api.core.db import Base

__all__ = ["ACTION_STATUSES", "OPEN_STATUSES", "Action"]

ACTION_STATUSES = ("planned", "in_progress", "done", "dropped")
OPEN_STATUSES = ("planned", "in_progress")
_OPEN = "status IN ('planned', 'in_progress')"


class Action(Base):
    __tablename__ = "actions"
    __table_args__ = (
        CheckConstraint("status IN ('planned', 'in_progress', 'done', 'dropped')", name="known_status"),
        CheckConstraint("(status = 'done') = (completed_at IS NOT NULL)", name="completed_at_iff_done"),
        # At most one open action per organisation and recommendation.
        Index(
            "uq_actions_open_recommendation",
            "organisation_id",
            "recommendation_id",
            unique=True,
            postgresql_where=text(_OPEN),
        ),
        # The list, newest first, page by page.
        Index("ix_actions_organisation_id_created_at", "organisation_id", "created_at", "id"),
        # The overdue worker's queue: open actions not yet reported overdue for their due date.
        Index(
            "ix_actions_overdue_unreported",
            "due_on",
            postgresql_where=text(f"{_OPEN} AND overdue_reported_for IS DISTINCT FROM due_on"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, server_default=text("gen_random_uuid()"))
    # An organisation with actions has assessments, which keep it from being deleted.
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    assessment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessments.id", ondelete="RESTRICT"))
    recommendation_id: Mapped[str] = mapped_column(String(64))
    capability_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    done_when: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), server_default="planned")
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Who created and last changed it (see ``attribution``); kept if the key is later revoked.
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID)
    updated_by: Mapped[uuid.UUID | None] = mapped_column(UUID)
    # The due date an ``action.overdue`` event was sent for: once per action and due date.
    overdue_reported_for: Mapped[date | None] = mapped_column(Date)
