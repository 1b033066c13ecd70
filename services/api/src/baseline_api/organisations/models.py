"""The ``organisations`` table: the database itself refuses a malformed ODS code or kind."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, String, func, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from baseline_api.auth.columns import RecordsAuthor
from baseline_api.core.db import Base

__all__ = ["KINDS", "ODS_CODE_PATTERN", "Organisation"]

KINDS = ("trust", "icb", "gp-practice", "supplier", "other")
ODS_CODE_PATTERN = r"^[A-Z0-9]{3,10}$"


class Organisation(RecordsAuthor, Base):
    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint(f"ods_code ~ '{ODS_CODE_PATTERN}'", name="ods_code_format"),
        CheckConstraint("kind IN ('trust', 'icb', 'gp-practice', 'supplier', 'other')", name="known_kind"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, server_default=text("gen_random_uuid()"))
    ods_code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    region: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
