"""The ``api_keys`` table. Tokens are never stored: only a public prefix and a SHA-256 digest."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, String, func, text
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from baseline_api.auth.scopes import SCOPES
from baseline_api.core.db import Base

__all__ = ["ApiKey"]

_KNOWN_SCOPES = ", ".join(f"'{scope}'" for scope in SCOPES)


class ApiKey(Base):
    __tablename__ = "api_keys"
    __table_args__ = (
        CheckConstraint(
            f"scopes <@ ARRAY[{_KNOWN_SCOPES}]::varchar[] AND cardinality(scopes) > 0",
            name="known_scopes",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, server_default=text("gen_random_uuid()"))
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(32), unique=True)
    secret_sha256: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[str]] = mapped_column(ARRAY(String(16)))
    # NULL: every organisation; otherwise only these (a deleted organisation simply stops matching).
    organisation_ids: Mapped[list[uuid.UUID] | None] = mapped_column(ARRAY(UUID))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
