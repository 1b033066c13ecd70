"""Rendered documents, kept in PostgreSQL so that every gateway replica shares them.

A row's key is a SHA-256 of everything the document shows (and of the code that renders it), so
an entry can never be stale: different inputs are a different key. Housekeeping deletes entries
older than ``RENDER_CACHE_RETENTION_DAYS``; a deleted entry is simply rendered again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, LargeBinary, String, func
from sqlalchemy.orm import Mapped, mapped_column

from baseline_api.core.db import Base

__all__ = ["RenderedDocument"]


class RenderedDocument(Base):
    __tablename__ = "rendered_documents"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(100))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )
