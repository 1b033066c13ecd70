"""Webhooks that one dead receiver cannot hold up, limited to organisations, secrets encrypted.

Deliveries get a lease (``locked_until``, ``claimed_by``) so that an attempt is sent outside any
transaction; webhooks get their receiver's circuit, ``disabled_at`` and ``organisation_ids``;
events may concern no single assessment (``webhook.disabled``). Stored secrets are encrypted with
the key the gateway uses (``BASELINE_SECRET_KEY``; in development without one, the public
development key), so run this migration with the same settings as the gateway.

Revision ID: a3c9e5f1b7d2
Revises: c4d8e2a6f913
Create Date: 2026-12-02 04:30:00+00:00
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from baseline_api.core.settings import Settings
from baseline_api.webhooks.secret_box import SecretBox, secret_box

revision: str = "a3c9e5f1b7d2"
down_revision: str | None = "c4d8e2a6f913"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_TYPES = "'assessment.scored', 'assessment.submitted', 'action.completed', 'action.overdue'"
_NEW_TYPES = f"{_OLD_TYPES}, 'webhook.disabled'"


def _convert_secrets(source: str, target: str, convert: Callable[[SecretBox, str], str]) -> None:
    """Copy every webhook's ``source`` column into ``target`` through ``convert``. The key is only
    needed when there are rows: a fresh database migrates without one."""
    connection = op.get_bind()
    select = f"SELECT id, {source} FROM webhooks"  # noqa: S608 - our own column names
    rows = connection.execute(sa.text(select)).all()
    if not rows:
        return
    box = secret_box(Settings())
    change = sa.text(f"UPDATE webhooks SET {target} = :value WHERE id = :id")  # noqa: S608 - ours too
    for webhook_id, value in rows:
        connection.execute(change, {"value": convert(box, value), "id": webhook_id})


def _constraints(types: str) -> None:
    op.drop_constraint(op.f("ck_events_known_type"), "events", type_="check")
    op.create_check_constraint(op.f("ck_events_known_type"), "events", f"type IN ({types})")
    op.drop_constraint(op.f("ck_webhooks_known_events"), "webhooks", type_="check")
    op.create_check_constraint(
        op.f("ck_webhooks_known_events"),
        "webhooks",
        f"events <@ ARRAY[{types}]::varchar[] AND cardinality(events) > 0",
    )


def _scopes(scopes: str) -> None:
    op.drop_constraint(op.f("ck_api_keys_known_scopes"), "api_keys", type_="check")
    op.create_check_constraint(
        op.f("ck_api_keys_known_scopes"),
        "api_keys",
        f"scopes <@ ARRAY[{scopes}]::varchar[] AND cardinality(scopes) > 0",
    )


# Every statement that queues deliveries wakes the delivery workers when it commits (LISTEN in
# webhooks/wakeups.py), so a delivery starts within milliseconds rather than at the next poll.
_NOTIFY_FUNCTION = """
CREATE FUNCTION notify_webhook_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('webhook_deliveries', '');
    RETURN NULL;
END $$
"""
_NOTIFY_TRIGGER = """
CREATE TRIGGER webhook_deliveries_queued AFTER INSERT ON webhook_deliveries
FOR EACH STATEMENT EXECUTE FUNCTION notify_webhook_deliveries()
"""


def upgrade() -> None:
    op.execute(_NOTIFY_FUNCTION)
    op.execute(_NOTIFY_TRIGGER)
    _scopes("'read', 'write', 'ingest', 'webhooks', 'admin'")
    op.add_column("webhooks", sa.Column("secret_ciphertext", sa.Text(), nullable=True))
    _convert_secrets("secret", "secret_ciphertext", SecretBox.encrypt)
    op.alter_column("webhooks", "secret_ciphertext", nullable=False)
    op.drop_column("webhooks", "secret")
    op.add_column("webhooks", sa.Column("organisation_ids", postgresql.ARRAY(sa.UUID()), nullable=True))
    op.add_column("webhooks", sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "webhooks", sa.Column("consecutive_failures", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column("webhooks", sa.Column("failing_since", sa.DateTime(timezone=True), nullable=True))
    op.add_column("webhooks", sa.Column("next_probe_at", sa.DateTime(timezone=True), nullable=True))
    op.create_check_constraint(
        op.f("ck_webhooks_failures_not_negative"), "webhooks", "consecutive_failures >= 0"
    )
    op.create_check_constraint(
        op.f("ck_webhooks_organisation_ids_not_empty"), "webhooks", "cardinality(organisation_ids) > 0"
    )
    op.add_column("webhook_deliveries", sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    op.add_column("webhook_deliveries", sa.Column("claimed_by", sa.UUID(), nullable=True))
    op.create_check_constraint(
        op.f("ck_webhook_deliveries_lease_whole"),
        "webhook_deliveries",
        "(locked_until IS NULL) = (claimed_by IS NULL)",
    )
    op.create_index(
        "ix_webhook_deliveries_pending_by_webhook",
        "webhook_deliveries",
        ["webhook_id", "created_at", "id"],
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_index(
        "ix_webhook_deliveries_leased",
        "webhook_deliveries",
        ["webhook_id", "locked_until"],
        postgresql_where=sa.text("locked_until IS NOT NULL"),
    )
    op.alter_column("events", "organisation_id", nullable=True)
    op.alter_column("events", "assessment_id", nullable=True)
    _constraints(_NEW_TYPES)


def downgrade() -> None:
    op.execute("DROP TRIGGER webhook_deliveries_queued ON webhook_deliveries")
    op.execute("DROP FUNCTION notify_webhook_deliveries()")
    # Events and subscriptions of the new type cannot be expressed before this revision.
    op.execute("DELETE FROM events WHERE type = 'webhook.disabled'")
    op.execute(
        "UPDATE webhooks SET events = array_remove(events, 'webhook.disabled') "
        "WHERE 'webhook.disabled' = ANY(events)"
    )
    op.execute("UPDATE webhooks SET deleted_at = now() WHERE cardinality(events) = 0 AND deleted_at IS NULL")
    op.execute("UPDATE webhooks SET events = ARRAY['assessment.scored'] WHERE cardinality(events) = 0")
    _constraints(_OLD_TYPES)
    op.execute("UPDATE api_keys SET scopes = array_remove(scopes, 'webhooks')")
    op.execute("UPDATE api_keys SET revoked_at = now() WHERE cardinality(scopes) = 0 AND revoked_at IS NULL")
    op.execute("UPDATE api_keys SET scopes = ARRAY['read'] WHERE cardinality(scopes) = 0")
    _scopes("'read', 'write', 'ingest', 'admin'")
    op.alter_column("events", "assessment_id", nullable=False)
    op.alter_column("events", "organisation_id", nullable=False)
    op.drop_index(
        "ix_webhook_deliveries_leased",
        table_name="webhook_deliveries",
        postgresql_where=sa.text("locked_until IS NOT NULL"),
    )
    op.drop_index(
        "ix_webhook_deliveries_pending_by_webhook",
        table_name="webhook_deliveries",
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.drop_constraint(op.f("ck_webhook_deliveries_lease_whole"), "webhook_deliveries", type_="check")
    op.drop_column("webhook_deliveries", "claimed_by")
    op.drop_column("webhook_deliveries", "locked_until")
    op.drop_constraint(op.f("ck_webhooks_organisation_ids_not_empty"), "webhooks", type_="check")
    op.drop_constraint(op.f("ck_webhooks_failures_not_negative"), "webhooks", type_="check")
    for column in (
        "next_probe_at",
        "failing_since",
        "consecutive_failures",
        "disabled_at",
        "organisation_ids",
    ):
        op.drop_column("webhooks", column)
    op.add_column("webhooks", sa.Column("secret", sa.String(length=256), nullable=True))
    _convert_secrets("secret_ciphertext", "secret", SecretBox.decrypt)
    op.alter_column("webhooks", "secret", nullable=False)
    op.drop_column("webhooks", "secret_ciphertext")
