"""The outbox (``events``), the subscriptions (``webhooks``) and what was sent to whom.

A webhook is never removed, only marked deleted: its deliveries and their attempts stay as the
record of what left the system. A deleted webhook's pending deliveries are cancelled.

Each webhook carries its receiver's circuit (``consecutive_failures``, ``failing_since``,
``next_probe_at``: see ``circuit``), and each pending delivery being sent carries a lease
(``locked_until``, ``claimed_by``: see ``claiming``).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from baseline_api.core.db import Base

__all__ = [
    "DELIVERY_STATUSES",
    "EVENT_TYPES",
    "Event",
    "Webhook",
    "WebhookDelivery",
    "WebhookDeliveryAttempt",
]

EVENT_TYPES = (
    "assessment.scored",
    "assessment.submitted",
    "assessment.approved",
    "action.completed",
    "action.overdue",
    "webhook.disabled",
)
_KNOWN_EVENTS = ", ".join(f"'{event_type}'" for event_type in EVENT_TYPES)
DELIVERY_STATUSES = ("pending", "delivered", "failed", "cancelled")
DeliveryStatus = Literal["pending", "delivered", "failed", "cancelled"]  # as DELIVERY_STATUSES


class Webhook(Base):
    __tablename__ = "webhooks"
    __table_args__ = (
        CheckConstraint(
            f"events <@ ARRAY[{_KNOWN_EVENTS}]::varchar[] AND cardinality(events) > 0",
            name="known_events",
        ),
        CheckConstraint("url ~ '^https?://'", name="http_url"),
        CheckConstraint("consecutive_failures >= 0", name="failures_not_negative"),
        CheckConstraint("cardinality(organisation_ids) > 0", name="organisation_ids_not_empty"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, server_default=text("gen_random_uuid()"))
    url: Mapped[str] = mapped_column(String(2083))
    events: Mapped[list[str]] = mapped_column(ARRAY(String(32)))
    # Every delivery is signed with the secret (HMAC), so it cannot be stored as a digest: it is
    # kept encrypted (Fernet, BASELINE_SECRET_KEY; see ``secret_box``).
    secret_ciphertext: Mapped[str] = mapped_column(Text)
    # NULL: events of every organisation; otherwise only of these.
    organisation_ids: Mapped[list[uuid.UUID] | None] = mapped_column(ARRAY(UUID))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # The API key that created it; NULL for the bootstrap admin token.
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set when the receiver failed for too long (or on request): nothing more is queued or sent.
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The receiver's circuit: failures in a row, since when, and when one probe may go next.
    consecutive_failures: Mapped[int] = mapped_column(Integer, server_default="0")
    failing_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    next_probe_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Event(Base):
    """The outbox: what happened, written in the transaction that made it happen."""

    __tablename__ = "events"
    __table_args__ = (CheckConstraint(f"type IN ({_KNOWN_EVENTS})", name="known_type"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, server_default=text("gen_random_uuid()"))
    type: Mapped[str] = mapped_column(String(32))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # No foreign keys: an event is a record of the past and outlives what it describes.
    # NULL organisation: an event about no one organisation (a webhook of every organisation).
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(UUID)
    assessment_id: Mapped[uuid.UUID | None] = mapped_column(UUID)
    # The event's ``data``; the envelope (id, type, occurred_at) comes from the columns.
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)


class WebhookDelivery(Base):
    """One event for one webhook: pending until delivered, failed after the last attempt, or
    cancelled when its webhook is deleted."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'delivered', 'failed', 'cancelled')", name="known_status"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        CheckConstraint(
            "(status = 'pending') = (next_attempt_at IS NOT NULL)", name="next_attempt_iff_pending"
        ),
        CheckConstraint(
            "(status = 'delivered') = (delivered_at IS NOT NULL)", name="delivered_at_iff_delivered"
        ),
        UniqueConstraint("webhook_id", "event_id"),  # one delivery per (webhook, event), ever
        # The due-work query: pending deliveries, soonest first. Only pending rows are indexed.
        Index(
            "ix_webhook_deliveries_due",
            "next_attempt_at",
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_webhook_deliveries_webhook_id_created_at", "webhook_id", "created_at", "id"),
        # The claim's view: each receiver's pending deliveries, oldest first.
        Index(
            "ix_webhook_deliveries_pending_by_webhook",
            "webhook_id",
            "created_at",
            "id",
            postgresql_where=text("status = 'pending'"),
        ),
        # Each receiver's attempts in flight, counted at every claim: the few leased rows only.
        Index(
            "ix_webhook_deliveries_leased",
            "webhook_id",
            "locked_until",
            postgresql_where=text("locked_until IS NOT NULL"),
        ),
        CheckConstraint("(locked_until IS NULL) = (claimed_by IS NULL)", name="lease_whole"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, server_default=text("gen_random_uuid()"))
    webhook_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"))
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), server_default="pending")
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    next_attempt_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    last_status_code: Mapped[int | None] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The lease of the attempt in flight: no other worker claims the delivery until it expires.
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_by: Mapped[uuid.UUID | None] = mapped_column(UUID)


class WebhookDeliveryAttempt(Base):
    """One HTTP request of a delivery: the receiver's status code, or why there was none."""

    __tablename__ = "webhook_delivery_attempts"
    __table_args__ = (
        CheckConstraint("attempt >= 1", name="attempt_positive"),
        CheckConstraint("num_nonnulls(status_code, error) = 1", name="status_code_or_error"),
        CheckConstraint("status_code BETWEEN 100 AND 599", name="http_status_code"),
        CheckConstraint("duration_ms >= 0", name="duration_not_negative"),
    )

    delivery_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), primary_key=True
    )
    attempt: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    attempted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status_code: Mapped[int | None] = mapped_column(SmallInteger)
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int] = mapped_column(Integer)
