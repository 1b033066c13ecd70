"""The ``approval_documents`` table: the report exactly as it was signed off.

One row per approved assessment, the bytes served by the report route from then on. The
SHA-256 is kept on the assessment (``approval_sha256``), so the record of what was signed
outlives the document (a withdrawal or an erasure deletes the document, never the hash's audit).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, LargeBinary, String, func
from sqlalchemy.orm import Mapped, mapped_column

from baseline_api.core.db import Base

__all__ = ["ApprovalDocument"]


class ApprovalDocument(Base):
    __tablename__ = "approval_documents"

    assessment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True
    )
    # application/pdf; text/html when the PDF engine could not load at approval.
    media_type: Mapped[str] = mapped_column(String(100))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    stored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
