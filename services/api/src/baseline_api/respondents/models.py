"""The ``respondents`` of an assessment and their own answers (``respondent_responses``).

A respondent's answers are theirs alone: the assessment's own responses (the agreed answers) are
separate, and only ``agreement/apply`` fills them from these. Both tables change only while the
assessment is a draft; every write bumps the assessment's revision, so a submit that read them
stores a result that matches them.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal, get_args

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, func, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from baseline_api.assessments.models import AnswerColumns, answer_checks
from baseline_api.auth.actor import MAX_ACTOR_ID, MAX_ACTOR_NAME, MAX_SUB
from baseline_api.auth.columns import RecordsAuthor
from baseline_api.core.db import Base

__all__ = ["MAX_RESPONDENTS", "ROLES", "Respondent", "RespondentResponse", "Role"]

Role = Literal["clinical", "digital", "operational", "commercial", "finance", "executive", "other"]
ROLES: tuple[Role, ...] = get_args(Role)
MAX_RESPONDENTS = 50
MAX_EMAIL = 254  # RFC 5321's limit on a forward path


class Respondent(RecordsAuthor, Base):
    __tablename__ = "respondents"
    __table_args__ = (
        CheckConstraint(f"role IN ({', '.join(repr(role) for role in ROLES)})", name="known_role"),
        # The list in the order they were added, and the count that caps it.
        Index("ix_respondents_assessment_id_created_at", "assessment_id", "created_at", "id"),
        # Personal-data erasure: every respondent one person is, in one organisation.
        Index("ix_respondents_organisation_id_subject", "organisation_id", "subject"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, server_default=text("gen_random_uuid()"))
    assessment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    email: Mapped[str | None] = mapped_column(String(MAX_EMAIL))
    # Their sign-in identity (a token's ``sub``): only they may then write their answers.
    subject: Mapped[str | None] = mapped_column(String(MAX_SUB))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    created_by: Mapped[str] = mapped_column(String(MAX_ACTOR_ID))
    created_by_name: Mapped[str] = mapped_column(String(MAX_ACTOR_NAME))


class RespondentResponse(AnswerColumns, Base):
    __tablename__ = "respondent_responses"
    __table_args__ = answer_checks()

    respondent_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("respondents.id", ondelete="CASCADE"), primary_key=True, sort_order=-1
    )
